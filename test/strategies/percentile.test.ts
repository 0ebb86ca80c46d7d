import { describe, expect, it } from 'vitest';
import { Random } from '../../src/domain/random.js';
import { normalizeToSix } from '../../src/combination/normalize.js';
import { countSubsetsByLevel, PercentileTable, TOTAL_COMBINATIONS } from '../../src/strategies/percentile.js';

describe('countSubsetsByLevel', () => {
  it('matches brute-force enumeration of all C(12,3) subsets', () => {
    const r = new Random(3);
    for (let trial = 0; trial < 5; trial++) {
      const levels = Array.from({ length: 12 }, () => r.nextInt(20));
      const brute = new Map<number, number>();
      for (let a = 0; a < 12; a++)
        for (let b = a + 1; b < 12; b++)
          for (let c = b + 1; c < 12; c++) {
            const s = levels[a] + levels[b] + levels[c];
            brute.set(s, (brute.get(s) ?? 0) + 1);
          }
      const dp = countSubsetsByLevel(levels, 3);
      let total = 0;
      for (let s = 0; s < dp.length; s++) {
        expect(dp[s], `sum ${s}`).toBe(brute.get(s) ?? 0);
        total += dp[s];
      }
      expect(total).toBe(220);
    }
  });

  it('handles choosing none or all of the items', () => {
    expect(Array.from(countSubsetsByLevel([2, 3, 4], 0))).toEqual([1]);
    const all = countSubsetsByLevel([2, 3, 4], 3);
    expect(all[9]).toBe(1);
    expect(all.reduce((a, b) => a + b, 0)).toBe(1);
  });
});

/** Score of every one of the 8,145,060 combinations against each query, in one pass. */
function bruteForceBelow(values: ArrayLike<number>, queries: number[]): number[] {
  const below = new Array(queries.length).fill(0);
  const v = Float64Array.from(values);
  for (let a = 0; a < 40; a++)
    for (let b = a + 1; b < 41; b++) {
      const s2 = v[a] + v[b];
      for (let c = b + 1; c < 42; c++) {
        const s3 = s2 + v[c];
        for (let d = c + 1; d < 43; d++) {
          const s4 = s3 + v[d];
          for (let e = d + 1; e < 44; e++) {
            const s5 = s4 + v[e];
            for (let f = e + 1; f < 45; f++) {
              const s = s5 + v[f];
              for (let q = 0; q < queries.length; q++) if (s < queries[q]) below[q]++;
            }
          }
        }
      }
    }
  return below;
}

function randomSet(r: Random): number[] {
  return Array.from(r.sampleIndices(45, 6), (i) => i + 1).sort((a, b) => a - b);
}

describe('PercentileTable', () => {
  it('counts all C(45,6) = 8,145,060 combinations', () => {
    const t = PercentileTable.fromProbabilities(normalizeToSix(new Array(45).fill(1).map((_, i) => 1 + (i % 7))));
    expect(t.total).toBe(TOTAL_COMBINATIONS);
  });

  it('gives exact percentiles against full enumeration when probabilities sit on its grid', () => {
    // p = base + c·j with integer j spanning 0..R: quantisation is exact, so the DP must be too.
    const r = new Random(5);
    const R = 4096;
    const j = Array.from({ length: 45 }, () => r.nextInt(R + 1));
    j[0] = 0;
    j[1] = R;
    const p = j.map((x) => 0.05 + (0.2 * x) / R);
    const t = PercentileTable.fromProbabilities(p, { resolution: R });
    const sets = [randomSet(r), randomSet(r), randomSet(r), [1, 2, 3, 4, 5, 6], [40, 41, 42, 43, 44, 45]];
    // Enumerate in integer levels (exact ties), independent of the DP.
    const below = bruteForceBelow(j, sets.map((s) => s.reduce((a, n) => a + j[n - 1], 0)));
    sets.forEach((s, k) => expect(t.percentile(s), s.join(',')).toBe(below[k] / TOTAL_COMBINATIONS));
  });

  it('stays within its stated bounds of the exact percentile for a continuous vector', () => {
    const r = new Random(6);
    const p = normalizeToSix(Array.from({ length: 45 }, () => Math.exp(0.3 * r.nextNormal())));
    const t = PercentileTable.fromProbabilities(p);
    const top = Array.from({ length: 45 }, (_, i) => i + 1)
      .sort((a, b) => p[b - 1] - p[a - 1])
      .slice(0, 6)
      .sort((a, b) => a - b);
    const sets = [randomSet(r), randomSet(r), randomSet(r), randomSet(r), top];
    const below = bruteForceBelow(p, sets.map((s) => s.reduce((a, n) => a + p[n - 1], 0)));
    sets.forEach((s, k) => {
      const exact = below[k] / TOTAL_COMBINATIONS;
      const b = t.bounds(s);
      expect(exact).toBeGreaterThanOrEqual(b.low);
      expect(exact).toBeLessThanOrEqual(b.high);
      expect(Math.abs(t.percentile(s) - exact)).toBeLessThanOrEqual(b.high - b.low);
      expect(b.high - b.low).toBeLessThan(0.005);
    });
    // The best set under the model outscores all but a handful of combinations.
    expect(t.percentile(top)).toBeGreaterThan(0.9999);
  }, 20_000);

  it('ranks every set at 0 when the model has no preference', () => {
    const t = PercentileTable.fromProbabilities(new Array(45).fill(6 / 45));
    expect(t.percentile([1, 2, 3, 4, 5, 6])).toBe(0);
    expect(t.percentile([7, 14, 21, 28, 35, 42])).toBe(0);
  });

  it('reports the expected matches of a set and recognises its own vector', () => {
    const p = normalizeToSix(Array.from({ length: 45 }, (_, i) => 1 + i));
    const t = PercentileTable.fromProbabilities(p);
    expect(t.score([1, 2, 3, 4, 5, 6])).toBeCloseTo((21 * 6) / 1035, 12);
    expect(t.matches(p)).toBe(true);
    expect(t.matches(normalizeToSix(new Array(45).fill(1)))).toBe(false);
    expect(() => t.percentile([1, 2, 3])).toThrow(/6 numbers/);
  });
});
