// The exact chance of each prize tier for one game of Lotto 6/45: C(45,6) = 8,145,060 equally
// likely draws of six numbers, with the bonus drawn from the remaining 39.
import type { Rank } from './prize.js';

export const COMBINATIONS = 8_145_060;

/** Winning combinations per tier out of COMBINATIONS. */
export const TIER_WAYS: Readonly<Record<Rank, number>> = {
  1: 1,
  // five of the six and the bonus: C(6,5) × 1
  2: 6,
  // five of the six, the sixth neither drawn nor the bonus: C(6,5) × 38
  3: 228,
  // C(6,4) × C(39,2)
  4: 11_115,
  // C(6,3) × C(39,3)
  5: 182_780,
};

export const RANKS: readonly Rank[] = [1, 2, 3, 4, 5];

export function tierProbability(rank: Rank): number {
  return TIER_WAYS[rank] / COMBINATIONS;
}

/** How many wins of each tier chance expects from `games` games. */
export function expectedWins(games: number): Record<Rank, number> {
  const out = {} as Record<Rank, number>;
  for (const r of RANKS) out[r] = games * tierProbability(r);
  return out;
}
