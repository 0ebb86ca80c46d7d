// Worker-thread entry point: one model family's inference, off the main thread, so that a
// stuck or slow forward pass can be timed out (the worker is terminated) while the server serves.
import { parentPort, workerData } from 'node:worker_threads';
import { initTf } from '../../runtime/tfjs.js';
import { modelStore } from '../modelStore.js';
import { servingOnnxDir } from '../onnx/export.js';
import { onnxModelGetter, type InferenceRuntime } from '../onnx/serving.js';
import { MODEL_LOADERS } from '../registry.js';
import { runFamilyJob, type FamilyJob, type ModelGetter } from './inference.js';
import { managedModels } from './modelSource.js';

export interface InferenceWorkerData {
  modelsDir: string;
  /** 'onnx': the exported files through onnxruntime-node, tfjs where one is missing or unusable. Default 'tfjs'. */
  runtime?: InferenceRuntime;
}

export type InferenceWorkerRequest = { type: 'infer'; id: number; job: FamilyJob };
export type InferenceWorkerReply =
  | { type: 'result'; id: number; result: Awaited<ReturnType<typeof runFamilyJob>> }
  | { type: 'error'; id: number; error: string }
  | { type: 'log'; message: string };

const { modelsDir, runtime } = workerData as InferenceWorkerData;
const models = managedModels(modelStore(modelsDir), MODEL_LOADERS);
// tfjs (both families need it: the ensemble's MLP too) starts once per worker, and only when a
// tfjs model is loaded: an ONNX-served worker never starts it.
let ready: Promise<string> | null = null;
const tfjsModels: ModelGetter = async (ref) => {
  ready ??= initTf('wasm', (m) => parentPort?.postMessage({ type: 'log', message: m } satisfies InferenceWorkerReply));
  await ready;
  return models.get(ref);
};
const getModel = runtime === 'onnx' ? onnxModelGetter(servingOnnxDir(modelsDir), tfjsModels) : tfjsModels;

parentPort?.on('message', (msg: InferenceWorkerRequest) => {
  if (msg.type !== 'infer') return;
  runFamilyJob(msg.job, getModel).then(
    (result) => parentPort?.postMessage({ type: 'result', id: msg.id, result } satisfies InferenceWorkerReply),
    (e: unknown) => parentPort?.postMessage({ type: 'error', id: msg.id, error: e instanceof Error ? e.message : String(e) } satisfies InferenceWorkerReply),
  );
});
