// Worker-thread entry point: one model family's inference, off the main thread, so that a
// stuck or slow forward pass can be timed out (the worker is terminated) while the server serves.
import { parentPort, workerData } from 'node:worker_threads';
import { initTf } from '../../runtime/tfjs.js';
import { modelStore } from '../modelStore.js';
import { MODEL_LOADERS } from '../registry.js';
import { runFamilyJob, type FamilyJob } from './inference.js';
import { managedModels } from './modelSource.js';

export interface InferenceWorkerData {
  modelsDir: string;
}

export type InferenceWorkerRequest = { type: 'infer'; id: number; job: FamilyJob };
export type InferenceWorkerReply =
  | { type: 'result'; id: number; result: Awaited<ReturnType<typeof runFamilyJob>> }
  | { type: 'error'; id: number; error: string }
  | { type: 'log'; message: string };

const { modelsDir } = workerData as InferenceWorkerData;
const models = managedModels(modelStore(modelsDir), MODEL_LOADERS);
// Both families need tfjs (the ensemble's MLP too); the backend is chosen once per worker.
let ready: Promise<string> | null = null;

parentPort?.on('message', (msg: InferenceWorkerRequest) => {
  if (msg.type !== 'infer') return;
  ready ??= initTf('wasm', (m) => parentPort?.postMessage({ type: 'log', message: m } satisfies InferenceWorkerReply));
  ready
    .then(() => runFamilyJob(msg.job, models.get))
    .then(
      (result) => parentPort?.postMessage({ type: 'result', id: msg.id, result } satisfies InferenceWorkerReply),
      (e: unknown) => parentPort?.postMessage({ type: 'error', id: msg.id, error: e instanceof Error ? e.message : String(e) } satisfies InferenceWorkerReply),
    );
});
