import type { ExactDistribution } from '../../src/domain/fairDraw.js';

export interface FairDistributions {
  sum: ExactDistribution;
  odd: ExactDistribution;
  ac: ExactDistribution;
}

let pending: Promise<FairDistributions> | null = null;

/** The exact distributions under a fair 6/45 draw, computed once per page load in a worker. */
export function fairDistributions(): Promise<FairDistributions> {
  pending ??= new Promise<FairDistributions>((resolve, reject) => {
    const worker = new Worker(new URL('./exact.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (ev: MessageEvent<FairDistributions>) => {
      resolve(ev.data);
      worker.terminate();
    };
    worker.onerror = (ev) => {
      pending = null;
      reject(new Error(ev.message || 'worker failed'));
      worker.terminate();
    };
    worker.postMessage(null);
  });
  return pending;
}
