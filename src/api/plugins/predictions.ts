import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../data/db.js';
import { PredictionService, type PredictionServiceOptions } from '../../service/predictions/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    predictions: PredictionService;
  }
}

/** Where models live and how inference runs; server.ts fills it from the environment. */
export type PredictionsConfig = Omit<PredictionServiceOptions, 'db' | 'logger'>;

export interface PredictionsPluginOptions {
  db: Db;
  /** A ready service (tests, benches), or options for one this plugin creates and closes. */
  predictions?: PredictionService | PredictionsConfig;
  /** The clock of a service this plugin creates (a given service keeps its own). */
  clock?: () => Date;
}

/**
 * The prediction service beside the other services. Vectors are computed lazily on the first
 * request, or eagerly by the server after it starts listening (`warm`); its inference
 * workers stop with the app.
 */
export const predictionsPlugin = fp(
  async (app: FastifyInstance, opts: PredictionsPluginOptions) => {
    const given = opts.predictions instanceof PredictionService ? opts.predictions : null;
    const service =
      given ?? new PredictionService({ ...(opts.clock ? { now: opts.clock } : {}), ...(opts.predictions as PredictionsConfig | undefined), db: opts.db, logger: app.log.child({ component: 'predictions' }) });
    app.decorate('predictions', service);
    if (!given) app.addHook('onClose', async () => service.close());
  },
  { name: 'hogi-predictions', fastify: '5.x', dependencies: ['hogi-services'] },
);
