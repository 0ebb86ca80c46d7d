// Worker-thread entry point: trains models off the main thread so a server keeps serving.
import { parentPort, workerData } from 'node:worker_threads';
import type { Draw } from '../domain/draw.js';
import { initTf } from '../runtime/tfjs.js';
import { modelStore } from './modelStore.js';
import { trainModels, type TrainTarget } from './training.js';
import type { ConfigName } from './registry.js';

export interface TrainWorkerInput {
  draws: Draw[];
  modelsDir: string;
  targets: TrainTarget[];
  config: ConfigName;
  seed: number;
}

async function main(): Promise<void> {
  const input = workerData as TrainWorkerInput;
  await initTf('wasm', (m) => parentPort?.postMessage({ type: 'log', message: m }));
  const results = await trainModels(input.draws, modelStore(input.modelsDir), {
    targets: input.targets,
    config: input.config,
    seed: input.seed,
    onEvent: (e) => parentPort?.postMessage({ type: 'event', event: e }),
  });
  // Models stay in the worker (they hold tfjs memory); the caller loads them from the store.
  parentPort?.postMessage({ type: 'result', results: results.map((r) => ({ ...r, model: null })) });
}

main().catch((e: unknown) => parentPort?.postMessage({ type: 'error', error: e instanceof Error ? e.message : String(e) }));
