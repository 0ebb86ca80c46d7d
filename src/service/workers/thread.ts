// Worker threads for the services: how a worker module is started from source or from the
// build, and how a one-answer worker's messages settle a promise.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module at `jsUrl` (a `new URL('./x.js', import.meta.url)` of the caller):
 * the built .js when it exists, else the .ts beside it behind a bootstrap that registers tsx
 * (running from source under tsx or vitest), since Node 20 workers ignore --import.
 */
export function startModuleWorker(jsUrl: URL, workerData: unknown): Worker {
  if (existsSync(fileURLToPath(jsUrl))) return new Worker(jsUrl, { workerData });
  const ts = new URL(jsUrl.href.replace(/\.js$/, '.ts')).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** What a one-answer worker posts: progress any number of times, then a result or an error. */
export type OneAnswerMessage<T> = { type: 'progress'; done: number; total: number } | { type: 'result'; report: T } | { type: 'error'; error: string };

export interface OneAnswerOptions {
  /** Named in the error when the worker exits before answering. */
  what: string;
  onProgress?: (done: number, total: number) => void;
  /** Aborting terminates the worker and rejects with `abortMessage`. */
  signal?: AbortSignal;
  abortMessage?: string;
}

/** The worker's one result (terminating it), or its error, or a rejection if it exits first. */
export function oneAnswer<T>(worker: Worker, options: OneAnswerOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    options.signal?.addEventListener('abort', () => {
      if (settled) return;
      settled = true;
      reject(new Error(options.abortMessage ?? `${options.what} stopped`));
      void worker.terminate();
    });
    worker.on('message', (m: OneAnswerMessage<T>) => {
      if (m.type === 'progress') return options.onProgress?.(m.done, m.total);
      settled = true;
      if (m.type === 'result') resolve(m.report);
      else reject(new Error(m.error));
      void worker.terminate();
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`${options.what} exited with code ${code} before finishing`));
    });
  });
}
