import { describe, expect, it } from 'vitest';
import { exactWheel, infeasibility, searchWheel } from '../../../src/domain/wheels/search.js';
import { verifyWheel } from '../../../src/domain/wheels/verify.js';
import {
  GUARANTEE_NAMES,
  implies,
  makeWheel,
  parseGuaranteeName,
  PEER_SIZES,
  STRENGTH_ORDER,
  strengthRank,
  tableSize,
  WheelBudgetError,
  WheelInputError,
  type Guarantee,
} from '../../../src/domain/wheels/index.js';

const G = (name: string) => parseGuaranteeName(name) as Guarantee;
const POOL_14 = [2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35, 38, 41];

describe('wheel search', () => {
  it('the same seed gives the same wheel, and the seed is what varies it', () => {
    const pr = { size: 14, match: 4, if: 6, fixedMask: 0b1 };
    const a = searchWheel(pr, { seed: 5, movesPerLevel: 5000, totalMoves: 50_000 });
    const b = searchWheel(pr, { seed: 5, movesPerLevel: 5000, totalMoves: 50_000 });
    expect(b.tickets).toEqual(a.tickets);
    const distinct = new Set([1, 2, 3, 4].map((seed) => JSON.stringify(searchWheel(pr, { seed, movesPerLevel: 5000, totalMoves: 50_000 }).tickets)));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('makeWheel with fixed numbers reproduces its wheel for a seed and reports the seed', () => {
    const spec = { pool: POOL_14, guarantee: G('3if4'), fixed: [8, 20], seed: 99 };
    const a = makeWheel(spec);
    const b = makeWheel(spec);
    expect(b.tickets).toEqual(a.tickets);
    expect(a.seed).toBe(99);
    expect(a.source).not.toBe('table');
  });

  it('every searched wheel is verified, with and without fixed numbers', () => {
    for (const name of GUARANTEE_NAMES) {
      const g = G(name);
      const r = searchWheel({ size: 11, match: g.match, if: g.if, fixedMask: 0 }, { seed: 3, movesPerLevel: 3000, totalMoves: 30_000 });
      expect(verifyWheel(11, r.tickets, g).held, name).toBe(true);
    }
  });

  it('exact search proves 4 tickets minimal for 3if3 on 7 numbers and finds a 2-ticket 3if6 wheel on 12', () => {
    expect(exactWheel({ size: 7, match: 3, if: 3, fixedMask: 0 }, 3).kind).toBe('none');
    const four = exactWheel({ size: 7, match: 3, if: 3, fixedMask: 0 }, 4);
    expect(four.kind).toBe('found');
    if (four.kind === 'found') expect(verifyWheel(7, four.tickets, G('3if3')).held).toBe(true);
    const two = exactWheel({ size: 12, match: 3, if: 6, fixedMask: 0 }, 2);
    expect(two.kind).toBe('found');
    if (two.kind === 'found') expect(verifyWheel(12, two.tickets, G('3if6')).held).toBe(true);
    expect(exactWheel({ size: 12, match: 3, if: 6, fixedMask: 0 }, 1).kind).toBe('none');
  });

  it('continues from a given covering wheel: the result holds, is never larger, and a start that does not cover is refused', () => {
    const pr = { size: 14, match: 4, if: 6, fixedMask: 0 };
    const greedyOnly = searchWheel(pr, { seed: 2, movesPerLevel: 1, totalMoves: 1 });
    const continued = searchWheel(pr, { seed: 3, start: greedyOnly.tickets, movesPerLevel: 20_000 });
    expect(verifyWheel(14, continued.tickets, pr).held).toBe(true);
    expect(continued.tickets.length).toBeLessThan(greedyOnly.tickets.length);
    expect(searchWheel(pr, { seed: 3, start: greedyOnly.tickets, movesPerLevel: 20_000 }).tickets).toEqual(continued.tickets);
    expect(() => searchWheel(pr, { seed: 3, start: greedyOnly.tickets.slice(1) })).toThrow(/start wheel leaves \d+ p-subsets uncovered/);
  });

  it('says why fixed numbers make a guarantee impossible', () => {
    expect(infeasibility({ size: 12, match: 4, if: 6, fixedMask: 0b11111 })).toMatch(/1 free place/);
    expect(infeasibility({ size: 12, match: 3, if: 6, fixedMask: 0b111 })).toBeNull();
  });
});

describe('the shipped wheel table', () => {
  it('has a verified wheel for every pool size 7..20 and every guarantee', () => {
    for (let T = 7; T <= 20; T++) {
      for (const name of GUARANTEE_NAMES) {
        const w = makeWheel({ pool: Array.from({ length: T }, (_, i) => 45 - 2 * i), guarantee: G(name) });
        expect(w.source, `${T}:${name}`).toBe('table');
        expect(w.proof.held).toBe(true);
        expect(w.tickets.length).toBe(tableSize(T, G(name)));
      }
    }
  });

  it('is no larger than the best peer in any published cell, and holds a 6-ticket 4if6 wheel on 12 numbers', () => {
    for (const [name, cells] of Object.entries(PEER_SIZES)) {
      for (const [T, peer] of Object.entries(cells)) expect(tableSize(Number(T), G(name)), `${name} T=${T}`).toBeLessThanOrEqual(peer);
    }
    expect(tableSize(12, G('4if6'))).toBeLessThanOrEqual(6);
  });

  it('never needs more tickets for a guarantee than for one that implies it', () => {
    for (let T = 7; T <= 20; T++) {
      for (const a of GUARANTEE_NAMES) {
        for (const b of GUARANTEE_NAMES) {
          if (a !== b && implies(G(a), G(b))) expect(tableSize(T, G(b)), `${T}: ${a} ⇒ ${b}`).toBeLessThanOrEqual(tableSize(T, G(a)) as number);
        }
      }
    }
  });
});

describe('guarantees and requests', () => {
  it('the strength order extends every implication (the stronger never ranks below what it implies)', () => {
    let pairs = 0;
    for (const a of STRENGTH_ORDER) {
      for (const b of STRENGTH_ORDER) {
        if (a === b || !implies(G(a), G(b))) continue;
        pairs++;
        expect(strengthRank(G(a)), `${a} ⇒ ${b}`).toBeGreaterThan(strengthRank(G(b)));
      }
    }
    expect(pairs).toBeGreaterThan(8);
    expect(implies(G('4if4'), G('3if3'))).toBe(true);
    expect(implies(G('3if6'), G('3if3'))).toBe(false);
  });

  it('relabels the table wheel onto any pool: tickets hold only pool numbers', () => {
    const w = makeWheel({ pool: POOL_14, guarantee: G('4if6') });
    for (const t of w.tickets) {
      expect(t).toHaveLength(6);
      for (const n of t) expect(POOL_14).toContain(n);
    }
    expect(w.costWon).toBe(w.tickets.length * 1000);
  });

  it('puts the fixed numbers on every ticket and still proves the guarantee', () => {
    const w = makeWheel({ pool: POOL_14, guarantee: G('3if5'), fixed: [41, 2] });
    expect(w.fixed).toEqual([2, 41]);
    for (const t of w.tickets) expect(t).toEqual(expect.arrayContaining([2, 41]));
    expect(w.proof.held).toBe(true);
  });

  it('names the field of bad input', () => {
    const field = (spec: Parameters<typeof makeWheel>[0]) => {
      try {
        makeWheel(spec);
      } catch (e) {
        if (e instanceof WheelInputError) return e.field;
        throw e;
      }
      return 'accepted';
    };
    const g = G('3if6');
    expect(field({ pool: [1, 2, 3, 4, 5, 6], guarantee: g })).toBe('pool');
    expect(field({ pool: Array.from({ length: 21 }, (_, i) => i + 1), guarantee: g })).toBe('pool');
    expect(field({ pool: [1, 2, 3, 4, 5, 6, 6, 8], guarantee: g })).toBe('pool');
    expect(field({ pool: [1, 2, 3, 4, 5, 6, 46], guarantee: g })).toBe('pool[6]');
    expect(field({ pool: [1, 2, 3, 4, 5, 6, 7], guarantee: g, fixed: [9] })).toBe('fixed[0]');
    expect(field({ pool: [1, 2, 3, 4, 5, 6, 7, 8], guarantee: g, fixed: [1, 2, 3, 4, 5, 6] })).toBe('fixed');
    expect(field({ pool: [1, 2, 3, 4, 5, 6, 7, 8], guarantee: { match: 2, if: 6 } })).toBe('guarantee');
    expect(field({ pool: [1, 2, 3, 4, 5, 6, 7, 8] })).toBe('guarantee');
    expect(field({ pool: POOL_14.slice(0, 12), guarantee: G('4if6'), fixed: [2, 5, 8, 11, 14] })).toBe('fixed');
    expect(field({ pool: [1, 2, 3, 4, 5, 6, 7, 8], guarantee: g, budget: 0 })).toBe('budget');
    expect(field({ pool: [1, 2, 3, 4, 5, 6, 7, 8], guarantee: g })).toBe('accepted');
  });
});

describe('budget', () => {
  it('returns the strongest guarantee whose wheel fits', () => {
    const w = makeWheel({ pool: POOL_14, budget: 12 });
    expect(w.tickets.length).toBeLessThanOrEqual(12);
    const fitting = GUARANTEE_NAMES.filter((n) => (tableSize(14, G(n)) as number) <= 12);
    const strongest = fitting.sort((a, b) => strengthRank(G(b)) - strengthRank(G(a)))[0];
    expect(`${w.guarantee.match}if${w.guarantee.if}`).toBe(strongest);
    expect(w.budget?.considered[0].guarantee).toEqual(G(STRENGTH_ORDER[STRENGTH_ORDER.length - 1]));
  });

  it('keeps the requested guarantee when it fits and steps down when it does not', () => {
    const size = tableSize(14, G('4if6')) as number;
    expect(makeWheel({ pool: POOL_14, guarantee: G('4if6'), budget: size }).guarantee).toEqual(G('4if6'));
    const down = makeWheel({ pool: POOL_14, guarantee: G('4if6'), budget: size - 1 });
    expect(strengthRank(down.guarantee)).toBeLessThan(strengthRank(G('4if6')));
    expect(down.tickets.length).toBeLessThanOrEqual(size - 1);
  });

  it('says none fits, with the smallest wheel, when the budget is too small', () => {
    const pool = Array.from({ length: 20 }, (_, i) => i + 1);
    try {
      makeWheel({ pool, budget: 1 });
      expect.unreachable('a 1-ticket wheel on 20 numbers');
    } catch (e) {
      expect(e).toBeInstanceOf(WheelBudgetError);
      expect((e as WheelBudgetError).reason.en).toMatch(/no guarantee fits in 1 ticket.*smallest wheel found is 3if6/);
    }
  });

  it('with fixed numbers uses only fitting wheels (searched) and every ticket keeps them', () => {
    const w = makeWheel({ pool: POOL_14.slice(0, 10), fixed: [5], budget: 4, seed: 1 });
    expect(w.tickets.length).toBeLessThanOrEqual(4);
    for (const t of w.tickets) expect(t).toContain(5);
    expect(w.proof.held).toBe(true);
  });
});
