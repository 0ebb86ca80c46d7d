import { describe, expect, it } from 'vitest';
import { Random } from '../../src/domain/random.js';
import { acValue, consecutivePairs, lastDigitSum, oddCount, sectionCounts, totalSum } from '../../src/domain/stats.js';
import { MACHINE_STRATEGIES } from '../../src/strategies/machineStrategies.js';
import { firstSetSearcher, searchSets } from '../../src/strategies/search.js';
import type { HardConstraints } from '../../src/strategies/constraints.js';

const SPECIAL = new Set([1, 2, 3, 5, 7, 8, 11, 13, 17, 19, 21, 23, 29, 31, 34, 37, 41, 43]);

function meets(set: number[], c: HardConstraints): boolean {
  const within = (v: number, r?: readonly [number, number]) => !r || (v >= r[0] && v <= r[1]);
  if (!within(oddCount(set), c.oddCount) || !within(totalSum(set), c.totalSum) || !within(lastDigitSum(set), c.lastDigitSum)) return false;
  if (c.sectionCounts && sectionCounts(set).some((v, i) => v !== c.sectionCounts?.[i])) return false;
  if (c.maxConsecutivePairs !== undefined && consecutivePairs(set) > c.maxConsecutivePairs) return false;
  if (c.minSpecial !== undefined && set.filter((n) => SPECIAL.has(n)).length < c.minSpecial) return false;
  if (c.minAc !== undefined && acValue(set) < c.minAc) return false;
  return true;
}

/** All ways to pick k positions of `order`, in lexicographic order of positions (take-before-skip). */
function* combinations(order: number[], k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) {
    yield acc;
    return;
  }
  for (let i = start; i <= order.length - (k - acc.length); i++) yield* combinations(order, k, i + 1, [...acc, order[i]]);
}

describe('searchSets', () => {
  it('returns exactly the first valid sets in priority order, or none when none exist (vs brute force)', () => {
    const r = new Random(77);
    let none = 0;
    let some = 0;
    for (let trial = 0; trial < 300; trial++) {
      const strategy = MACHINE_STRATEGIES[trial % 3];
      const pool = Array.from(r.sampleIndices(45, 12 + r.nextInt(5)), (i) => i + 1); // random priority order
      const nInclude = r.nextInt(3);
      const include = pool.slice(0, nInclude).sort((a, b) => a - b);
      const order = pool.slice(nInclude);
      const previous = r.nextInt(2) ? [Array.from(r.sampleIndices(45, 6), (i) => i + 1)] : [];
      const maxShared = 2 + r.nextInt(2);
      const expected: number[][] = [];
      for (const pick of combinations(order, 6 - include.length)) {
        const set = [...include, ...pick].sort((a, b) => a - b);
        if (!meets(set, strategy.constraints)) continue;
        if (previous.some((p) => set.filter((n) => p.includes(n)).length > maxShared)) continue;
        expected.push(set);
        if (expected.length === 3) break;
      }
      const got = searchSets({ order, include, constraints: strategy.constraints, previous, maxShared, limit: 3 });
      expect(got.sets, `trial ${trial}`).toEqual(expected);
      if (expected.length) some++;
      else none++;
    }
    // The trials cover both outcomes.
    expect(some).toBeGreaterThan(50);
    expect(none).toBeGreaterThan(5);
  });

  it('takes the first six numbers of the order when nothing constrains it', () => {
    const order = [44, 3, 17, 9, 30, 21, 1, 2];
    expect(searchSets({ order, include: [], constraints: {} }).sets).toEqual([[3, 9, 17, 21, 30, 44]]);
  });

  it('proves an impossible request quickly by pruning rather than enumerating', () => {
    const order = Array.from({ length: 40 }, (_, i) => i + 6);
    const res = searchSets({ order, include: [1, 2, 3, 4, 5], constraints: { minAc: 7 } });
    expect(res.sets).toEqual([]);
    expect(res.nodes).toBeLessThan(100);
  });

  it('a reused searcher gives the same first set and node count as a fresh search, run after run', () => {
    const r = new Random(5);
    for (const strategy of MACHINE_STRATEGIES) {
      const searcher = firstSetSearcher(strategy.constraints, 2);
      const previous: number[][] = [];
      for (let t = 0; t < 60; t++) {
        const include = t % 5 === 0 ? [1 + r.nextInt(45)] : [];
        const pool = Array.from({ length: 45 }, (_, i) => i + 1).filter((n) => !include.includes(n) && (t % 3 !== 0 || n % 7 !== 0));
        for (let i = pool.length - 1; i > 0; i--) {
          const j = r.nextInt(i + 1);
          [pool[i], pool[j]] = [pool[j], pool[i]];
        }
        const prev = previous.slice(-4);
        const fresh = searchSets({ order: pool, include, constraints: strategy.constraints, previous: prev, maxShared: 2 });
        expect(searcher(pool, include, prev)).toEqual(fresh);
        if (fresh.sets.length) previous.push(fresh.sets[0]);
      }
    }
  });
});
