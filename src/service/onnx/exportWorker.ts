// Worker-thread entry point: refreshes the served ONNX exports (tfjs + onnxruntime work) off
// the main thread, so a server keeps answering while a retrained model is exported.
import { parentPort, workerData } from 'node:worker_threads';
import type { Draw } from '../../domain/draw.js';
import { initTf } from '../../runtime/tfjs.js';
import { modelStore } from '../modelStore.js';
import { exportOnnx } from './export.js';

export interface ExportWorkerInput {
  draws: Draw[];
  modelsDir: string;
  outDir: string;
  keys: string[];
}

async function main(): Promise<void> {
  const input = workerData as ExportWorkerInput;
  await initTf('wasm', (m) => parentPort?.postMessage({ type: 'log', message: m }));
  const result = await exportOnnx({ store: modelStore(input.modelsDir), draws: input.draws, outDir: input.outDir, keys: input.keys });
  parentPort?.postMessage({ type: 'result', exported: result.exported.map((m) => m.name), failures: result.failures });
}

main().catch((e: unknown) => parentPort?.postMessage({ type: 'error', error: e instanceof Error ? e.message : String(e) }));
