import { describe, expect, it } from 'vitest';
import { Random } from '../../src/domain/random.js';
import { normalizeToSix } from '../../src/combination/normalize.js';
import { blend, blendingWeights, drawLogLikelihood, type BlendingScore } from '../../src/combination/blending.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** exp(mT) / (exp(mT) + exp(mE)), written out directly. */
function expectedT(hist: BlendingScore[]): number {
  const mT = mean(hist.map((h) => h.transformer));
  const mE = mean(hist.map((h) => h.ensemble));
  return Math.exp(mT) / (Math.exp(mT) + Math.exp(mE));
}

function history(n: number, seed: number, tEdge: number): BlendingScore[] {
  const r = new Random(seed);
  return Array.from({ length: n }, () => {
    const base = -17.7 + 0.3 * r.nextNormal();
    return { transformer: base + tEdge + 0.05 * r.nextNormal(), ensemble: base + 0.05 * r.nextNormal() };
  });
}

describe('blending', () => {
  it('scores a draw by its log-likelihood over all 45 numbers', () => {
    const p = 6 / 45;
    const chance = new Array(45).fill(p);
    expect(drawLogLikelihood(chance, [1, 2, 3, 4, 5, 6])).toBeCloseTo(6 * Math.log(p) + 39 * Math.log(1 - p), 10);
    const sharp = new Array(45).fill(0.1);
    for (const n of [1, 2, 3, 4, 5, 6]) sharp[n - 1] = 0.5;
    expect(drawLogLikelihood(sharp, [1, 2, 3, 4, 5, 6])).toBeGreaterThan(drawLogLikelihood(chance, [1, 2, 3, 4, 5, 6]));
  });

  it('stays at 0.5 / 0.5 until 10 draws are scored', () => {
    for (const n of [0, 1, 9]) {
      const w = blendingWeights(history(n, 1, 2));
      expect(w.weights.transformer).toBe(0.5);
      expect(w.weights.ensemble).toBe(0.5);
      expect(w.basedOn).toBe(0);
    }
  });

  it('tilts toward the model that predicted recent draws better, by the geometric-mean likelihood ratio', () => {
    const h = history(30, 2, 0.1);
    const w = blendingWeights(h);
    expect(w.weights.transformer).toBeGreaterThan(0.5);
    expect(w.weights.transformer).toBeCloseTo(expectedT(h), 12);
    expect(w.weights.transformer + w.weights.ensemble).toBeCloseTo(1, 15);
    expect(w.basedOn).toBe(30);
    const worse = blendingWeights(history(30, 3, -0.1));
    expect(worse.weights.transformer).toBeLessThan(0.5);
    expect(worse.weights.ensemble).toBeGreaterThan(0.5);
  });

  it('uses only the 50 most recent scored draws', () => {
    const old = history(60, 4, -3); // the transformer was much worse long ago…
    const recent = history(50, 5, 0.2); // …and better lately
    const w = blendingWeights([...old, ...recent]);
    expect(w.basedOn).toBe(50);
    expect(w.weights.transformer).toBeCloseTo(expectedT(recent), 12);
    expect(w.weights.transformer).toBeGreaterThan(0.5);
    // Changing anything older than the window changes nothing.
    const changed = [...history(60, 6, 5), ...recent];
    expect(blendingWeights(changed)).toEqual(w);
    expect(blendingWeights([...old, ...recent], undefined, { window: 110 }).weights.transformer).toBeLessThan(0.5);
  });

  it('keeps weights positive and summing to 1 even for extreme differences, and ignores a common shift', () => {
    const extreme = Array.from({ length: 20 }, () => ({ transformer: -5, ensemble: -5000 }));
    const w = blendingWeights(extreme);
    expect(w.weights.transformer).toBeLessThanOrEqual(1);
    expect(w.weights.ensemble).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(w.weights.ensemble)).toBe(true);
    const h = history(25, 7, 0.05);
    const shifted = h.map((x) => ({ transformer: x.transformer + 100, ensemble: x.ensemble + 100 }));
    expect(blendingWeights(shifted).weights.transformer).toBeCloseTo(blendingWeights(h).weights.transformer, 10);
    expect(() => blendingWeights([...h, { transformer: Number.NaN, ensemble: 0 }])).toThrow(/finite/);
  });

  it('blends the two normalised vectors with the given weights', () => {
    const r = new Random(8);
    const a = normalizeToSix(Array.from({ length: 45 }, () => 0.5 + r.nextFloat()));
    const b = normalizeToSix(Array.from({ length: 45 }, () => 0.5 + r.nextFloat()));
    const out = blend(a, b, 0.3, 0.7);
    for (let i = 0; i < 45; i++) expect(out[i]).toBeCloseTo(0.3 * a[i] + 0.7 * b[i], 12);
    expect(() => blend(a, b, 0, 0)).toThrow();
  });
});
