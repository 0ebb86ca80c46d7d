import type { Worker } from 'node:worker_threads';
import type { TrainEvent, TrainResult } from './training.js';
import type { TrainWorkerInput } from './trainWorker.js';
import { startModuleWorker } from './workers/thread.js';

type WorkerMessage =
  | { type: 'event'; event: TrainEvent }
  | { type: 'log'; message: string }
  | { type: 'result'; results: TrainResult[] }
  | { type: 'error'; error: string };

function startWorker(workerData: TrainWorkerInput): Worker {
  return startModuleWorker(new URL('./trainWorker.js', import.meta.url), workerData);
}

/**
 * Train in a worker thread. Resolves with the results; rejects if the worker dies.
 * The caller's event loop stays free the whole time.
 */
export function trainInWorker(
  input: TrainWorkerInput,
  handlers: { onEvent?: (e: TrainEvent) => void; onLog?: (m: string) => void } = {},
): { done: Promise<TrainResult[]>; cancel: () => Promise<number> } {
  const worker = startWorker(input);
  const done = new Promise<TrainResult[]>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'event') handlers.onEvent?.(m.event);
      else if (m.type === 'log') handlers.onLog?.(m.message);
      else if (m.type === 'result') {
        settled = true;
        resolve(m.results);
        void worker.terminate();
      } else if (m.type === 'error') {
        settled = true;
        reject(new Error(`training worker failed: ${m.error}`));
        void worker.terminate();
      }
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`training worker exited with code ${code} before finishing`));
    });
  });
  return { done, cancel: () => worker.terminate() };
}
