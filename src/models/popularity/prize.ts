/**
 * Expected prize per winner *if you win*, from the official split and the model's co-winner ratio.
 *
 * Pools for the next round (동행복권 rules): half of sales is paid out; the fixed 4th (50,000 won)
 * and 5th (5,000 won) prizes are taken first; the rest goes 75% / 12.5% / 12.5% to tiers 1/2/3,
 * and a first-prize pool that nobody won carries over to the next round's first prize.
 * The fixed prizes are taken at their expected total over all combinations, G·p_k·prize, which is
 * exact on average because the co-winner ratio averages 1.
 *
 * With X other winners ~ Poisson(λ), λ = G·p_k·ratio_k(c), a winner's expected share is
 * E[pool / (1 + X)] = pool · (1 − e^(−λ)) / λ. None of this changes the chance of winning.
 */
import { COMBINATIONS, TIER_WAYS, gamesSold, type PrizeRound } from '../../domain/prizeRound.js';
import { prizeAfterTax } from '../../domain/tickets/prize.js';

export const PAYOUT_SHARE = 0.5;
export const FIXED_PRIZE = { 4: 50_000, 5: 5_000 } as const;
export const POOL_SPLIT = [0.75, 0.125, 0.125] as const;

export interface PoolEstimate {
  /** Sales expected for the next round: mean of the last (up to) 4 rounds with sales, won. */
  sales: number;
  games: number;
  /** Pools of tiers 1, 2, 3 in won (tier 1 includes any carry-over). */
  pools: [number, number, number];
  carryOver: number;
  basedOnRounds: number[];
}

function poolsFor(sales: number): [number, number, number] {
  const g = sales / 1_000;
  const fixed = (g * TIER_WAYS[3] * FIXED_PRIZE[4] + g * TIER_WAYS[4] * FIXED_PRIZE[5]) / COMBINATIONS;
  const rest = Math.max(0, sales * PAYOUT_SHARE - fixed);
  return [rest * POOL_SPLIT[0], rest * POOL_SPLIT[1], rest * POOL_SPLIT[2]];
}

/** Pools of the round after `history` (oldest first). */
export function estimatePools(history: readonly PrizeRound[]): PoolEstimate {
  const recent = history.filter((r) => r.totalSales > 0).slice(-4);
  if (recent.length === 0) throw new RangeError('estimatePools: no round with sales to estimate the next pools from');
  const sales = recent.reduce((s, r) => s + r.totalSales, 0) / recent.length;
  const pools = poolsFor(sales);
  const last = history[history.length - 1];
  // The last round's first prize had no winner: its pool (estimated from its own sales) carries over.
  const carryOver = last && last.winners[0] === 0 && last.totalSales > 0 ? poolsFor(last.totalSales)[0] : 0;
  pools[0] += carryOver;
  return { sales, games: gamesSold({ totalSales: sales }), pools, carryOver, basedOnRounds: recent.map((r) => r.round) };
}

/** pool · (1 − e^(−λ)) / λ, with its limit `pool` as λ → 0. */
export function expectedShare(pool: number, lambda: number): number {
  if (!(lambda >= 0) || !(pool >= 0)) throw new RangeError(`expectedShare: pool ${pool} and λ ${lambda} must be ≥ 0`);
  return lambda < 1e-9 ? pool : (pool * -Math.expm1(-lambda)) / lambda;
}

/** The prize after Korean withholding tax: the same rule a checked ticket uses (domain/tickets/prize.ts). */
export function afterTax(gross: number): number {
  return prizeAfterTax(Math.floor(gross)).net;
}

export interface PrizeIfWon {
  /** Expected co-winners besides you (λ). */
  other_winners: number;
  gross: number;
  after_tax: number;
}

/** Expected prize per winner if `ratio` (tiers 1..3) wins, from the pool estimate. */
export function prizeIfWon(est: PoolEstimate, ratio: readonly number[]): [PrizeIfWon, PrizeIfWon, PrizeIfWon] {
  const out = [0, 1, 2].map((k) => {
    const lambda = (est.games * TIER_WAYS[k] * ratio[k]) / COMBINATIONS;
    const gross = Math.round(expectedShare(est.pools[k], lambda));
    return { other_winners: lambda, gross, after_tax: afterTax(gross) };
  });
  return [out[0], out[1], out[2]];
}
