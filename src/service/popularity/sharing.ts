/**
 * What the prediction service needs from the popularity model: each set's predicted co-winner
 * ratio per tier and expected prize if won, and the avoid_sharing rule (ratio ≤ 0.85 in tiers
 * 1, 2 and 3). Built once per model and round; cheap per set.
 */
import type { TierKey } from './backtest.js';
import type { PopularityService } from './service.js';
import { estimatePools, prizeIfWon } from '../../models/popularity/prize.js';

/** Every set returned with avoid_sharing has a predicted ratio at most this in tiers 1, 2 and 3. */
export const SHARING_BOUND = 0.85;
/** Candidate orders searched per set before avoid_sharing gives up on it. */
export const SHARING_TRIES = 2000;
/** How strongly avoid_sharing leans the sampling toward numbers others pick less (see `tilt`). */
export const SHARING_TILT = 4;

export interface SetPopularity {
  ratio: Record<TierKey, number>;
  /** Expected prize per winner if the set wins, won, before tax. */
  expected_prize_if_won: Record<'1' | '2' | '3', number>;
}

export interface SharingScorer {
  describe(numbers: readonly number[]): SetPopularity;
  passes(numbers: readonly number[]): boolean;
  /** The same figures for an average combination (ratio 1 in every tier). */
  average: SetPopularity;
  afterRound: number;
  /**
   * Per number (index 0 = number 1): −SHARING_TILT × its mean per-number popularity term over
   * tiers 1–3, centred. Added to the model vector's log weights when sampling candidates, so the
   * search starts where low-sharing sets are; the hard rule is still `passes`.
   */
  tilt: Float64Array;
}

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

export function sharingScorer(service: PopularityService): SharingScorer {
  const rounds = service.rounds();
  const scorer = service.nextRoundScorer(rounds);
  const pools = estimatePools(rounds);
  const fmt = (ratio: readonly number[]): SetPopularity => {
    const prize = prizeIfWon(pools, ratio);
    return {
      ratio: { '1': r4(ratio[0]), '2': r4(ratio[1]), '3': r4(ratio[2]), '4': r4(ratio[3]), '5': r4(ratio[4]) },
      expected_prize_if_won: { '1': prize[0].gross, '2': prize[1].gross, '3': prize[2].gross },
    };
  };
  return {
    describe: (numbers) => fmt(scorer.ratio(numbers)),
    passes: (numbers) => {
      const r = scorer.ratio(numbers);
      // Compared as reported (4 decimals), so every returned ratio is ≤ the bound the client sees.
      return r4(r[0]) <= SHARING_BOUND && r4(r[1]) <= SHARING_BOUND && r4(r[2]) <= SHARING_BOUND;
    },
    average: fmt([1, 1, 1, 1, 1]),
    tilt: (() => {
      const t = new Float64Array(45);
      for (let x = 1; x <= 45; x++) t[x - 1] = -SHARING_TILT * ((scorer.unary[0][x] + scorer.unary[1][x] + scorer.unary[2][x]) / 3);
      const mean = t.reduce((a, b) => a + b, 0) / 45;
      return t.map((v) => v - mean);
    })(),
    afterRound: rounds[rounds.length - 1].round,
  };
}
