// Worker-thread entry point: trains backtest retrain blocks off the main thread, one per message.
import { parentPort, workerData } from 'node:worker_threads';
import { initTf } from '../../runtime/tfjs.js';
import { backtestModelFactory, trainBlock } from './blocks.js';
import type { BacktestWorkerInput, BacktestWorkerMessage, BacktestWorkerRequest } from './trainers.js';

const input = workerData as BacktestWorkerInput;
const post = (m: BacktestWorkerMessage) => parentPort?.postMessage(m);
const ready = initTf('wasm', (m) => post({ type: 'log', message: m }));
const createModel = backtestModelFactory(input.modelOverrides);

parentPort?.on('message', (m: BacktestWorkerRequest) => {
  if (m.type !== 'block') return;
  ready
    .then(() => trainBlock(input.draws, m.block, { config: input.config, seed: input.seed, createModel }))
    .then((result) => post({ type: 'result', result }))
    .catch((e: unknown) => post({ type: 'error', error: e instanceof Error ? e.message : String(e) }));
});
