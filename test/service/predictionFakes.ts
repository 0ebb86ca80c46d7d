// Stand-in models for prediction plumbing tests: stored like real ones (manifest + weights in
// a model store), loaded through a class loader, with a vector that is a simple known function
// of the history they are given, so tests can compute expected vectors independently.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Draw } from '../../src/domain/draw.js';
import type { ModelArtifacts, ServableModel } from '../../src/models/types.js';
import type { ModelLoader } from '../../src/service/modelManager.js';
import { modelKey, modelStore, type ModelStore } from '../../src/service/modelStore.js';

export const FAKE_CLASS = 'FakePredictor';

export interface FakeSpec {
  /** How the model misbehaves: 'predict' throws in predict, 'load' cannot be loaded. */
  fail?: 'predict' | 'load' | null;
  /** Draws of the input history it counts. */
  window: number;
  /** Extra weight on odd numbers (so two fakes give different vectors). */
  oddTilt: number;
  /** Offer predictBatch (as the Transformer does). */
  batch?: boolean;
}

/** The fake's vector: p_n ∝ 1 + count_n(last `window` draws of the input) + oddTilt·[n odd], scaled to sum 6. */
export function fakeVector(history: readonly Draw[], spec: Pick<FakeSpec, 'window' | 'oddTilt'>): Float64Array {
  const w = history.slice(Math.max(0, history.length - spec.window));
  const raw = new Float64Array(45).fill(1);
  for (const d of w) for (const n of d.numbers) raw[n - 1] += 1;
  for (let n = 1; n <= 45; n += 2) raw[n - 1] += spec.oddTilt;
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((x) => (6 * x) / sum);
}

export interface FakeCalls {
  predict: number;
  /** Each predictBatch call's history lengths and the machines seen in them. */
  batches: Array<Array<{ length: number; machines: Array<number | null> }>>;
}

export function fakeLoader(calls: FakeCalls = { predict: 0, batches: [] }): { loaders: Record<string, ModelLoader>; calls: FakeCalls } {
  const loaders: Record<string, ModelLoader> = {
    [FAKE_CLASS]: (a: ModelArtifacts) => {
      const spec = a.manifest.spec as unknown as FakeSpec;
      if (spec.fail === 'load') throw new Error('fake model refuses to load');
      const model: ServableModel & { predictBatch?: (h: readonly (readonly Draw[])[]) => Float64Array[] } = {
        className: FAKE_CLASS,
        predict(history: readonly Draw[]) {
          calls.predict++;
          if (spec.fail === 'predict') throw new Error('fake model exploded while predicting');
          return fakeVector(history, spec);
        },
        memoryBytes: () => 1000,
      };
      if (spec.batch) {
        model.predictBatch = (histories) => {
          calls.batches.push(histories.map((h) => ({ length: h.length, machines: [...new Set(h.map((d) => d.machine))] })));
          if (spec.fail === 'predict') throw new Error('fake model exploded while predicting');
          return histories.map((h) => fakeVector(h, spec));
        };
      }
      return model;
    },
  };
  return { loaders, calls };
}

export function tempModelsDir(): string {
  return mkdtempSync(join(tmpdir(), 'hogi-fake-models-'));
}

/** Store a fake model under the key a real one of that family/machine/config would have. */
export function saveFake(
  store: ModelStore | string,
  family: 'transformer' | 'ensemble',
  machine: number | 'all',
  spec: FakeSpec,
  options: { createdAt?: string; trainedThrough?: number; config?: string } = {},
): string {
  const s = typeof store === 'string' ? modelStore(store) : store;
  const config = options.config ?? 'small';
  const key = modelKey(family, machine, config);
  s.save(
    key,
    { manifest: { className: FAKE_CLASS, formatVersion: 1, spec: { ...spec, fail: spec.fail ?? null, batch: spec.batch ?? false } }, weights: { w: new Float32Array([1]) } },
    {
      family,
      machine,
      config,
      seed: 1,
      trainedRounds: { from: 1, to: options.trainedThrough ?? 100, count: 100, dataHash: 'fake' },
      validation: {},
      trainingMs: 1,
      createdAt: options.createdAt ?? '2026-01-01T00:00:00.000Z',
    },
  );
  return key;
}

export const T_SPEC: FakeSpec = { window: 30, oddTilt: 0.5, batch: true };
export const E_SPEC: FakeSpec = { window: 60, oddTilt: 0 };
