import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../data/db.js';
import { drawsRepo } from '../../data/drawsRepo.js';
import { backtestService, type BacktestService } from '../../service/backtest/service.js';
import { drawsService, type DrawsService } from '../../service/drawsService.js';
import { statisticsService, type StatisticsService } from '../../service/statisticsService.js';

declare module 'fastify' {
  interface FastifyInstance {
    draws: DrawsService;
    statistics: StatisticsService;
    backtests: BacktestService;
    /** The app's clock: health freshness and the draw calendar read it (tests inject a fixed one). */
    clock: () => Date;
  }
}

export interface ServicesOptions {
  db: Db;
  clock?: () => Date;
}

/**
 * The services routes call. Later plugins (predictions, keys, cache) declare
 * `dependencies: ['hogi-services']` and add their own decorators beside these.
 */
export const services = fp(
  async (app: FastifyInstance, opts: ServicesOptions) => {
    const repo = drawsRepo(opts.db);
    app.decorate('draws', drawsService(repo));
    app.decorate('statistics', statisticsService(repo));
    app.decorate('backtests', backtestService(opts.db));
    app.decorate('clock', opts.clock ?? (() => new Date()));
  },
  { name: 'hogi-services', fastify: '5.x' },
);
