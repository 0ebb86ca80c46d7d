import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelArtifacts, ServableModel } from '../../src/models/types.js';
import { ModelManager, type ModelLoader } from '../../src/service/modelManager.js';
import { modelKey, modelStore, type TrainingRecord } from '../../src/service/modelStore.js';

const MB = 1024 * 1024;

/** A model whose memory footprint is set by its single weight, in MB. */
function fakeModel(mb: number, disposed: string[], name: string): ServableModel & { toArtifacts(): ModelArtifacts } {
  return {
    className: 'Fake',
    predict: () => new Float64Array(45).fill(6 / 45),
    toArtifacts: () => ({ manifest: { className: 'Fake', formatVersion: 1, name }, weights: { mb: new Float32Array([mb]) } }),
    memoryBytes: () => mb * MB,
    dispose: () => {
      disposed.push(name);
    },
  };
}

const record = (family: 'ensemble' | 'transformer', machine: number): TrainingRecord => ({
  family,
  machine,
  config: 'small',
  seed: 1,
  trainedRounds: { from: 1, to: 10, count: 10, dataHash: 'h' },
  validation: {},
  trainingMs: 1,
  createdAt: '2026-01-01T00:00:00Z',
});

let dir: string;
let disposed: string[];
let loadOrder: string[];
let loaders: Record<string, ModelLoader>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-mgr-'));
  disposed = [];
  loadOrder = [];
  loaders = {
    Fake: (a: ModelArtifacts) => {
      const name = String(a.manifest.name);
      loadOrder.push(name);
      return fakeModel(a.weights.mb[0], disposed, name);
    },
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function saveFake(family: 'ensemble' | 'transformer', machine: number, mb: number) {
  const store = modelStore(dir);
  const name = modelKey(family, machine, 'small');
  store.save(name, fakeModel(mb, [], name).toArtifacts(), record(family, machine));
}

describe('model manager', () => {
  it('reports absent models before training and ready ones after', async () => {
    const mgr = new ModelManager({ store: modelStore(dir), loaders });
    await mgr.loadAll([1], 'small');
    expect(mgr.status().map((s) => [s.key, s.status])).toEqual([
      ['ensemble-m1-small', 'absent'],
      ['transformer-m1-small', 'absent'],
    ]);
    saveFake('ensemble', 1, 10);
    await mgr.get('ensemble', 1, 'small');
    const s = mgr.status().find((x) => x.key === 'ensemble-m1-small')!;
    expect(s.status).toBe('ready');
    expect(s.loaded).toBe(true);
    expect(s.memoryMb).toBe(10);
  });

  it('loads ensembles before Transformers', async () => {
    for (const m of [1, 2]) {
      saveFake('transformer', m, 5);
      saveFake('ensemble', m, 5);
    }
    const mgr = new ModelManager({ store: modelStore(dir), loaders });
    await mgr.loadAll([1, 2], 'small');
    expect(loadOrder).toEqual(['ensemble-m1-small', 'ensemble-m2-small', 'transformer-m1-small', 'transformer-m2-small']);
  });

  it('evicts the least recently used model to stay within the memory budget', async () => {
    saveFake('ensemble', 1, 40);
    saveFake('ensemble', 2, 40);
    saveFake('ensemble', 3, 40);
    const mgr = new ModelManager({ store: modelStore(dir), loaders, maxMemoryMb: 100 });
    await mgr.get('ensemble', 1, 'small');
    await mgr.get('ensemble', 2, 'small');
    await mgr.get('ensemble', 1, 'small'); // 1 is now more recent than 2
    await mgr.get('ensemble', 3, 'small');
    expect(disposed).toEqual(['ensemble-m2-small']);
    expect(mgr.memoryUsedBytes()).toBeLessThanOrEqual(100 * MB);
    expect(mgr.status().filter((s) => s.loaded).map((s) => s.key)).toEqual(['ensemble-m1-small', 'ensemble-m3-small']);
  });

  it('marks a corrupt model as failed with the reason, and never returns it', async () => {
    saveFake('ensemble', 1, 1);
    writeFileSync(join(dir, 'ensemble-m1-small', 'weights.bin'), Buffer.from([1, 2, 3, 4]));
    const mgr = new ModelManager({ store: modelStore(dir), loaders });
    await expect(mgr.get('ensemble', 1, 'small')).rejects.toThrow(/checksum/);
    const s = mgr.status().find((x) => x.key === 'ensemble-m1-small')!;
    expect(s.status).toBe('failed');
    expect(s.error).toMatch(/checksum/);
  });

  it('keeps serving the previous model when a retrain fails, and swaps in a new one at once', async () => {
    saveFake('ensemble', 1, 1);
    const mgr = new ModelManager({ store: modelStore(dir), loaders });
    const before = await mgr.get('ensemble', 1, 'small');
    mgr.markTraining('ensemble', 1, 'small');
    expect(mgr.status()[0].status).toBe('training');
    mgr.markFailed('ensemble', 1, 'small', 'out of memory');
    expect(mgr.status()[0].status).toBe('ready');
    expect(await mgr.get('ensemble', 1, 'small')).toBe(before);
    const next = fakeModel(2, disposed, 'new');
    mgr.swap('ensemble', 1, 'small', next, modelStore(dir).readManifest('ensemble-m1-small'));
    expect(await mgr.get('ensemble', 1, 'small')).toBe(next);
    expect(disposed).toEqual(['ensemble-m1-small']);
  });
});
