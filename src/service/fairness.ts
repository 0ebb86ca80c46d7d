/**
 * Fairness of the draw machines as a service: reads the draws, runs the pure
 * `fairnessReport`, and caches each report per (data version, parameters) since one
 * costs seconds of CPU. `report` computes in the caller's thread (CLI); `reportAsync`
 * computes in a worker thread so a server keeps answering meanwhile, and concurrent
 * requests for the same report share one computation.
 */
import type { DrawsRepo } from '../data/drawsRepo.js';
import type { Draw } from '../domain/draw.js';
import type { FairnessOptions, FairnessReport, FairnessScopeSpec } from '../domain/fairness/index.js';
import { validateFairnessOptions } from '../domain/fairness/options.js';
import { KNOWN_MACHINES } from '../domain/machine.js';
import type { FairnessWorkerInput } from './fairnessWorker.js';
import { oneAnswer, startModuleWorker } from './workers/thread.js';

/** The seed used when none is given, so repeated requests get (and cache) the same report. */
export const DEFAULT_FAIRNESS_SEED = 2002;

export interface FairnessRequest {
  /** Scopes; default: all machines together, then each known machine. */
  machines?: readonly FairnessScopeSpec[];
  from?: number;
  to?: number;
  seed?: number;
  permutations?: number;
  nullSimulations?: number;
  powerSimulations?: number;
}

export type FairnessCompute = (draws: Draw[], options: FairnessOptions) => Promise<FairnessReport>;

/** Every scope by default: 'all' first, then the known machines. */
export const DEFAULT_FAIRNESS_SCOPES: readonly FairnessScopeSpec[] = ['all', ...KNOWN_MACHINES];

function toOptions(req: FairnessRequest): FairnessOptions {
  return {
    machines: req.machines && req.machines.length > 0 ? [...req.machines] : [...DEFAULT_FAIRNESS_SCOPES],
    ...(req.from !== undefined ? { from: req.from } : {}),
    ...(req.to !== undefined ? { to: req.to } : {}),
    seed: req.seed ?? DEFAULT_FAIRNESS_SEED,
    ...(req.permutations !== undefined ? { permutations: req.permutations } : {}),
    ...(req.nullSimulations !== undefined ? { nullSimulations: req.nullSimulations } : {}),
    ...(req.powerSimulations !== undefined ? { powerSimulations: req.powerSimulations } : {}),
  };
}

/** Compute a report in a worker thread. */
export const fairnessInWorker: FairnessCompute = (draws, options) =>
  oneAnswer<FairnessReport>(startModuleWorker(new URL('./fairnessWorker.js', import.meta.url), { draws, options } satisfies FairnessWorkerInput), {
    what: 'fairness worker',
  });

export interface FairnessServiceOptions {
  /** How `reportAsync` computes (default: a worker thread). */
  compute?: FairnessCompute;
  /** Reports kept (oldest dropped first; default 16). */
  maxEntries?: number;
  /** Computations running at once (default 1: each takes a core for seconds). */
  maxConcurrent?: number;
  /** Computations waiting beyond those (default 4); more are refused with FairnessBusyError. */
  maxQueued?: number;
}

/** Too many different reports asked for at once: the caller should retry later. */
export class FairnessBusyError extends Error {
  constructor(running: number, queued: number) {
    super(`${running} fairness report(s) are being computed and ${queued} wait; try again shortly (repeated requests are served from the cache)`);
    this.name = 'FairnessBusyError';
  }
}

interface Entry {
  report: FairnessReport | null;
  promise: Promise<FairnessReport>;
}

export function fairnessService(repo: DrawsRepo, options: FairnessServiceOptions = {}) {
  const compute = options.compute ?? fairnessInWorker;
  const maxEntries = options.maxEntries ?? 16;
  const cache = new Map<string, Entry>();
  let computations = 0;
  const maxConcurrent = options.maxConcurrent ?? 1;
  const maxQueued = options.maxQueued ?? 4;
  let running = 0;
  const waiting: Array<() => void> = [];
  // A small queue so that distinct requests cannot start an unbounded number of computations.
  const schedule = (job: () => Promise<FairnessReport>): Promise<FairnessReport> => {
    return new Promise<FairnessReport>((resolve, reject) => {
      const start = (): void => {
        running++;
        job()
          .then(resolve, reject)
          .finally(() => {
            running--;
            waiting.shift()?.();
          });
      };
      if (running < maxConcurrent) start();
      else waiting.push(start);
    });
  };

  const keyOf = (o: FairnessOptions): string => JSON.stringify({ version: repo.dataVersion(), ...o });
  const load = (o: FairnessOptions): Draw[] => repo.list({ ...(o.from !== undefined ? { from: o.from } : {}), ...(o.to !== undefined ? { to: o.to } : {}) });
  const remember = (key: string, entry: Entry): void => {
    cache.set(key, entry);
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
  };

  return {
    /** The options a request resolves to (defaults filled in). */
    options: toOptions,
    /** Computed in this thread (or taken from the cache). Rejects on invalid options. */
    async report(req: FairnessRequest = {}): Promise<FairnessReport> {
      const o = toOptions(req);
      const key = keyOf(o);
      const hit = cache.get(key);
      if (hit?.report) return hit.report;
      // The tests and their statistics library load on the first in-thread report, not with the server.
      const { fairnessReport } = await import('../domain/fairness/index.js');
      const report = fairnessReport(load(o), o);
      computations++;
      remember(key, { report, promise: Promise.resolve(report) });
      return report;
    },
    /** Computed in a worker (or taken from the cache); concurrent equal requests share one computation. */
    reportAsync(req: FairnessRequest = {}): Promise<FairnessReport> {
      const o = toOptions(req);
      try {
        // Bad options fail here, without starting a worker.
        validateFairnessOptions(o);
      } catch (e) {
        return Promise.reject(e);
      }
      const key = keyOf(o);
      const hit = cache.get(key);
      if (hit) return hit.promise;
      if (running >= maxConcurrent && waiting.length >= maxQueued) return Promise.reject(new FairnessBusyError(running, waiting.length));
      const draws = load(o);
      computations++;
      const entry: Entry = { report: null, promise: schedule(() => compute(draws, o)) };
      entry.promise.then(
        (r) => {
          entry.report = r;
        },
        // A failed computation is not kept: the next request tries again.
        () => {
          if (cache.get(key) === entry) cache.delete(key);
        },
      );
      remember(key, entry);
      return entry.promise;
    },
    /** How many reports were computed rather than served from the cache. */
    get computations(): number {
      return computations;
    },
  };
}

export type FairnessService = ReturnType<typeof fairnessService>;
