import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../data/db.js';
import { WeeklyCycle, type WeeklyCycleOptions } from '../../service/weeklyCycle.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The weekly sync-and-retrain cycle (also what trains missing models at start-up); null when
     * the app runs without either (tests, `hogi serve --no-schedule --no-startup-training`).
     */
    cycle: WeeklyCycle | null;
  }
}

/** The cycle's options the app fills itself (database, prediction service, logger). */
export type CycleConfig = Omit<WeeklyCycleOptions, 'db' | 'predictions' | 'logger'>;

export interface CyclePluginOptions {
  db: Db;
  /** Options for the weekly cycle, or false/undefined for none. */
  schedule?: CycleConfig | false;
  /**
   * Keep a cycle for start-up training even without the weekly schedule (its timer is then never
   * armed, and health reports the scheduler off); options for it when `schedule` is off.
   */
  startupTraining?: CycleConfig | false;
}

/** Arms the weekly cycle once the app is ready and stops it (a training worker included) on close. */
export const cyclePlugin = fp(
  async (app: FastifyInstance, opts: CyclePluginOptions) => {
    const config = opts.schedule || opts.startupTraining;
    if (!config) {
      app.decorate('cycle', null);
      return;
    }
    const cycle = new WeeklyCycle({ ...config, db: opts.db, predictions: app.predictions, logger: app.log.child({ component: 'weekly-cycle' }) });
    app.decorate('cycle', cycle);
    if (opts.schedule) app.addHook('onReady', async () => cycle.start());
    app.addHook('onClose', async () => cycle.stop());
  },
  { name: 'hogi-cycle', fastify: '5.x', dependencies: ['hogi-predictions'] },
);
