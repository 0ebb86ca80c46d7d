import { describe, expect, it } from 'vitest';
import type { FamilyJob } from '../../src/service/predictions/inference.js';
import { workerRunner } from '../../src/service/predictions/runners.js';

const WORKER = new URL('./fixtures/countingInferenceWorker.js', import.meta.url);
const job: FamilyJob = {
  family: 'ensemble',
  draws: [],
  targets: [{ machine: 1, model: { key: 'ensemble-m1-small', family: 'ensemble', machine: 1, config: 'small', createdAt: 'v1', dataHash: 'h', trainedThroughRound: 1, features: [] } }],
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('inference worker lifetime', () => {
  it('ends an idle worker after idleMs, so an idle server does not hold a model runtime; the next job starts a fresh one', async () => {
    let starts = 0;
    const runner = workerRunner({ modelsDir: '.', workerUrl: WORKER, idleMs: 50, onLog: (m) => void (m === 'started' && starts++) });
    try {
      expect((await runner.run(job, 10_000)).outcomes[0].vector).toHaveLength(45);
      // Jobs in quick succession share the thread.
      await runner.run(job, 10_000);
      expect(starts).toBe(1);
      await sleep(400);
      expect((await runner.run(job, 10_000)).outcomes[0].vector).toHaveLength(45);
      expect(starts).toBe(2);
    } finally {
      await runner.close();
    }
  });

  it('keeps the worker when idleMs is 0', async () => {
    let starts = 0;
    const runner = workerRunner({ modelsDir: '.', workerUrl: WORKER, idleMs: 0, onLog: (m) => void (m === 'started' && starts++) });
    try {
      await runner.run(job, 10_000);
      await sleep(300);
      await runner.run(job, 10_000);
      expect(starts).toBe(1);
    } finally {
      await runner.close();
    }
  });
});
