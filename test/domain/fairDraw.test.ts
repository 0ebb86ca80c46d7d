import { describe, expect, it } from 'vitest';
import { acValueDistribution, binomial, oddCountDistribution, sumDistribution, type ExactDistribution } from '../../src/domain/fairDraw.js';
import { acValue, oddCount, totalSum } from '../../src/domain/stats.js';

/** Every k-of-n combination, for brute-force reference counts on small universes. */
function* combinations(n: number, k: number, start = 1, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === k) {
    yield prefix;
    return;
  }
  for (let x = start; x <= n - (k - prefix.length) + 1; x++) yield* combinations(n, k, x + 1, [...prefix, x]);
}

function bruteForce(n: number, k: number, stat: (c: number[]) => number): Map<number, number> {
  const m = new Map<number, number>();
  for (const c of combinations(n, k)) m.set(stat(c), (m.get(stat(c)) ?? 0) + 1);
  return m;
}

function asMap(d: ExactDistribution): Map<number, number> {
  return new Map(d.values.map((v, i) => [v, d.counts[i]] as [number, number]).filter(([, c]) => c > 0));
}

describe('exact distributions under a fair draw', () => {
  it.each([
    [12, 6],
    [14, 5],
    [10, 4],
  ])('match a brute-force count over every %i-choose-%i combination', (n, k) => {
    expect(asMap(sumDistribution(n, k))).toEqual(bruteForce(n, k, totalSum));
    expect(asMap(oddCountDistribution(n, k))).toEqual(bruteForce(n, k, oddCount));
    expect(asMap(acValueDistribution(n, k))).toEqual(bruteForce(n, k, acValue));
  });

  it('cover all 8,145,060 combinations of 6/45 with the known means', () => {
    const total = 8_145_060;
    expect(binomial(45, 6)).toBe(total);
    const mean = (d: ExactDistribution) => d.values.reduce((acc, v, i) => acc + v * d.counts[i], 0) / d.total;
    for (const d of [sumDistribution(), oddCountDistribution(), acValueDistribution()]) {
      expect(d.total).toBe(total);
      expect(d.counts.reduce((a, b) => a + b, 0)).toBe(total);
    }
    const sum = sumDistribution();
    expect([sum.values[0], sum.values.at(-1)]).toEqual([21, 255]);
    // Each number is drawn with probability 6/45: E[sum] = 6 × 23, E[odd] = 6 × 23/45.
    expect(mean(sum)).toBeCloseTo(138, 9);
    expect(mean(oddCountDistribution())).toBeCloseTo((6 * 23) / 45, 9);
    // Sum is symmetric about 138 (x ↦ 46 − x maps combinations one to one).
    sum.values.forEach((v, i) => expect(sum.counts[sum.values.indexOf(276 - v)]).toBe(sum.counts[i]));
    const ac = acValueDistribution();
    expect(ac.values).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // AC 0: the 6 numbers form an arithmetic progression (step s, 45 − 5s starts each).
    let progressions = 0;
    for (let s = 1; 5 * s < 45; s++) progressions += 45 - 5 * s;
    expect(ac.counts[0]).toBe(progressions);
  });
});
