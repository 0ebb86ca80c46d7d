/**
 * Where a family's inference runs, and how it is timed out.
 *
 * - `workerRunner`: one worker thread per family, kept warm between refreshes. The two
 *   families run truly in parallel, and a timeout TERMINATES the worker, which is the only
 *   way to stop synchronous tfjs / tree code; the next job starts a fresh worker.
 * - `inProcessRunner`: runs in the calling thread (tests that inject models, tools). Its
 *   timeout only fires at an await (e.g. a slow async loader): synchronous predict code
 *   cannot be interrupted on the thread it blocks, and the two families then run one after
 *   the other.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ModelFamily } from '../../models/families.js';
import type { ModelLoader } from '../modelManager.js';
import { modelStore } from '../modelStore.js';
import { runFamilyJob, type FamilyJob, type FamilyResult, type ModelGetter } from './inference.js';
import type { InferenceWorkerData, InferenceWorkerReply, InferenceWorkerRequest } from './inferenceWorker.js';
import { managedModels } from './modelSource.js';

export class InferenceTimeoutError extends Error {
  readonly family: ModelFamily;
  readonly timeoutMs: number;
  constructor(family: ModelFamily, timeoutMs: number) {
    super(`${family} inference did not finish within ${timeoutMs} ms`);
    this.name = 'InferenceTimeoutError';
    this.family = family;
    this.timeoutMs = timeoutMs;
  }
}

export interface FamilyRunner {
  readonly kind: 'worker' | 'in-process';
  /** Rejects with InferenceTimeoutError after `timeoutMs`, or with the job's failure. */
  run(job: FamilyJob, timeoutMs: number): Promise<FamilyResult>;
  close(): Promise<void>;
}

/** In the calling thread, over a model getter (tests inject one whose models throw). */
export function inProcessRunner(get: ModelGetter): FamilyRunner {
  return {
    kind: 'in-process',
    run(job, timeoutMs) {
      return new Promise<FamilyResult>((resolve, reject) => {
        const timer = setTimeout(() => reject(new InferenceTimeoutError(job.family, timeoutMs)), timeoutMs);
        runFamilyJob(job, get).then(
          (r) => {
            clearTimeout(timer);
            resolve(r);
          },
          (e: unknown) => {
            clearTimeout(timer);
            reject(e);
          },
        );
      });
    },
    close: async () => undefined,
  };
}

/** In-process runner over a model store and class loaders. */
export function inProcessStoreRunner(modelsDir: string, loaders: Record<string, ModelLoader>): FamilyRunner {
  return inProcessRunner(managedModels(modelStore(modelsDir), loaders).get);
}

/**
 * Start a worker file: the built .js next to this module, or from source (tsx, vitest) the
 * .ts behind a bootstrap that registers tsx, since Node 20 workers ignore --import.
 */
function startWorker(url: URL, workerData: InferenceWorkerData): Worker {
  const path = fileURLToPath(url);
  if (path.endsWith('.js') && existsSync(path)) return new Worker(url, { workerData });
  const ts = path.endsWith('.js') ? new URL(url.href.replace(/\.js$/, '.ts')) : url;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

interface Pending {
  resolve: (r: FamilyResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  idle: NodeJS.Timeout | null;
}

export interface WorkerRunnerOptions {
  modelsDir: string;
  /** The worker module; tests point it at a stand-in (e.g. one that never answers). */
  workerUrl?: URL;
  /** Messages the worker logs (e.g. the tfjs backend fallback). */
  onLog?: (message: string) => void;
  /**
   * End a worker once it has had no job for this long, ms (default 30 s; 0 = keep it). Vectors
   * are computed only when data or models change (weekly), and an idle worker holds a tfjs
   * runtime and its models (~100 MB each); the next job starts a fresh one.
   */
  idleMs?: number;
}

export function workerRunner(options: WorkerRunnerOptions): FamilyRunner {
  const url = options.workerUrl ?? new URL('./inferenceWorker.js', import.meta.url);
  const idleMs = options.idleMs ?? 30_000;
  const slots = new Map<ModelFamily, Slot>();
  let nextId = 1;

  const drop = (family: ModelFamily, slot: Slot, error: Error) => {
    if (slots.get(family) === slot) slots.delete(family);
    for (const p of slot.pending.values()) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    slot.pending.clear();
  };

  function slotFor(family: ModelFamily): Slot {
    const existing = slots.get(family);
    if (existing) return existing;
    const worker = startWorker(url, { modelsDir: options.modelsDir });
    const slot: Slot = { worker, pending: new Map(), idle: null };
    worker.on('message', (m: InferenceWorkerReply) => {
      if (m.type === 'log') {
        options.onLog?.(m.message);
        return;
      }
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      clearTimeout(p.timer);
      if (slot.pending.size === 0) {
        worker.unref();
        if (idleMs > 0) {
          slot.idle = setTimeout(() => {
            if (slot.pending.size > 0 || slots.get(family) !== slot) return;
            slots.delete(family);
            void worker.terminate();
          }, idleMs);
          slot.idle.unref();
        }
      }
      if (m.type === 'result') p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    worker.on('error', (e) => drop(family, slot, e));
    worker.on('exit', (code) => drop(family, slot, new Error(`${family} inference worker exited (code ${code})`)));
    worker.unref();
    slots.set(family, slot);
    return slot;
  }

  return {
    kind: 'worker',
    run(job, timeoutMs) {
      const slot = slotFor(job.family);
      const id = nextId++;
      return new Promise<FamilyResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          // Synchronous code cannot be interrupted: end the thread; the next job starts a new one.
          slot.pending.delete(id);
          drop(job.family, slot, new InferenceTimeoutError(job.family, timeoutMs));
          reject(new InferenceTimeoutError(job.family, timeoutMs));
          void slot.worker.terminate();
        }, timeoutMs);
        slot.pending.set(id, { resolve, reject, timer });
        if (slot.idle) clearTimeout(slot.idle);
        slot.idle = null;
        // Keep the process alive only while a job is in flight.
        slot.worker.ref();
        slot.worker.postMessage({ type: 'infer', id, job } satisfies InferenceWorkerRequest);
      });
    },
    async close() {
      const all = [...slots.entries()];
      slots.clear();
      await Promise.all(
        all.map(async ([family, slot]) => {
          drop(family, slot, new Error(`${family} inference worker closed`));
          await slot.worker.terminate();
        }),
      );
    },
  };
}
