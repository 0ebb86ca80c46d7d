import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../data/db.js';
import { drawsRepo } from '../../data/drawsRepo.js';
import { fairnessService, type FairnessService, type FairnessServiceOptions } from '../../service/fairness.js';

declare module 'fastify' {
  interface FastifyInstance {
    fairness: FairnessService;
    fairnessDataVersion: () => number;
  }
}

export interface FairnessPluginOptions {
  db: Db;
  /** How reports are computed (default: a worker thread per report) and how many are kept. */
  fairness?: FairnessServiceOptions;
}

/** The fairness service: reports cached per (data version, params), computed off the event loop. */
export const fairnessPlugin = fp(
  async (app: FastifyInstance, opts: FairnessPluginOptions) => {
    const repo = drawsRepo(opts.db);
    app.decorate('fairness', fairnessService(repo, opts.fairness));
    app.decorate('fairnessDataVersion', () => repo.dataVersion());
  },
  { name: 'hogi-fairness', fastify: '5.x', dependencies: ['hogi-services'] },
);
