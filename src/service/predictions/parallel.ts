/**
 * The design's `parallel_inference`: both families start at once, each under its own
 * timeout; a family that fails or times out is logged and reported, never fatal. What
 * replaces it (the other family, or the frequency baseline) is decided per machine by the
 * combination step, which sees every outcome.
 */
import type { Machine } from '../../domain/machine.js';
import type { NumberProbabilities } from '../../models/types.js';
import type { ModelFamily } from '../../models/families.js';
import type { FamilyJob, ModelRef } from './inference.js';
import { InferenceTimeoutError, type FamilyRunner } from './runners.js';

/** The pino methods the service uses; a pino logger (fastify's included) fits. */
export interface PredictionLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: PredictionLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export type { FamilyStatus, FamilyVector } from '../combining/snapshot.js';
import type { FamilyVector } from '../combining/snapshot.js';

export interface InferencePlan {
  family: ModelFamily;
  job: FamilyJob | null;
  /** Machines with no model to run, and why. */
  absent: Array<{ machine: Machine; reason: string }>;
}

export interface ParallelResult {
  byMachine: Map<Machine, Partial<Record<ModelFamily, FamilyVector>>>;
  /** Wall time of each family's job (ms), absent when it did not run. */
  timings: Partial<Record<ModelFamily, number>>;
}

/** Run the families' jobs concurrently under `timeoutMs` each; every machine gets a FamilyVector per family. */
export async function parallelInference(runner: FamilyRunner, plans: readonly InferencePlan[], options: { timeoutMs: number; logger?: PredictionLogger }): Promise<ParallelResult> {
  const logger = options.logger ?? silentLogger;
  const byMachine = new Map<Machine, Partial<Record<ModelFamily, FamilyVector>>>();
  const put = (machine: Machine, v: FamilyVector) => {
    const entry = byMachine.get(machine) ?? {};
    entry[v.family] = v;
    byMachine.set(machine, entry);
  };
  const timings: Partial<Record<ModelFamily, number>> = {};
  for (const p of plans) for (const a of p.absent) put(a.machine, { family: p.family, status: 'absent', vector: null, model: null, reason: a.reason, source: null });

  const settled = await Promise.allSettled(
    plans.map(async (p) => {
      if (!p.job || p.job.targets.length === 0) return null;
      const started = performance.now();
      try {
        return await runner.run(p.job, options.timeoutMs);
      } finally {
        timings[p.family] = performance.now() - started;
      }
    }),
  );
  settled.forEach((s, i) => {
    const plan = plans[i];
    const job = plan.job;
    if (!job || job.targets.length === 0) return;
    if (s.status === 'rejected') {
      const err = s.reason as Error;
      const timedOut = err instanceof InferenceTimeoutError;
      logger.error(
        { family: plan.family, machines: job.targets.map((t) => t.machine), err: { message: err.message }, timeout_ms: timedOut ? options.timeoutMs : undefined },
        timedOut ? `${plan.family} inference timed out; falling back` : `${plan.family} inference failed; falling back`,
      );
      for (const t of job.targets) put(t.machine, { family: plan.family, status: timedOut ? 'timeout' : 'failed', vector: null, model: t.model, reason: err.message, source: null });
      return;
    }
    const result = s.value;
    for (const t of job.targets) {
      const o = result?.outcomes.find((x) => x.machine === t.machine);
      if (o && o.vector) {
        put(t.machine, { family: plan.family, status: 'ok', vector: o.vector, model: { ...t.model, createdAt: o.createdAt ?? t.model.createdAt }, reason: null, source: 'computed' });
      } else {
        const reason = o?.error ?? `${plan.family} returned nothing for machine ${t.machine}`;
        logger.error({ family: plan.family, machine: t.machine, err: { message: reason } }, `${plan.family} inference failed for machine ${t.machine}; falling back`);
        put(t.machine, { family: plan.family, status: 'failed', vector: null, model: t.model, reason, source: null });
      }
    }
  });
  return { byMachine, timings };
}
