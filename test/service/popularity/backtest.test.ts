import { describe, expect, it } from 'vitest';
import type { PrizeRound } from '../../../src/domain/prizeRound.js';
import { GOAL_WINDOW, runPopularityBacktest, summarize, type PopularityBacktestOptions } from '../../../src/service/popularity/backtest.js';
import { fixtureRounds } from '../../models/popularity/fixture.js';

const rounds = fixtureRounds();
const T = 1200;
const fast = { normalizationSamples: 2000, maxIter: 12 };

/** Every prize figure of rounds ≥ t changed (winners, prizes, sales, the first-prize split); the draws' numbers stay. */
function perturbFrom(t: number): PrizeRound[] {
  return rounds.map((r) =>
    r.round < t
      ? r
      : {
          ...r,
          totalSales: r.totalSales * 1.7,
          winners: r.winners.map((w, k) => (w === null ? null : w * (k + 3) + 11)),
          prizeEach: r.prizeEach.map((p) => (p === null ? null : p * 2)),
          firstSplit: r.firstSplit ? { auto: r.firstSplit.manual + 5, manual: r.firstSplit.auto * 4, semiAuto: 2 } : null,
        },
  );
}

function scoresAt(data: PrizeRound[], opts: Partial<PopularityBacktestOptions> = {}) {
  // Refit at 1196 and score 1196..1200: the model for round 1200 was fitted on rounds < 1196, its context is rounds < 1200.
  const rep = runPopularityBacktest(data, { from: 1196, to: T, retrainEvery: 10, params: fast, bootstrap: 50, permutations: 50, ...opts });
  return rep.rounds.find((r) => r.round === T)?.tiers;
}

describe('popularity backtest: no look-ahead', () => {
  it('changing the prize figures of rounds ≥ t leaves the scores for round t unchanged', () => {
    const honest = scoresAt(rounds);
    const changed = scoresAt(perturbFrom(T));
    expect(honest).toBeDefined();
    for (const k of ['1', '2', '3', '4', '5'] as const) {
      expect(changed?.[k].predicted_ratio).toBe(honest?.[k].predicted_ratio);
      expect(changed?.[k].expected_ratio).toBe(honest?.[k].expected_ratio);
    }
  });

  it('positive control: a model allowed to train on rounds ≥ t gets different scores for t, so the check above can fail', () => {
    const leaky = { trainingWindow: (all: readonly PrizeRound[]) => [...all] };
    const honest = scoresAt(rounds, leaky);
    const changed = scoresAt(perturbFrom(T), leaky);
    const moved = (['1', '2', '3', '4', '5'] as const).filter((k) => changed?.[k].predicted_ratio !== honest?.[k].predicted_ratio);
    expect(moved.length).toBeGreaterThan(0);
  });

  it('the summary has the issue-14 fields per tier, and the same seed reproduces it', () => {
    const opts = { from: 1180, to: 1238, retrainEvery: 30, params: fast, bootstrap: 200, permutations: 200, seed: 3 };
    const a = runPopularityBacktest(rounds, opts);
    const b = runPopularityBacktest(rounds, opts);
    expect(a.summary).toEqual(b.summary);
    const s5 = a.summary.tiers['5'];
    expect(s5).not.toBeNull();
    expect(s5?.n).toBe(59);
    expect(s5?.calibration).toHaveLength(10);
    expect(s5?.pearson_ci95.low).toBeLessThanOrEqual(s5?.pearson ?? NaN);
    expect(s5?.pearson_ci95.high).toBeGreaterThanOrEqual(s5?.pearson ?? NaN);
    expect(a.summary.tiers['1']?.most_popular_quintile.mean_prize_each_won).toBeGreaterThan(0);
    expect(a.summary.goals.map((g) => g.goal)).toHaveLength(4);
    for (const r of a.rounds) expect(r.trained_through).toBeLessThan(r.round);
  });

  it('judges the goals only over their own window, 939–1238; any other window is marked not applicable', () => {
    const own = summarize([], [], { ...GOAL_WINDOW, bootstrap: 10, permutations: 10 });
    expect(GOAL_WINDOW).toEqual({ from: 939, to: 1238 });
    expect(own.goals.every((g) => g.applies)).toBe(true);
    for (const other of [{ from: 1229, to: 1238 }, { from: 939, to: 1237 }, {}]) {
      expect(summarize([], [], { ...other, bootstrap: 10, permutations: 10 }).goals.every((g) => !g.applies)).toBe(true);
    }
  });

  it('refuses a round range with no prize data and a retrain interval below 1', () => {
    expect(() => runPopularityBacktest(rounds, { from: 5000, to: 5010 })).toThrow(/no rounds with prize data/);
    expect(() => runPopularityBacktest(rounds, { from: 1200, to: 1210, retrainEvery: 0 })).toThrow(/retrain-every/);
  });
});
