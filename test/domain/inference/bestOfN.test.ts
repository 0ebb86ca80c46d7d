import { describe, expect, it } from 'vitest';
import { bestMatches, bestOfNChance, bestOfNIndependent, bestOfNRandomizationTest } from '../../../src/domain/inference/index.js';
import { Random } from '../../../src/domain/random.js';
import { enumerateOverUnion } from './bruteForce.js';

const ticket = (r: Random) => [...r.sampleIndices(45, 6)].map((x) => x + 1);

describe('best of N', () => {
  it('closed form for independent uniform tickets: 1.729 for 5 sets, 2.083 for 10', () => {
    // python3 -c "from scipy.stats import hypergeom; F=lambda k: hypergeom.cdf(k,45,6,6); print(sum(1-F(k-1)**5 for k in range(1,7)), sum(1-F(k-1)**10 for k in range(1,7)))"
    expect(bestOfNIndependent(5)).toBeCloseTo(1.7289354902446274, 11);
    expect(bestOfNIndependent(10)).toBeCloseTo(2.082849724047559, 11);
    expect(bestOfNIndependent(1)).toBeCloseTo(0.8, 12);
  });

  it('exact value for given tickets agrees with enumeration over their union', () => {
    const cases = [
      [0, 1, 2].map((t) => [1, 2, 3, 4, 5, 6].map((n) => n + 6 * t)),
      [[1, 2, 3, 4, 5, 6], [4, 5, 6, 7, 8, 9], [1, 5, 9, 13, 17, 21]],
      [[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]],
    ];
    for (const tickets of cases) {
      const ref = enumerateOverUnion(tickets, (drawn) => Math.max(...tickets.map((t) => t.filter((n) => drawn.has(n)).length)));
      const r = bestOfNChance(tickets);
      expect(r.exact).toBe(true);
      for (let k = 0; k <= 6; k++) expect(r.distribution[k]).toBeCloseTo(ref.get(k) ?? 0, 11);
      expect(r.mean).toBeCloseTo([...ref].reduce((s, [k, p]) => s + k * p, 0), 11);
    }
    // Identical tickets are no better than one.
    expect(bestOfNChance([[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]]).mean).toBeCloseTo(0.8, 13);
  });

  it('disjoint tickets beat independent ones (less overlap, more coverage)', () => {
    const disjoint = [0, 1, 2, 3, 4].map((t) => [1, 2, 3, 4, 5, 6].map((n) => n + 6 * t));
    const r = bestOfNChance(disjoint);
    expect(r.mean).toBeGreaterThan(bestOfNIndependent(5));
    // Best = 0 exactly when the draw misses all 30 numbers:
    // python3 -c "from scipy.stats import hypergeom; print(hypergeom.pmf(0,45,30,6))"
    expect(r.distribution[0]).toBeCloseTo(0.0006144828890149368, 13);
  });

  it('Monte Carlo agrees with the exact value within 4 standard errors and is reproducible', () => {
    const rnd = new Random(3);
    const tickets = Array.from({ length: 10 }, () => ticket(rnd));
    const exact = bestOfNChance(tickets);
    const mc = bestOfNChance(tickets, { method: 'monte-carlo', random: new Random(5), samples: 20000 });
    expect(mc.exact).toBe(false);
    expect(Math.abs(mc.mean - exact.mean)).toBeLessThan(4 * mc.standardError);
    expect(bestOfNChance(tickets, { method: 'monte-carlo', random: new Random(5), samples: 20000 }).mean).toBe(mc.mean);
    expect(() => bestOfNChance(tickets, { method: 'monte-carlo' })).toThrow(/seeded/);
  });

  it('randomization test: uniform-ish under chance, tiny p when the tickets know the draw', () => {
    const rnd = new Random(9);
    let small = 0;
    const experiments = 40;
    for (let e = 0; e < experiments; e++) {
      const perDraw = Array.from({ length: 10 }, () => Array.from({ length: 3 }, () => ticket(rnd)));
      const drawn = Array.from({ length: 10 }, () => ticket(rnd));
      if (bestOfNRandomizationTest(perDraw, drawn, { random: new Random(e), resamples: 199 }).pValue <= 0.1) small++;
    }
    expect(small / experiments).toBeLessThan(0.3);
    const drawn = Array.from({ length: 20 }, () => ticket(rnd));
    const knowing = drawn.map((d) => [d, ticket(rnd)]);
    const r = bestOfNRandomizationTest(knowing, drawn, { random: new Random(1), resamples: 199 });
    expect(r.observedMean).toBe(6);
    expect(r.pValue).toBeCloseTo(1 / 200, 12);
    expect(bestMatches(knowing[0], drawn[0])).toBe(6);
  });
});
