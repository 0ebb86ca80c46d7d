/** Worker thread entry: runs one popularity walk-forward backtest and reports its progress, so a server keeps answering. */
import { parentPort, workerData } from 'node:worker_threads';
import type { PrizeRound } from '../../domain/prizeRound.js';
import type { PopularityParams } from '../../models/popularity/model.js';
import { runPopularityBacktest } from './backtest.js';

export interface EvidenceWorkerInput {
  rounds: PrizeRound[];
  from: number;
  to: number;
  retrainEvery: number;
  params: Partial<PopularityParams>;
}

// workerData is whatever the parent passed; the parent (evidence.ts) builds it as EvidenceWorkerInput.
const input = workerData as EvidenceWorkerInput;
try {
  let last = 0;
  const report = runPopularityBacktest(input.rounds, {
    from: input.from,
    to: input.to,
    retrainEvery: input.retrainEvery,
    params: input.params,
    onProgress: (done, total) => {
      // At most one message per percent: the parent only shows a bar.
      if (done === total || done - last >= Math.max(1, Math.floor(total / 100))) {
        last = done;
        parentPort?.postMessage({ type: 'progress', done, total });
      }
    },
  });
  parentPort?.postMessage({ type: 'result', report });
} catch (e) {
  parentPort?.postMessage({ type: 'error', error: e instanceof Error ? e.message : String(e) });
}
