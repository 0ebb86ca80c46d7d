import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/domain/random.js';
import { allSubsets, binomial, maskOf } from '../../../src/domain/wheels/bits.js';
import { drawsWithAtLeast, verifyWheel } from '../../../src/domain/wheels/verify.js';
import { checkedTableTickets, GUARANTEE_NAMES, makeWheel, parseGuaranteeName, type Guarantee } from '../../../src/domain/wheels/index.js';

/** k-subsets of an array, plainly (recursion over actual numbers: no masks). */
function combos<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [head, ...rest] = items;
  return [...combos(rest, k - 1).map((c) => [head, ...c]), ...combos(rest, k)];
}

/** Brute force with number arrays: p-subsets of the pool that no ticket meets in ≥ m. */
function bruteFailures(pool: number[], tickets: number[][], g: Guarantee): number {
  let failures = 0;
  for (const drawn of combos(pool, g.if)) {
    const hit = tickets.some((t) => t.filter((n) => drawn.includes(n)).length >= g.match);
    if (!hit) failures++;
  }
  return failures;
}

const toMasks = (pool: number[], tickets: number[][]) => tickets.map((t) => maskOf(t.map((n) => pool.indexOf(n))));

describe('wheel verifier', () => {
  it('agrees with a brute force over number arrays on random wheels, guarantees and pools of 7 to 11', () => {
    const rnd = new Random(7);
    let held = 0;
    let failed = 0;
    for (let trial = 0; trial < 120; trial++) {
      const size = 7 + rnd.nextInt(5);
      const pool = Array.from(rnd.sampleIndices(45, size), (i) => i + 1).sort((a, b) => a - b);
      const g = parseGuaranteeName(GUARANTEE_NAMES[rnd.nextInt(GUARANTEE_NAMES.length)]) as Guarantee;
      const count = 1 + rnd.nextInt(8);
      const tickets = Array.from({ length: count }, () => Array.from(rnd.sampleIndices(size, 6), (i) => pool[i]).sort((a, b) => a - b));
      const proof = verifyWheel(size, toMasks(pool, tickets), g);
      const brute = bruteFailures(pool, tickets, g);
      expect(proof.failures, `trial ${trial}`).toBe(brute);
      expect(proof.held).toBe(brute === 0);
      expect(proof.subsetsChecked).toBe(binomial(size, g.if));
      if (proof.held) held++;
      else failed++;
    }
    // Both outcomes occur, so the comparison covers passing and failing wheels.
    expect(held).toBeGreaterThan(5);
    expect(failed).toBeGreaterThan(5);
  });

  it('a wheel it passes wins on every real 6-of-45 draw with enough pool numbers, and it counts those draws right', () => {
    const pool = [2, 9, 14, 23, 31, 38, 40, 44];
    const g = { match: 3, if: 3 };
    const wheel = makeWheel({ pool, guarantee: g });
    expect(wheel.proof.held).toBe(true);
    const outside = Array.from({ length: 45 }, (_, i) => i + 1).filter((n) => !pool.includes(n));
    let draws = 0;
    for (let j = g.if; j <= 6; j++) {
      for (const inPool of combos(pool, j)) {
        for (const rest of combos(outside, 6 - j)) {
          draws++;
          const drawn = new Set([...inPool, ...rest]);
          const best = Math.max(...wheel.tickets.map((t) => t.filter((n) => drawn.has(n)).length));
          if (best < g.match) throw new Error(`draw ${[...drawn].join(',')} wins nothing`);
        }
      }
    }
    expect(draws).toBe(wheel.proof.drawsCovered);
    expect(drawsWithAtLeast(8, 3)).toBe(draws);
  });

  it('catches a planted broken wheel: one number changed on one ticket of a valid wheel', () => {
    const pool = [1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34];
    const g = { match: 4, if: 6 };
    const wheel = makeWheel({ pool, guarantee: g });
    expect(verifyWheel(12, toMasks(pool, wheel.tickets), g).held).toBe(true);
    let caught = 0;
    // Every single-number change of the first ticket that breaks the wheel must be reported, with a real counterexample.
    for (const out of wheel.tickets[0]) {
      for (const inn of pool.filter((n) => !wheel.tickets[0].includes(n))) {
        const broken = wheel.tickets.map((t, i) => (i === 0 ? t.map((n) => (n === out ? inn : n)).sort((a, b) => a - b) : t));
        const proof = verifyWheel(12, toMasks(pool, broken), g);
        const brute = bruteFailures(pool, broken, g);
        expect(proof.failures).toBe(brute);
        if (!proof.held) {
          caught++;
          const drawn = (proof.counterexample as number[]).map((i) => pool[i]);
          expect(broken.every((t) => t.filter((n) => drawn.includes(n)).length < g.match)).toBe(true);
        }
      }
    }
    expect(caught).toBeGreaterThan(0);
  });

  it('a damaged table wheel is refused, not handed out', () => {
    const pool = [1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34];
    const g = { match: 4, if: 6 };
    const good = toMasks(pool, makeWheel({ pool, guarantee: g }).tickets);
    expect(checkedTableTickets(12, g, good)).toEqual(good);
    expect(checkedTableTickets(12, g, good.slice(1))).toBeNull();
    expect(checkedTableTickets(12, g, [...good.slice(1), 0b111])).toBeNull();
  });

  it('rejects a ticket that is not six pool numbers instead of proving something about it', () => {
    expect(() => verifyWheel(8, [maskOf([0, 1, 2, 3, 4])], { match: 3, if: 3 })).toThrow(/six numbers/);
    expect(() => verifyWheel(8, [maskOf([0, 1, 2, 3, 4, 9])], { match: 3, if: 3 })).toThrow(/six numbers/);
  });

  it('checks all C(20, 6) subsets of a 20-number pool', () => {
    const proof = verifyWheel(20, allSubsets(20, 6).slice(0, 3), { match: 4, if: 6 });
    expect(proof.subsetsChecked).toBe(38760);
    expect(proof.held).toBe(false);
  });
});
