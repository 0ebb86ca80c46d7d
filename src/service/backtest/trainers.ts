/**
 * Who trains the retrain blocks: the calling thread (tests, tools, injected fake models) or
 * a pool of worker threads, each training one block at a time. Training is the expensive
 * part of a backtest; the blocks are independent, so the pool trains several at once while
 * the engine scores the rounds of finished blocks in order.
 */
import type { Worker } from 'node:worker_threads';
import type { Draw } from '../../domain/draw.js';
import type { ConfigName } from '../registry.js';
import { backtestModelFactory, trainBlock, type BacktestModelFactory } from './blocks.js';
import { defaultWorkers, type BlockResult, type BlockSpec, type ModelOverrides } from './types.js';
import { startModuleWorker } from '../workers/thread.js';

// Kept importable from here (its old home); it lives in types.ts so the CLI can show it without the model classes.
export { defaultWorkers };

export interface BlockTrainer {
  /** Parallel blocks it can work on (the engine keeps that many in flight). */
  readonly concurrency: number;
  train(block: BlockSpec): Promise<BlockResult>;
  close(): Promise<void>;
}

export interface TrainerSetup {
  draws: readonly Draw[];
  config: ConfigName;
  seed: number;
  modelOverrides?: ModelOverrides;
}

/** Blocks trained one after another in this thread (tfjs must already have a backend). */
export function inProcessTrainer(setup: TrainerSetup, createModel?: BacktestModelFactory): BlockTrainer {
  const create = createModel ?? backtestModelFactory(setup.modelOverrides);
  return {
    concurrency: 1,
    train: (block) => trainBlock(setup.draws, block, { config: setup.config, seed: setup.seed, createModel: create }),
    close: async () => undefined,
  };
}

export interface BacktestWorkerInput {
  draws: Draw[];
  config: ConfigName;
  seed: number;
  modelOverrides?: ModelOverrides;
}

export type BacktestWorkerRequest = { type: 'block'; block: BlockSpec };
export type BacktestWorkerMessage =
  | { type: 'ready' }
  | { type: 'log'; message: string }
  | { type: 'result'; result: BlockResult }
  | { type: 'error'; error: string };

function startWorker(workerData: BacktestWorkerInput): Worker {
  return startModuleWorker(new URL('./backtestWorker.js', import.meta.url), workerData);
}


interface Slot {
  worker: Worker;
  busy: boolean;
  current: { resolve: (r: BlockResult) => void; reject: (e: Error) => void } | null;
}

/** A pool of `size` persistent workers; each trains one block at a time. */
export function workerPoolTrainer(setup: TrainerSetup, size: number = defaultWorkers(), onLog: (m: string) => void = () => undefined): BlockTrainer {
  const input: BacktestWorkerInput = { draws: [...setup.draws], config: setup.config, seed: setup.seed, modelOverrides: setup.modelOverrides };
  const slots: Slot[] = [];
  const queue: Array<{ block: BlockSpec; resolve: (r: BlockResult) => void; reject: (e: Error) => void }> = [];
  let closed = false;

  const dispatch = () => {
    for (const slot of slots) {
      if (slot.busy || queue.length === 0) continue;
      const job = queue.shift()!;
      slot.busy = true;
      slot.current = { resolve: job.resolve, reject: job.reject };
      slot.worker.postMessage({ type: 'block', block: job.block } satisfies BacktestWorkerRequest);
    }
  };

  const spawn = (): Slot => {
    const slot: Slot = { worker: startWorker(input), busy: false, current: null };
    const fail = (e: Error) => {
      const c = slot.current;
      slot.current = null;
      slot.busy = false;
      c?.reject(e);
    };
    slot.worker.on('message', (m: BacktestWorkerMessage) => {
      if (m.type === 'log') onLog(m.message);
      else if (m.type === 'result') {
        const c = slot.current;
        slot.current = null;
        slot.busy = false;
        c?.resolve(m.result);
        dispatch();
      } else if (m.type === 'error') fail(new Error(`backtest worker failed: ${m.error}`));
    });
    slot.worker.on('error', (e) => fail(e));
    slot.worker.on('exit', (code) => {
      if (!closed && slot.current) fail(new Error(`backtest worker exited with code ${code} while training a block`));
    });
    return slot;
  };
  for (let i = 0; i < Math.max(1, size); i++) slots.push(spawn());

  return {
    concurrency: slots.length,
    train(block) {
      if (closed) return Promise.reject(new Error('backtest trainer is closed'));
      return new Promise<BlockResult>((resolve, reject) => {
        queue.push({ block, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('backtest trainer closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
