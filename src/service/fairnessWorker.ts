/** Worker thread entry: computes one fairness report so a server's event loop stays free. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Draw } from '../domain/draw.js';
import { fairnessReport, type FairnessOptions } from '../domain/fairness/index.js';

export interface FairnessWorkerInput {
  draws: Draw[];
  options: FairnessOptions;
}

const input = workerData as FairnessWorkerInput;
try {
  parentPort?.postMessage({ type: 'result', report: fairnessReport(input.draws, input.options) });
} catch (e) {
  parentPort?.postMessage({ type: 'error', error: e instanceof Error ? e.message : String(e) });
}
