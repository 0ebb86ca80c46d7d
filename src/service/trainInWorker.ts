import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TrainEvent, TrainResult } from './training.js';
import type { TrainWorkerInput } from './trainWorker.js';

type WorkerMessage =
  | { type: 'event'; event: TrainEvent }
  | { type: 'log'; message: string }
  | { type: 'result'; results: TrainResult[] }
  | { type: 'error'; error: string };

/**
 * Start the worker file next to this module: the built .js, or from source (tsx, vitest)
 * the .ts behind a tiny bootstrap that registers tsx, since Node 20 workers ignore --import.
 */
function startWorker(workerData: TrainWorkerInput): Worker {
  const js = new URL('./trainWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData });
  const ts = new URL('./trainWorker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`;
  return new Worker(boot, { eval: true, workerData });
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
