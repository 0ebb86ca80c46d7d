// The least-shared labelling of a wheel: the relabelled wheel is the same wheel (verified, same
// guarantee and ticket count, fixed numbers in place), its predicted sharing is never worse than
// the ascending labelling's, and a seed gives the same labelling every time.
import { describe, expect, it } from 'vitest';
import { makeWheel, verifyWheel, type Wheel } from '../../../src/domain/wheels/index.js';
import { relabelWheel } from '../../../src/domain/wheels/relabel.js';
import { PopularityModel, type RoundScorer } from '../../../src/models/popularity/model.js';
import { leastSharedLabelling } from '../../../src/models/popularity/wheelLabels.js';
import { fixtureRounds } from './fixture.js';

const rounds = fixtureRounds();
const scorer: RoundScorer = new PopularityModel({ normalizationSamples: 4000, maxIter: 15 }).fit(rounds).scorer(rounds);
// Low numbers (birthdays) and a run: the ascending labelling puts the most popular numbers together.
const POOL = [1, 2, 3, 4, 5, 7, 11, 12, 23, 31, 38, 44];

/** Mean over tickets and tiers 1–3 of the model's own ratio (independent of the search's bookkeeping). */
function meanRatio(tickets: number[][]): number {
  let s = 0;
  for (const t of tickets) {
    const r = scorer.ratio(t);
    s += (r[0] + r[1] + r[2]) / 3;
  }
  return s / tickets.length;
}

function masks(w: Wheel): number[] {
  return w.tickets.map((t) => t.reduce((m, n) => m | (1 << w.pool.indexOf(n)), 0));
}

describe('least-shared labelling of a wheel', () => {
  const wheel = makeWheel({ pool: POOL, guarantee: { match: 4, if: 6 } });
  const found = leastSharedLabelling(wheel.pool, wheel.fixed, wheel.tickets, scorer, { seed: 3 });
  const relabelled = relabelWheel(wheel, found.labels);

  it('keeps the guarantee, the ticket count and the proof: the relabelled wheel verifies', () => {
    expect([...found.labels].sort((a, b) => a - b)).toEqual(POOL);
    expect(relabelled.tickets).toHaveLength(wheel.tickets.length);
    expect(verifyWheel(POOL.length, masks(relabelled), wheel.guarantee).held).toBe(true);
    expect(relabelled.guarantee).toEqual(wheel.guarantee);
    expect(relabelled.tickets).not.toEqual(wheel.tickets);
  });

  it('lowers the mean predicted tier 1–3 ratio of this birthday-heavy pool, as the model itself scores the tickets', () => {
    expect(found.objectiveBefore).toBeCloseTo(meanRatio(wheel.tickets), 9);
    expect(found.objectiveAfter).toBeCloseTo(meanRatio(relabelled.tickets), 9);
    expect(found.objectiveAfter).toBeLessThan(found.objectiveBefore);
    expect(found.converged).toBe(true);
  });

  it('is never worse than the ascending labelling, whatever the pool and seed', () => {
    for (const [pool, g, seed] of [
      [[3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 42, 45], { match: 3, if: 6 }, 1],
      [[2, 9, 14, 20, 21, 22, 30, 33, 40, 41], { match: 3, if: 4 }, 2],
      [Array.from({ length: 16 }, (_, i) => 45 - 2 * i), { match: 4, if: 6 }, 5],
    ] as const) {
      const w = makeWheel({ pool: [...pool], guarantee: g });
      const r = leastSharedLabelling(w.pool, w.fixed, w.tickets, scorer, { seed });
      expect(meanRatio(relabelWheel(w, r.labels).tickets)).toBeLessThanOrEqual(meanRatio(w.tickets) + 1e-12);
    }
  });

  it('the same seed gives the same labelling; the work bound stops a search early and says so', () => {
    expect(leastSharedLabelling(wheel.pool, wheel.fixed, wheel.tickets, scorer, { seed: 3 }).labels).toEqual(found.labels);
    const cut = leastSharedLabelling(wheel.pool, wheel.fixed, wheel.tickets, scorer, { seed: 3, maxWork: 50 });
    expect(cut.converged).toBe(false);
    expect(cut.objectiveAfter).toBeLessThanOrEqual(cut.objectiveBefore + 1e-12);
  });

  it('keeps fixed numbers in their place and on every ticket', () => {
    const w = makeWheel({ pool: POOL, guarantee: { match: 3, if: 5 }, fixed: [1, 2], seed: 4 });
    const r = leastSharedLabelling(w.pool, w.fixed, w.tickets, scorer, { seed: 4 });
    expect(r.labels[w.pool.indexOf(1)]).toBe(1);
    expect(r.labels[w.pool.indexOf(2)]).toBe(2);
    const moved = relabelWheel(w, r.labels);
    for (const t of moved.tickets) expect(t).toEqual(expect.arrayContaining([1, 2]));
    expect(moved.tickets).toHaveLength(w.tickets.length);
  });
});
