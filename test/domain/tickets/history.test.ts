import { describe, expect, it } from 'vitest';
import { buildDrawMaskIndex, winsOf } from '../../../src/domain/tickets/history.js';
import { COMBINATIONS, expectedWins, TIER_WAYS } from '../../../src/domain/tickets/odds.js';
import { rankGame } from '../../../src/domain/tickets/prize.js';

/** A small seeded generator (mulberry32) so the cases are the same every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(r: () => number, k: number, exclude: Set<number> = new Set()): number[] {
  const out = new Set<number>();
  while (out.size < k) {
    const n = 1 + Math.floor(r() * 45);
    if (!exclude.has(n)) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

describe('the bitmask history index', () => {
  it('ranks a combination against every draw exactly as rankGame does (numbers 31/32 and 45 at the word edges included)', () => {
    const r = rng(13);
    const draws = Array.from({ length: 400 }, (_, i) => {
      const numbers = i === 0 ? [1, 30, 31, 32, 33, 45] : pick(r, 6);
      const [bonus] = pick(r, 1, new Set(numbers));
      return { round: i + 1, numbers, bonus };
    });
    const index = buildDrawMaskIndex(draws);
    for (let c = 0; c < 300; c++) {
      const combo = c === 0 ? [1, 30, 31, 32, 33, 45] : c < 150 ? draws[c].numbers.slice(0, 4).concat(pick(r, 2, new Set(draws[c].numbers))).sort((a, b) => a - b) : pick(r, 6);
      if (new Set(combo).size !== 6) continue;
      const expected = draws
        .map((d) => ({ round: d.round, ...rankGame(combo, d) }))
        .filter((m) => m.rank !== null)
        .map((m) => ({ round: m.round, matches: m.matches, bonusMatch: m.bonusMatch, rank: m.rank }));
      expect(winsOf(index, combo)).toEqual(expected);
    }
  });
});

describe('the odds of each tier', () => {
  const choose = (n: number, k: number): number => (k === 0 ? 1 : (choose(n - 1, k - 1) * n) / k);
  it('match the combinatorics of 6/45 with a bonus ball', () => {
    expect(COMBINATIONS).toBe(choose(45, 6));
    expect(TIER_WAYS[1]).toBe(1);
    expect(TIER_WAYS[2]).toBe(choose(6, 5));
    expect(TIER_WAYS[3]).toBe(choose(6, 5) * 38);
    expect(TIER_WAYS[4]).toBe(choose(6, 4) * choose(39, 2));
    expect(TIER_WAYS[5]).toBe(choose(6, 3) * choose(39, 3));
  });
  it('expected wins scale with the number of games', () => {
    expect(expectedWins(8_145_060)).toEqual({ 1: 1, 2: 6, 3: 228, 4: 11_115, 5: 182_780 });
    expect(expectedWins(0)[5]).toBe(0);
  });
});
