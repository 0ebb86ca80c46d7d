import { describe, expect, it } from 'vitest';
import type { Draw } from '../../../src/domain/draw.js';
import { fairnessReport, frequencyChiSquare, sampleFairDraws, sampleNumberBiasedDraws, smallestDetectableEffect } from '../../../src/domain/fairness/index.js';
import { holm } from '../../../src/domain/inference/index.js';
import { Random } from '../../../src/domain/random.js';
import { loadHistoryDraws } from '../../helpers/history.js';

/** Fast settings: these tests check behaviour, not the default precision. */
const FAST = { nullSimulations: 40, powerSimulations: 20, permutations: 199 } as const;

function syntheticDraws(numbers: Uint8Array, machineOf: (i: number) => number | null, firstRound = 1): Draw[] {
  const out: Draw[] = [];
  for (let i = 0; i < numbers.length / 6; i++) {
    out.push({
      round: firstRound + i,
      date: '2020-01-01',
      numbers: [...numbers.subarray(i * 6, i * 6 + 6)].sort((a, b) => a - b),
      bonus: 45,
      machine: machineOf(i),
      firstPrizeEach: null,
      firstPrizeWinners: null,
      totalSales: null,
    });
  }
  return out;
}

describe('fairnessReport', () => {
  const shared = loadHistoryDraws();

  it('covers each requested scope and range, applies Holm within each scope, and is reproducible JSON', () => {
    const opts = { machines: ['all', 3] as const, from: 800, to: 1000, seed: 5, ...FAST };
    const r = fairnessReport(shared, { ...opts, machines: [...opts.machines] });
    const inRange = shared.filter((d) => d.round >= 800 && d.round <= 1000);
    expect(r.scopes.map((s) => s.machine)).toEqual(['all', 3]);
    expect(r.scopes[0].draws).toBe(inRange.length);
    expect(r.scopes[1].draws).toBe(inRange.filter((d) => d.machine === 3).length);
    expect(r.scopes[0].tests.map((t) => t.test)).toEqual(['frequency', 'pairs', 'gaps', 'runs', 'autocorrelation', 'machines_differ']);
    expect(r.scopes[1].tests.map((t) => t.test)).not.toContain('machines_differ');
    for (const s of r.scopes) {
      const adj = holm(s.tests.map((t) => t.pValue));
      s.tests.forEach((t, i) => expect(t.adjustedP).toBeCloseTo(adj[i], 15));
      expect(s.minAdjustedP).toBe(Math.min(...adj));
      expect(s.conclusion.en.length).toBeGreaterThan(20);
      expect(s.conclusion.ko).toMatch(/[가-힣]/);
    }
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(fairnessReport(shared, { ...opts, machines: [...opts.machines] })).toEqual(r);
  });

  it('says plainly when a scope has too few draws and refuses bad options', () => {
    const r = fairnessReport(shared, { machines: [1], from: 262, to: 300, seed: 1, ...FAST });
    expect(r.scopes[0].tests).toEqual([]);
    expect(r.scopes[0].conclusion.en).toMatch(/Too few draws/);
    expect(() => fairnessReport(shared, { machines: [7], seed: 1 })).toThrow(/unknown machine/);
    expect(() => fairnessReport(shared, { machines: ['all'], from: 9, to: 3, seed: 1 })).toThrow(/after/);
    expect(() => fairnessReport(shared, { machines: [], seed: 1 })).toThrow(/at least one/);
  });

  it('finds a planted bias: one number forced into every third draw', () => {
    const biased = sampleNumberBiasedDraws(new Random(3), 300, 7, 1 + (1 / 3) * (45 / 6 - 1));
    const r = fairnessReport(syntheticDraws(biased, () => 1), { machines: [1], seed: 2, ...FAST });
    const freq = r.scopes[0].tests.find((t) => t.test === 'frequency');
    expect(freq?.adjustedP).toBeLessThan(1e-6);
    expect(r.scopes[0].conclusion.en).toMatch(/^Evidence that/);
  });

  it('machines-differ permutation test: p spread out when labels are arbitrary, 1/(permutations+1) when one machine is biased', () => {
    const ps: number[] = [];
    for (let rep = 0; rep < 10; rep++) {
      const fair = sampleFairDraws(new Random(100 + rep), 150);
      const r = fairnessReport(syntheticDraws(fair, (i) => (i % 3) + 1), { machines: ['all'], seed: rep, ...FAST, powerSimulations: 10 });
      ps.push(r.scopes[0].tests.find((t) => t.test === 'machines_differ')?.pValue ?? Number.NaN);
    }
    // Under H0 the permutation p is uniform: a mean near 0.5 and no extreme run of small values.
    const mean = ps.reduce((a, b) => a + b, 0) / ps.length;
    expect(mean).toBeGreaterThan(0.25);
    expect(mean).toBeLessThan(0.75);
    expect(ps.filter((p) => p < 0.05).length).toBeLessThanOrEqual(2);

    const rnd = new Random(8);
    const part1 = sampleNumberBiasedDraws(rnd, 100, 7, 5);
    const part2 = sampleFairDraws(rnd, 100);
    const both = new Uint8Array([...part1, ...part2]);
    const planted = fairnessReport(syntheticDraws(both, (i) => (i < 100 ? 1 : 2)), { machines: ['all'], seed: 1, ...FAST, powerSimulations: 10 });
    expect(planted.scopes[0].tests.find((t) => t.test === 'machines_differ')?.pValue).toBeCloseTo(1 / 200, 12);
  });
});

describe('power', () => {
  it('the detectable frequency bias shrinks with more draws, and an independent simulation at that bias has about 80% power', () => {
    const rejects = (draws: number) => (rnd: Random, r: number) => frequencyChiSquare(sampleNumberBiasedDraws(rnd, draws, 1, r)).pValue < 0.05;
    const small = smallestDetectableEffect(rejects(100), { lo: 1, hi: 4, seed: 1, simulations: 150 });
    const large = smallestDetectableEffect(rejects(400), { lo: 1, hi: 4, seed: 1, simulations: 150 });
    expect(small.effect).not.toBeNull();
    expect(large.effect).not.toBeNull();
    expect(large.effect as number).toBeLessThan(small.effect as number);
    // Fresh seed, more data sets: the power at the reported effect is close to 0.8.
    const rnd = new Random(999);
    let hits = 0;
    const sims = 300;
    for (let s = 0; s < sims; s++) if (rejects(400)(rnd, large.effect as number)) hits++;
    expect(hits / sims).toBeGreaterThan(0.68);
    expect(hits / sims).toBeLessThan(0.92);
    // A fair machine (ratio 1) is rejected at about α.
    let falseAlarms = 0;
    for (let s = 0; s < sims; s++) if (rejects(400)(rnd, 1)) falseAlarms++;
    expect(falseAlarms / sims).toBeLessThan(0.1);
  });

  it('reports null when even the largest effect tried is out of reach', () => {
    const r = smallestDetectableEffect(() => false, { lo: 1, hi: 2, seed: 1, simulations: 10 });
    expect(r.effect).toBeNull();
    expect(r.power).toBe(0);
  });
});
