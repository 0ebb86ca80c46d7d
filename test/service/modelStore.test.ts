import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelArtifactError, modelKey, modelStore, type TrainingRecord } from '../../src/service/modelStore.js';
import type { ModelArtifacts } from '../../src/models/types.js';

const artifacts = (): ModelArtifacts => ({
  manifest: { className: 'FakeModel', formatVersion: 1, config: { depth: 3 } },
  weights: { a: new Float32Array([1, 2, 3]), b: new Float32Array([0.5, -0.25]) },
});
const record: TrainingRecord = {
  family: 'ensemble',
  machine: 1,
  config: 'small',
  seed: 42,
  trainedRounds: { from: 262, to: 1240, count: 278, dataHash: 'abc' },
  validation: { logLoss: 0.39, uniformLogLoss: 0.39 },
  trainingMs: 1234,
  createdAt: '2026-11-24T00:00:00Z',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('model store', () => {
  it('loads back exactly the weights and manifest it saved', () => {
    const store = modelStore(dir);
    const key = modelKey('ensemble', 1, 'small');
    const saved = store.save(key, artifacts(), record);
    const { manifest, artifacts: back } = store.load(key);
    expect(back.weights.a).toEqual(new Float32Array([1, 2, 3]));
    expect(back.weights.b).toEqual(new Float32Array([0.5, -0.25]));
    expect(back.manifest).toEqual(artifacts().manifest);
    expect(manifest.trainedRounds).toEqual(record.trainedRounds);
    expect(manifest.sizeBytes).toBe(saved.sizeBytes);
    expect(manifest.sizeBytes).toBeGreaterThan(20);
  });

  it('rejects weights that no longer match their checksum', () => {
    const store = modelStore(dir);
    const key = modelKey('ensemble', 2, 'small');
    store.save(key, artifacts(), record);
    const p = join(dir, key, 'weights.bin');
    const bytes = readFileSync(p);
    bytes[0] ^= 0xff;
    writeFileSync(p, bytes);
    expect(() => store.load(key)).toThrow(ModelArtifactError);
    expect(() => store.load(key)).toThrow(/checksum/);
  });

  it('rejects a manifest that is not JSON, of another format version, or of another model', () => {
    const store = modelStore(dir);
    const key = modelKey('transformer', 'all', 'small');
    store.save(key, artifacts(), { ...record, family: 'transformer', machine: 'all' });
    const mp = join(dir, key, 'manifest.json');
    const good = readFileSync(mp, 'utf8');
    writeFileSync(mp, good.slice(0, 40));
    expect(() => store.load(key)).toThrow(/not valid JSON/);
    writeFileSync(mp, good.replace('"storeFormatVersion": 1', '"storeFormatVersion": 99'));
    expect(() => store.load(key)).toThrow(/store format 99/);
    writeFileSync(mp, good.replace(`"key": "${key}"`, '"key": "ensemble-m1-small"'));
    expect(() => store.load(key)).toThrow(/another model/);
  });

  it('says how to get a model that was never trained', () => {
    expect(() => modelStore(dir).load('ensemble-m3-small')).toThrow(/hogi train/);
  });

  it('replaces a model whole and leaves no temporary folders behind', () => {
    const store = modelStore(dir);
    const key = modelKey('ensemble', 1, 'small');
    store.save(key, artifacts(), record);
    const next = artifacts();
    next.weights.a = new Float32Array([9, 9, 9]);
    store.save(key, next, { ...record, seed: 7 });
    expect(store.load(key).artifacts.weights.a).toEqual(new Float32Array([9, 9, 9]));
    expect(store.load(key).manifest.seed).toBe(7);
    expect(readdirSync(dir)).toEqual([key]);
    expect(existsSync(join(dir, key, 'weights.bin'))).toBe(true);
  });

  it('lists stored models and reports unreadable ones instead of hiding them', () => {
    const store = modelStore(dir);
    store.save(modelKey('ensemble', 1, 'small'), artifacts(), record);
    store.save(modelKey('ensemble', 2, 'small'), artifacts(), { ...record, machine: 2 });
    writeFileSync(join(dir, 'ensemble-m2-small', 'manifest.json'), '{');
    const l = store.list();
    expect(l.map((x) => x.key)).toEqual(['ensemble-m1-small', 'ensemble-m2-small']);
    expect(l[0].error).toBeNull();
    expect(l[1].error).toMatch(/not valid JSON/);
  });
});
