import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../data/db.js';
import { drawsRepo } from '../../data/drawsRepo.js';
import { PopularityService, storedPrizeSource, type PrizeRoundSource } from '../../service/popularity/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    popularity: PopularityService;
  }
}

export interface PopularityPluginOptions {
  db: Db;
  /** Where the five prize tiers come from (default: the database's stored tiers). */
  source?: PrizeRoundSource;
}

/** The popularity (prize-sharing) service: one fitted model, refitted when the prize data change. */
export const popularityPlugin = fp(
  async (app: FastifyInstance, opts: PopularityPluginOptions) => {
    app.decorate('popularity', new PopularityService(opts.source ?? storedPrizeSource(drawsRepo(opts.db))));
  },
  { name: 'hogi-popularity', fastify: '5.x', dependencies: ['hogi-services'] },
);
