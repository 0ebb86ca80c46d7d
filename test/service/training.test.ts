import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../../src/runtime/tfjs.js';
import { ModelManager } from '../../src/service/modelManager.js';
import { modelStore } from '../../src/service/modelStore.js';
import { MODEL_LOADERS } from '../../src/service/registry.js';
import { trainInWorker } from '../../src/service/trainInWorker.js';
import { dataHash, trainModels, trainTargets, type TrainEvent } from '../../src/service/training.js';
import { loadHistoryDraws } from '../helpers/history.js';

const history = loadHistoryDraws().filter((d) => d.round >= 262 && d.round < 480);
let dir: string;

beforeAll(async () => {
  await initTf('cpu');
  dir = mkdtempSync(join(tmpdir(), 'hogi-train-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('training service', () => {
  it('orders ensembles before Transformers for every machine', () => {
    expect(trainTargets([1, 2], ['transformer', 'ensemble'])).toEqual([
      { family: 'ensemble', machine: 1 },
      { family: 'ensemble', machine: 2 },
      { family: 'transformer', machine: 1 },
      { family: 'transformer', machine: 2 },
    ]);
  });

  it('changes the data hash when any draw changes, so models record exactly what they saw', () => {
    const changed = history.map((d) => (d.round === 400 ? { ...d, bonus: d.bonus === 45 ? 44 : 45 } : d));
    expect(dataHash(changed)).not.toBe(dataHash(history));
    expect(dataHash(history.map((d) => ({ ...d })))).toBe(dataHash(history));
  });

  it('saves a model whose manifest records the rounds, data, metrics, time and size, and which loads back to the same predictions', async () => {
    const store = modelStore(dir);
    const events: TrainEvent[] = [];
    const [r] = await trainModels(history, store, { targets: [{ family: 'ensemble', machine: 3 }], config: 'small', seed: 7, onEvent: (e) => events.push(e) });
    expect(r.error).toBeNull();
    const m = r.manifest!;
    const m3 = history.filter((d) => d.machine === 3);
    expect(m.trainedRounds).toEqual({ from: m3[0].round, to: m3[m3.length - 1].round, count: m3.length, dataHash: dataHash(history) });
    expect(m.family).toBe('ensemble');
    expect(m.seed).toBe(7);
    expect(m.validation.uniformLogLoss).toBeCloseTo(-(6 / 45) * Math.log(6 / 45) - (39 / 45) * Math.log(39 / 45), 6);
    expect(Number(m.validation.logLoss)).toBeGreaterThan(0);
    expect(m.trainingMs).toBeGreaterThan(0);
    expect(m.sizeBytes).toBeGreaterThan(1000);
    expect(events[0].type).toBe('start');
    expect(events.at(-1)?.type).toBe('done');

    const loaded = await new ModelManager({ store, loaders: MODEL_LOADERS }).get('ensemble', 3, 'small');
    expect(loaded).not.toBe(r.model);
    expect(Array.from(loaded.predict(history))).toEqual(Array.from(r.model!.predict(history)));
  });

  it('reports a model that cannot be trained and goes on with the others', async () => {
    const few = history.slice(0, 40);
    const results = await trainModels(few, modelStore(dir), {
      targets: [
        { family: 'ensemble', machine: 7 },
        { family: 'ensemble', machine: 'all' },
      ],
      config: 'small',
    });
    expect(results[0].error).toMatch(/only 0 draws of 7호기/);
    expect(results[1].error).toBeNull();
  });
});

describe('training in a worker thread', () => {
  it('keeps the calling thread responsive while it trains, then saves the model', async () => {
    const store = modelStore(join(dir, 'worker'));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const events: TrainEvent[] = [];
    const job = trainInWorker(
      { draws: history, modelsDir: store.root, targets: [{ family: 'ensemble', machine: 'all' }], config: 'small', seed: 42 },
      { onEvent: (e) => events.push(e) },
    );
    const results = await job.done;
    clearInterval(timer);
    expect(results[0].error).toBeNull();
    expect(store.has('ensemble-all-small')).toBe(true);
    // Training takes seconds; a blocked event loop would have let the timer fire only a handful of times.
    expect(ticks).toBeGreaterThan(10);
    expect(events.some((e) => e.type === 'progress')).toBe(true);
  });
});
