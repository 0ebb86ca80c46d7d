import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../data/db.js';
import { drawsRepo } from '../../data/drawsRepo.js';
import { PopularityEvidence, type EvidenceServiceOptions } from '../../service/popularity/evidence.js';
import { PopularityService, storedPrizeSource, type PrizeRoundSource } from '../../service/popularity/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    popularity: PopularityService;
    popularityEvidence: PopularityEvidence;
  }
}

export interface PopularityPluginOptions {
  db: Db;
  /** Where the five prize tiers come from (default: the database's stored tiers). */
  source?: PrizeRoundSource;
  /** How the evidence backtest runs (default: a worker thread, one at a time, 8 windows kept). */
  evidence?: EvidenceServiceOptions;
}

/** The popularity (prize-sharing) service: one fitted model, refitted when the prize data change. */
export const popularityPlugin = fp(
  async (app: FastifyInstance, opts: PopularityPluginOptions) => {
    const service = new PopularityService(opts.source ?? storedPrizeSource(drawsRepo(opts.db)));
    app.decorate('popularity', service);
    const evidence = new PopularityEvidence(service, opts.evidence);
    app.decorate('popularityEvidence', evidence);
    app.addHook('onClose', async () => evidence.close());
  },
  { name: 'hogi-popularity', fastify: '5.x', dependencies: ['hogi-services'] },
);
