import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { historyBefore, type Draw } from '../../src/domain/draw.js';
import { Random } from '../../src/domain/random.js';
import {
  forwardLogits,
  initialWeights,
  LotteryTransformer,
  transformerParams,
  TRANSFORMER_PRESETS,
  VOCAB_SIZE,
  weightShapes,
  type TransformerParams,
} from '../../src/models/transformer/index.js';
import { initTf } from '../../src/runtime/tfjs.js';
import { loadHistoryDraws } from '../helpers/history.js';

const ALL = loadHistoryDraws();
const SLICE = ALL.slice(0, 150);

function params(overrides: Partial<TransformerParams> = {}): TransformerParams {
  return transformerParams('small', { maxEpochs: 2, patience: 5, ...overrides });
}

async function fitted(history: readonly Draw[], overrides: Partial<TransformerParams> = {}): Promise<LotteryTransformer> {
  return new LotteryTransformer(params(overrides)).fit(history);
}

/** The same draw with each number moved to a different one (still 6 distinct in 1..45). */
function altered(d: Draw): Draw {
  return { ...d, numbers: d.numbers.map((n) => (n % 45) + 1).sort((a, b) => a - b) };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

let backend = '';
beforeAll(async () => {
  backend = await initTf();
});

describe('LotteryTransformer', () => {
  it('runs on the wasm backend in Node', () => {
    expect(backend).toBe('wasm');
  });

  it('exposes the reference and small presets from the design', () => {
    expect(TRANSFORMER_PRESETS.reference).toEqual({ dModel: 128, nHeads: 8, nLayers: 4, dimFeedforward: 512, seqLen: 50, dropout: 0.1 });
    expect(TRANSFORMER_PRESETS.small).toEqual({ dModel: 64, nHeads: 4, nLayers: 2, dimFeedforward: 256, seqLen: 20, dropout: 0.1 });
  });

  it('predicts 45 probabilities in [0, 1] that sum to 6, and reports validation metrics next to chance', async () => {
    const model = await fitted(SLICE);
    const p = model.predict(SLICE);
    expect(p).toHaveLength(45);
    for (const v of p) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(6, 9);
    const m = model.validationMetrics;
    expect(m).not.toBeNull();
    expect(m?.draws).toBe(Math.floor(149 * 0.12));
    expect(m?.uniformLogLoss).toBeCloseTo(-(6 * Math.log(6 / 45) + 39 * Math.log(39 / 45)) / 45, 12);
    expect(Number.isFinite(m?.logLoss)).toBe(true);
    expect(m?.brier).toBeGreaterThan(0);
    expect(model.memoryBytes()).toBe(weightShapes(model.getParams()).reduce((s, [, shape]) => s + shape.reduce((a, b) => a * b, 1) * 4, 0));
    model.dispose();
    expect(model.memoryBytes()).toBe(0);
    expect(() => model.predict(SLICE)).toThrow(/not fitted/);
  });

  it('refuses to predict before fit and leaves its params unchanged by fit', async () => {
    const p = params();
    const model = new LotteryTransformer(p);
    expect(() => model.predict(SLICE)).toThrow(/not fitted/);
    await model.fit(SLICE);
    expect(model.getParams()).toEqual(p);
    expect(model.className).toBe('LotteryTransformer');
  });

  it('gives identical predictions for the same seed and different ones for another seed', async () => {
    const a = (await fitted(SLICE, { seed: 7 })).predict(SLICE);
    const b = (await fitted(SLICE, { seed: 7 })).predict(SLICE);
    const c = (await fitted(SLICE, { seed: 8 })).predict(SLICE);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-6);
  });

  // No look-ahead (with its positive control) is checked for every family in contract.test.ts.
  it('reads the draw just before t: changing it changes the prediction for t', async () => {
    const t = 120;
    const m1 = await fitted(historyBefore(SLICE, t));
    const changedPast = SLICE.map((d) => (d.round === t - 1 ? altered(d) : d));
    expect(maxAbsDiff(m1.predict(historyBefore(changedPast, t)), m1.predict(historyBefore(SLICE, t)))).toBeGreaterThan(1e-7);
  });

  it('still loads a model saved in format 1 (config / trainedOn) and predicts exactly what it predicted', () => {
    const fixture = JSON.parse(readFileSync(new URL('./fixtures/transformer-format1.json', import.meta.url), 'utf8')) as {
      draws: Draw[];
      manifest: { formatVersion: number; config: TransformerParams; trainedOn: { draws: number; firstRound: number; lastRound: number } };
      weights: Record<string, number[]>;
      prediction: number[];
    };
    expect(fixture.manifest.formatVersion).toBe(1);
    const weights = Object.fromEntries(Object.entries(fixture.weights).map(([k, v]) => [k, Float32Array.from(v)]));
    const model = LotteryTransformer.fromArtifacts({ manifest: fixture.manifest, weights });
    expect(Array.from(model.predict(fixture.draws))).toEqual(fixture.prediction);
    expect(model.getParams()).toEqual(fixture.manifest.config);
    // Saved again, it is written in the current format with the shared manifest fields.
    const again = model.toArtifacts().manifest;
    expect(again.formatVersion).toBe(2);
    expect(again.params).toEqual(fixture.manifest.config);
    expect(again.trainedRounds).toEqual({ from: fixture.manifest.trainedOn.firstRound, to: fixture.manifest.trainedOn.lastRound, count: fixture.manifest.trainedOn.draws });
    expect(() => LotteryTransformer.fromArtifacts({ manifest: { ...fixture.manifest, config: { ...fixture.manifest.config, dModel: 'wide' } }, weights })).toThrow(
      /manifest\.config\.dModel must be a number, got "wide"/,
    );
    model.dispose();
  });

  it('learns a deterministic cycle: training loss falls and the next set gets high probability', async () => {
    const sets = [
      [1, 7, 13, 22, 30, 41],
      [3, 9, 15, 27, 33, 44],
      [2, 11, 19, 25, 36, 40],
    ];
    const cycle: Draw[] = Array.from({ length: 150 }, (_, i) => ({
      round: i + 1,
      date: '2020-01-04',
      numbers: sets[i % 3],
      bonus: 45,
      machine: null,
      firstPrizeEach: null,
      firstPrizeWinners: null,
      totalSales: null,
    }));
    const model = await fitted(cycle, { maxEpochs: 8, learningRate: 3e-3, patience: 8 });
    const losses = model.trainingHistory.map((e) => e.trainLoss);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] - 1);
    const p = model.predict(cycle); // draw 151 continues the cycle with sets[150 % 3]
    const next = sets[150 % 3];
    for (const n of next) expect(p[n - 1]).toBeGreaterThan(0.5);
    const others = Array.from(p).filter((_, i) => !next.includes(i + 1));
    expect(Math.max(...others)).toBeLessThan(0.1);
    expect(model.validationMetrics?.logLoss).toBeLessThan(model.validationMetrics?.uniformLogLoss ?? 0);
  });

  it('with machine 1 trains and predicts only from machine-1 draws', async () => {
    const labelled = ALL.filter((d) => d.round >= 262 && d.round < 562);
    const m2Index = labelled.findIndex((d) => d.machine === 2);
    const m1Index = labelled.findIndex((d) => d.machine === 1);
    const withM2Change = labelled.map((d, i) => (i === m2Index ? altered(d) : d));
    const withM1Change = labelled.map((d, i) => (i === m1Index ? altered(d) : d));
    const base = await fitted(labelled, { machine: 1 });
    const other = await fitted(withM2Change, { machine: 1 });
    const changed = await fitted(withM1Change, { machine: 1 });
    expect(Array.from(other.predict(withM2Change))).toEqual(Array.from(base.predict(labelled)));
    expect(maxAbsDiff(changed.predict(labelled), base.predict(labelled))).toBeGreaterThan(1e-7);
    // A later machine-2 draw does not move machine 1's prediction.
    const extra = { ...altered(labelled[labelled.length - 1]), round: 562, machine: 2 };
    expect(Array.from(base.predict([...labelled, extra]))).toEqual(Array.from(base.predict(labelled)));
    expect(() => base.predict(ALL.slice(0, 100))).toThrow(/machine 1/);
  });

  it('round-trips through artifacts with identical predictions and rejects mismatched shapes', async () => {
    const model = await fitted(SLICE);
    const artifacts = model.toArtifacts();
    const manifest = JSON.parse(JSON.stringify(artifacts.manifest)) as typeof artifacts.manifest;
    expect(manifest.className).toBe('LotteryTransformer');
    expect(manifest.params).toEqual(model.getParams());
    const loaded = LotteryTransformer.fromArtifacts({ manifest, weights: artifacts.weights });
    expect(Array.from(loaded.predict(SLICE))).toEqual(Array.from(model.predict(SLICE)));
    expect(loaded.validationMetrics).toEqual(model.validationMetrics);

    const wider = { ...manifest, params: { ...model.getParams(), dModel: 128, nHeads: 4 } };
    expect(() => LotteryTransformer.fromArtifacts({ manifest: wider, weights: artifacts.weights })).toThrow(/shape/);
    const truncated = { ...artifacts.weights, 'head.b': artifacts.weights['head.b'].subarray(0, 44) };
    expect(() => LotteryTransformer.fromArtifacts({ manifest, weights: truncated })).toThrow(/head\.b holds 44 values/);
    const { ['head.w']: _dropped, ...missing } = artifacts.weights;
    expect(() => LotteryTransformer.fromArtifacts({ manifest, weights: missing })).toThrow(/head\.w is missing/);
    expect(() => LotteryTransformer.fromArtifacts({ manifest: { ...manifest, className: 'Other' }, weights: artifacts.weights })).toThrow(
      /manifest\.className is "Other", expected "LotteryTransformer"/,
    );
  });

  it('predictBatch equals separate predict calls, including histories shorter than the window', async () => {
    const model = await fitted(SLICE);
    const histories = [SLICE, SLICE.slice(0, 5), SLICE.slice(0, 90), SLICE.slice(0, 1)];
    const batch = model.predictBatch(histories);
    expect(batch).toHaveLength(histories.length);
    histories.forEach((h, i) => {
      expect(maxAbsDiff(batch[i], model.predict(h))).toBeLessThan(1e-6);
    });
  });
});

describe('Transformer forward pass', () => {
  it('is causal: logits at position i do not depend on draws after i', () => {
    const arch = TRANSFORMER_PRESETS.small;
    const init = initialWeights(arch, 3);
    const weights = new Map(weightShapes(arch).map(([name, shape]) => [name, tf.tensor(init.get(name) as Float32Array, [...shape])]));
    const rng = new Random(11);
    const L = arch.seqLen;
    const draw = (): number[] => Array.from(rng.sampleIndices(45, 6), (i) => i + 1);
    const tokens = Array.from({ length: L }, draw);
    const cut = 12;
    const changed = tokens.map((t, i) => (i > cut ? draw() : t));
    const encode = (ts: number[][]): Float32Array => {
      const x = new Float32Array(L * VOCAB_SIZE);
      ts.forEach((t, i) => t.forEach((n) => (x[i * VOCAB_SIZE + n] = 1)));
      return x;
    };
    const logits = (ts: number[][]): Float32Array =>
      tf.tidy(() => forwardLogits(weights, arch, tf.tensor3d(encode(ts), [1, L, VOCAB_SIZE])).dataSync() as Float32Array);
    const a = logits(tokens);
    const b = logits(changed);
    const row = (x: Float32Array, i: number): Float32Array => x.subarray(i * 45, (i + 1) * 45);
    for (let i = 0; i <= cut; i++) expect(maxAbsDiff(row(a, i), row(b, i))).toBeLessThan(1e-6);
    for (let i = cut + 1; i < L; i++) expect(maxAbsDiff(row(a, i), row(b, i))).toBeGreaterThan(1e-4);
    weights.forEach((t) => t.dispose());
  });
});
