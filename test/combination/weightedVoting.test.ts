import { describe, expect, it } from 'vitest';
import { Random } from '../../src/domain/random.js';
import {
  CHANCE_PROBABILITY,
  normalizeToSix,
  PROBABILITY_FLOOR,
} from '../../src/combination/normalize.js';
import { DEFAULT_VOTING_WEIGHTS, weightedVoting } from '../../src/combination/weightedVoting.js';

const sum = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0);

/** A vector already summing to 6 with every entry well inside (0, 1). */
function randomVector(seed: number): Float64Array {
  const r = new Random(seed);
  const raw = Array.from({ length: 45 }, () => 0.5 + r.nextFloat());
  const s = raw.reduce((a, b) => a + b, 0);
  return Float64Array.from(raw, (x) => (6 * x) / s);
}

describe('normalizeToSix', () => {
  it('scales any non-negative vector to sum 6 keeping the ratios between entries', () => {
    const v = Array.from({ length: 45 }, (_, i) => i + 1);
    const p = normalizeToSix(v);
    expect(sum(p)).toBeCloseTo(6, 12);
    // 6 / Σ(1..45) = 6/1035 per unit: no entry reaches 1, so the scaling is exact.
    for (let i = 0; i < 45; i++) expect(p[i]).toBeCloseTo(((i + 1) * 6) / 1035, 12);
  });

  it('caps a dominant number at probability 1 and spreads the rest proportionally', () => {
    const v = new Array(45).fill(1);
    v[0] = 1000;
    const p = normalizeToSix(v);
    expect(p[0]).toBe(1);
    for (let i = 1; i < 45; i++) expect(p[i]).toBeCloseTo(5 / 44, 12);
    expect(sum(p)).toBeCloseTo(6, 12);
  });

  it('lifts zeros to the floor so logs stay finite', () => {
    const v = new Array(45).fill(1);
    v[3] = 0;
    const p = normalizeToSix(v);
    expect(p[3]).toBe(PROBABILITY_FLOOR);
    expect(sum(p)).toBeCloseTo(6, 12);
    expect(Math.min(...p)).toBeGreaterThanOrEqual(PROBABILITY_FLOOR);
  });

  it('turns an all-zero vector into chance and handles fewer than six non-zero entries', () => {
    expect(Array.from(normalizeToSix(new Array(45).fill(0)))).toEqual(new Array(45).fill(CHANCE_PROBABILITY));
    const v = new Array(45).fill(0);
    v[0] = 3;
    v[1] = 1;
    const p = normalizeToSix(v);
    expect(p[0]).toBe(1);
    expect(p[1]).toBe(1);
    expect(p[2]).toBeCloseTo(4 / 43, 12);
    expect(sum(p)).toBeCloseTo(6, 12);
  });

  it('rejects wrong lengths, negative and non-finite values', () => {
    expect(() => normalizeToSix([1, 2, 3])).toThrow(/45/);
    const bad = new Array(45).fill(1);
    bad[5] = -1;
    expect(() => normalizeToSix(bad)).toThrow(/number 6/);
    bad[5] = Number.NaN;
    expect(() => normalizeToSix(bad)).toThrow(/number 6/);
  });
});

describe('weightedVoting', () => {
  it('averages the two families with the design weights 0.55 / 0.45', () => {
    const a = randomVector(1);
    const b = randomVector(2);
    const { probabilities, weights } = weightedVoting({ transformer: a, ensemble: b });
    expect(weights).toEqual({ transformer: 0.55, ensemble: 0.45 });
    for (let i = 0; i < 45; i++) expect(probabilities[i]).toBeCloseTo(0.55 * a[i] + 0.45 * b[i], 12);
    expect(sum(probabilities)).toBeCloseTo(6, 12);
  });

  it('uses configured weights, rescaled to sum 1', () => {
    const a = randomVector(3);
    const b = randomVector(4);
    const { probabilities, weights } = weightedVoting({ transformer: a, ensemble: b }, { transformer: 1, ensemble: 3 });
    expect(weights.transformer).toBeCloseTo(0.25, 15);
    for (let i = 0; i < 45; i++) expect(probabilities[i]).toBeCloseTo(0.25 * a[i] + 0.75 * b[i], 12);
  });

  it('normalises each member first, so a vector on another scale does not dominate', () => {
    const a = randomVector(5);
    const b = randomVector(6);
    const bScaled = Array.from(b, (x) => x * 100); // a "distribution" on the wrong scale
    const direct = weightedVoting({ transformer: a, ensemble: b }).probabilities;
    const scaled = weightedVoting({ transformer: a, ensemble: bScaled }).probabilities;
    for (let i = 0; i < 45; i++) expect(scaled[i]).toBeCloseTo(direct[i], 12);
  });

  it('falls back to the remaining family when one is missing', () => {
    const b = randomVector(7);
    const r = weightedVoting({ ensemble: b });
    expect(r.weights).toEqual({ ensemble: 1 });
    for (let i = 0; i < 45; i++) expect(r.probabilities[i]).toBeCloseTo(b[i], 12);
    const t = weightedVoting({ transformer: b }, DEFAULT_VOTING_WEIGHTS);
    expect(t.weights).toEqual({ transformer: 1 });
  });

  it('refuses to vote with no members or unusable weights', () => {
    expect(() => weightedVoting({})).toThrow(/at least one member/);
    expect(() => weightedVoting({ transformer: randomVector(8) }, { transformer: 0, ensemble: 1 })).toThrow(/sum to 0/);
    expect(() => weightedVoting({ transformer: randomVector(8) }, { transformer: -1, ensemble: 1 })).toThrow(/non-negative/);
  });
});
