import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../data/db.js';
import { WeeklyCycle, type WeeklyCycleOptions } from '../../service/weeklyCycle.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The weekly sync-and-retrain cycle; null when the app runs without it (tests, `hogi serve --no-schedule`). */
    cycle: WeeklyCycle | null;
  }
}

/** The cycle's options the app fills itself (database, prediction service, logger). */
export type CycleConfig = Omit<WeeklyCycleOptions, 'db' | 'predictions' | 'logger'>;

export interface CyclePluginOptions {
  db: Db;
  /** Options for the weekly cycle, or false/undefined for none. */
  schedule?: CycleConfig | false;
}

/** Arms the weekly cycle once the app is ready and stops it (a training worker included) on close. */
export const cyclePlugin = fp(
  async (app: FastifyInstance, opts: CyclePluginOptions) => {
    if (!opts.schedule) {
      app.decorate('cycle', null);
      return;
    }
    const cycle = new WeeklyCycle({ ...opts.schedule, db: opts.db, predictions: app.predictions, logger: app.log.child({ component: 'weekly-cycle' }) });
    app.decorate('cycle', cycle);
    app.addHook('onReady', async () => cycle.start());
    app.addHook('onClose', async () => cycle.stop());
  },
  { name: 'hogi-cycle', fastify: '5.x', dependencies: ['hogi-predictions'] },
);
