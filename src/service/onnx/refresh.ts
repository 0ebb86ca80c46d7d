/**
 * Keeping the served ONNX exports in step with the trained models: which stored models have
 * no export of their current training, and an export of just those in a worker thread.
 */
import type { Worker } from 'node:worker_threads';
import type { Draw } from '../../domain/draw.js';
import type { ModelStore } from '../modelStore.js';
import { readExportManifest, type ExportFailure } from './export.js';
import type { ExportWorkerInput } from './exportWorker.js';
import { startModuleWorker } from '../workers/thread.js';

/** Store keys (of `config`, or all) whose export in `onnxDir` is missing or of an earlier training. */
export function staleExports(store: ModelStore, onnxDir: string, config?: string): string[] {
  let exported: Map<string, string>;
  try {
    exported = new Map((readExportManifest(onnxDir)?.models ?? []).map((m) => [m.name, m.sourceCreatedAt]));
  } catch {
    exported = new Map();
  }
  return store
    .list()
    .filter((e) => e.manifest && (config === undefined || e.manifest.config === config))
    .filter((e) => exported.get(e.key) !== e.manifest!.createdAt)
    .map((e) => e.key);
}

function startWorker(workerData: ExportWorkerInput): Worker {
  return startModuleWorker(new URL('./exportWorker.js', import.meta.url), workerData);
}

/** Export `keys` from the store in `modelsDir` to `outDir` in a worker thread; `signal` ends the worker (a closing server). */
export function exportInWorker(
  draws: readonly Draw[],
  modelsDir: string,
  outDir: string,
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<{ exported: string[]; failures: ExportFailure[] }> {
  if (signal?.aborted) return Promise.reject(new Error('ONNX export cancelled'));
  const worker = startWorker({ draws: [...draws], modelsDir, outDir, keys: [...keys] });
  return new Promise((resolve, reject) => {
    let settled = false;
    signal?.addEventListener(
      'abort',
      () => {
        if (settled) return;
        settled = true;
        reject(new Error('ONNX export cancelled'));
        void worker.terminate();
      },
      { once: true },
    );
    worker.on('message', (m: { type: 'result'; exported: string[]; failures: ExportFailure[] } | { type: 'error'; error: string } | { type: 'log'; message: string }) => {
      if (m.type === 'result') {
        settled = true;
        resolve({ exported: m.exported, failures: m.failures });
        void worker.terminate();
      } else if (m.type === 'error') {
        settled = true;
        reject(new Error(`ONNX export worker failed: ${m.error}`));
        void worker.terminate();
      }
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`ONNX export worker exited with code ${code} before finishing`));
    });
  });
}
