import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FamilyJob } from '../../src/service/predictions/inference.js';
import { workerRunner } from '../../src/service/predictions/runners.js';

const WORKER = new URL('./fixtures/countingInferenceWorker.js', import.meta.url);
const job: FamilyJob = {
  family: 'ensemble',
  draws: [],
  targets: [{ machine: 1, model: { key: 'ensemble-m1-small', family: 'ensemble', machine: 1, config: 'small', createdAt: 'v1', dataHash: 'h', trainedThroughRound: 1, features: [] } }],
};

describe('inference worker lifetime', () => {
  // The idle timer runs on fake timers: time passes without waiting for it (the worker thread itself runs for real).
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => void vi.useRealTimers());

  it('ends an idle worker after idleMs, so an idle server does not hold a model runtime; the next job starts a fresh one', async () => {
    let starts = 0;
    const runner = workerRunner({ modelsDir: '.', workerUrl: WORKER, idleMs: 50, onLog: (m) => void (m === 'started' && starts++) });
    try {
      expect((await runner.run(job, 10_000)).outcomes[0].vector).toHaveLength(45);
      // Jobs in quick succession share the thread.
      await runner.run(job, 10_000);
      expect(starts).toBe(1);
      // Just short of idleMs the worker is kept.
      vi.advanceTimersByTime(49);
      await runner.run(job, 10_000);
      expect(starts).toBe(1);
      vi.advanceTimersByTime(50);
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
      vi.advanceTimersByTime(3_600_000);
      await runner.run(job, 10_000);
      expect(starts).toBe(1);
    } finally {
      await runner.close();
    }
  });
});
