import { describe, expect, it } from 'vitest';
import {
  CHANCE_MEAN_MATCHES,
  exactMatchesTest,
  exactMatchesTestForDraws,
  matchDistribution,
  PRIZE_TIER_PROBABILITIES,
  prizeTier,
  totalMatchesNull,
} from '../../../src/domain/inference/index.js';
import { Random } from '../../../src/domain/random.js';
import { enumerateOverUnion } from './bruteForce.js';

function binom(n: number, k: number): bigint {
  let r = 1n;
  for (let i = 1n; i <= BigInt(k); i++) r = (r * (BigInt(n) - BigInt(k) + i)) / i;
  return r;
}

const ticket = (r: Random) => [...r.sampleIndices(45, 6)].map((x) => x + 1);

describe('matchDistribution and prize tiers', () => {
  it('gives C(6,k)·C(39,6−k)/C(45,6), summing to 1 with mean 0.8', () => {
    const d = matchDistribution();
    const all = Number(binom(45, 6));
    for (let k = 0; k <= 6; k++) expect(d[k]).toBeCloseTo(Number(binom(6, k) * binom(39, 6 - k)) / all, 13);
    expect(d.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 13);
    expect(d.reduce((s, p, k) => s + k * p, 0)).toBeCloseTo(CHANCE_MEAN_MATCHES, 12);
    expect(CHANCE_MEAN_MATCHES).toBe(0.8);
  });

  it('matches the issue’s tier probabilities: 1st 1.228e-7, 2nd 7.366e-7, 3rd 2.7993e-5, 4th 0.0013646, 5th 0.0224406', () => {
    const rel = (a: number, b: number) => Math.abs(a - b) / b;
    expect(rel(PRIZE_TIER_PROBABILITIES[1], 1.228e-7)).toBeLessThan(1e-3);
    expect(rel(PRIZE_TIER_PROBABILITIES[2], 7.366e-7)).toBeLessThan(1e-3);
    expect(rel(PRIZE_TIER_PROBABILITIES[3], 2.7993e-5)).toBeLessThan(1e-4);
    expect(rel(PRIZE_TIER_PROBABILITIES[4], 0.0013646)).toBeLessThan(1e-4);
    expect(rel(PRIZE_TIER_PROBABILITIES[5], 0.0224406)).toBeLessThan(1e-5);
    // 2nd and 3rd split the 5-match probability by the bonus.
    expect(PRIZE_TIER_PROBABILITIES[2] + PRIZE_TIER_PROBABILITIES[3]).toBeCloseTo(matchDistribution()[5], 15);
    expect(prizeTier(5, true)).toBe(2);
    expect(prizeTier(5, false)).toBe(3);
    expect(prizeTier(2, true)).toBeNull();
  });
});

describe('totalMatchesNull', () => {
  it('for disjoint tickets is the hypergeometric count of drawn numbers in their union', () => {
    // python3 -c "from scipy.stats import hypergeom; print(list(hypergeom.pmf(range(7),45,30,6)))"
    const ref = [0.0006144828890149368, 0.011060692002268863, 0.07290001546949933, 0.22680004812733123, 0.353284690352189, 0.2624400556901975, 0.07290001546949933];
    const tickets = [0, 1, 2, 3, 4].map((t) => [1, 2, 3, 4, 5, 6].map((n) => n + 6 * t));
    const d = totalMatchesNull(tickets);
    // Six disjoint-ticket numbers at most can be drawn: support 0..6.
    expect(d.length).toBe(7);
    for (let s = 0; s <= 6; s++) expect(d[s]).toBeCloseTo(ref[s], 14);
  });

  it('agrees with enumeration over the union for overlapping and repeated tickets', () => {
    const cases = [
      [[1, 2, 3, 4, 5, 6], [4, 5, 6, 7, 8, 9], [1, 5, 9, 13, 17, 21]],
      [[10, 11, 12, 13, 14, 15], [10, 11, 12, 13, 14, 15]],
      [[1, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6, 7], [3, 4, 5, 6, 7, 8], [40, 41, 42, 43, 44, 45]],
    ];
    for (const tickets of cases) {
      const ref = enumerateOverUnion(tickets, (drawn) => tickets.reduce((s, t) => s + t.filter((n) => drawn.has(n)).length, 0));
      const d = totalMatchesNull(tickets);
      for (let s = 0; s < d.length; s++) expect(d[s]).toBeCloseTo(ref.get(s) ?? 0, 13);
    }
  });

  it('refuses malformed tickets', () => {
    expect(() => totalMatchesNull([[1, 2, 3, 4, 5]])).toThrow(/6 numbers/);
    expect(() => totalMatchesNull([[1, 1, 2, 3, 4, 5]])).toThrow(/repeats/);
    expect(() => totalMatchesNull([[0, 1, 2, 3, 4, 5]])).toThrow(/1\.\.45/);
  });
});

describe('exactMatchesTest', () => {
  it('one draw of five disjoint tickets: P(total ≥ 5) is the hypergeometric tail', () => {
    const tickets = [0, 1, 2, 3, 4].map((t) => [1, 2, 3, 4, 5, 6].map((n) => n + 6 * t));
    const r = exactMatchesTest([tickets], [5]);
    // python3 -c "from scipy.stats import hypergeom; print(hypergeom.sf(4,45,30,6))"
    expect(r.pValue).toBeCloseTo(0.33534007115969683, 13);
    expect(r.observedMean).toBeCloseTo(1, 15);
    expect(r.chanceMean).toBeCloseTo(0.8, 13);
  });

  it('convolves draws: one ticket then two disjoint tickets, P(total ≥ 5)', () => {
    // python3 -c "import numpy as np; from scipy.stats import hypergeom as h; print(np.convolve(h.pmf(range(7),45,6,6), h.pmf(range(13),45,12,6))[5:].sum())"
    const r = exactMatchesTest([[[1, 2, 3, 4, 5, 6]], [[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]], [2, 3]);
    expect(r.pValue).toBeCloseTo(0.05678583797759429, 13);
    // The lower tail P(total ≤ 5) = 1 − P(total ≥ 6), from the same two scipy pmfs:
    // python3 -c "import numpy as np; from scipy.stats import hypergeom as h; print(np.convolve(h.pmf(range(7),45,6,6), h.pmf(range(13),45,12,6))[:6].sum())"
    expect(exactMatchesTest([[[1, 2, 3, 4, 5, 6]], [[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]], [2, 3]).pValueLower).toBeCloseTo(0.9883532346512643, 13);
  });

  it('holds its level under chance and finds tickets that know the draw', () => {
    const rnd = new Random(7);
    let rejections = 0;
    const experiments = 300;
    for (let e = 0; e < experiments; e++) {
      const perDraw = Array.from({ length: 12 }, () => Array.from({ length: 3 }, () => ticket(rnd)));
      const drawn = Array.from({ length: 12 }, () => ticket(rnd));
      if (exactMatchesTestForDraws(perDraw, drawn).pValue <= 0.05) rejections++;
    }
    // An exact (discrete, hence conservative) test: at most 5% plus sampling slack (sd ≈ 1.3%).
    expect(rejections / experiments).toBeLessThan(0.085);
    // Tickets sharing two numbers with each draw beat chance by far.
    const drawn = Array.from({ length: 30 }, () => ticket(rnd));
    const cheating = drawn.map((d) => [[d[0], d[1], ...[30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41].filter((n) => !d.includes(n)).slice(0, 4)]]);
    expect(exactMatchesTestForDraws(cheating, drawn).pValue).toBeLessThan(1e-6);
  });

  it('scores 300 draws of 10 overlapping sets exactly', () => {
    const rnd = new Random(11);
    const perDraw = Array.from({ length: 300 }, () => Array.from({ length: 10 }, () => ticket(rnd)));
    const drawn = Array.from({ length: 300 }, () => ticket(rnd));
    const r = exactMatchesTestForDraws(perDraw, drawn);
    expect(r.tickets).toBe(3000);
    expect(r.chanceMean).toBeCloseTo(0.8, 10);
    expect(r.pValue).toBeGreaterThan(0);
    expect(r.pValue + r.pValueLower).toBeGreaterThanOrEqual(1);
  });
});
