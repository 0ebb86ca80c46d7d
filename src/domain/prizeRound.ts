/**
 * One round's prize figures for the five tiers, as the popularity model reads them.
 * A plain typed record so the model does not depend on how prizes are stored.
 */
import { show, ValidationError, type Problem } from './problems.js';
import type { FirstPrizeSplit } from './prizes.js';

export const TIERS = [1, 2, 3, 4, 5] as const;
export type Tier = (typeof TIERS)[number];

/** Ways a combination wins tier k, out of C(45,6) = 8,145,060 (1st: 1, 2nd: 6, 3rd: 228, 4th: 11,115, 5th: 182,780). */
export const TIER_WAYS = [1, 6, 228, 11_115, 182_780] as const;
export const COMBINATIONS = 8_145_060;
/** Price of one game in won (since round 88; 2,000 won before, which the model's causal level absorbs). */
export const GAME_PRICE_WON = 1_000;

/** The same split the draws store (domain/prizes.ts). */
export type { FirstPrizeSplit };

export interface PrizeRound {
  round: number;
  /** YYYY-MM-DD */
  date: string;
  /** Total sales in won. */
  totalSales: number;
  /** winners[k-1]: winning tickets in tier k; null when not known. */
  winners: ReadonlyArray<number | null>;
  /** prizeEach[k-1]: won per winning ticket in tier k; null when not known. */
  prizeEach: ReadonlyArray<number | null>;
  /** First-prize winners by how the ticket was filled (from round 262); null when not known. */
  firstSplit: FirstPrizeSplit | null;
  /** The six winning numbers, ascending. */
  numbers: readonly number[];
  bonus: number;
}

/** Games sold: G = totalSales / 1,000. */
export const gamesSold = (r: Pick<PrizeRound, 'totalSales'>): number => r.totalSales / GAME_PRICE_WON;

/** Expected tier-k winners under uniform play: E_k = G · p_k. */
export const uniformWinners = (r: Pick<PrizeRound, 'totalSales'>, tier: Tier): number => (gamesSold(r) * TIER_WAYS[tier - 1]) / COMBINATIONS;

/** Realized co-winner ratio winners_k / E_k, or null when unknown. */
export function realizedRatio(r: PrizeRound, tier: Tier): number | null {
  const w = r.winners[tier - 1];
  if (w === null || w === undefined || !(r.totalSales > 0)) return null;
  return w / uniformWinners(r, tier);
}

/** Checks every field; throws one ValidationError naming the round and field of each problem. */
export function validatePrizeRounds(rounds: readonly PrizeRound[]): PrizeRound[] {
  const problems: Problem[] = [];
  let last = -Infinity;
  for (let i = 0; i < rounds.length; i++) {
    const r = rounds[i];
    const ctx = { index: i, round: typeof r.round === 'number' ? r.round : undefined };
    const bad = (field: string, expected: string, found: unknown) => problems.push({ ...ctx, field, expected, found: show(found) });
    if (!Number.isSafeInteger(r.round) || r.round < 1) bad('round', 'a positive whole number', r.round);
    else if (r.round <= last) bad('round', `a round after ${last} (rounds ascending, no repeats)`, r.round);
    else last = r.round;
    if (!(typeof r.totalSales === 'number' && Number.isFinite(r.totalSales) && r.totalSales >= 0)) bad('totalSales', 'a non-negative number of won', r.totalSales);
    const nums = r.numbers;
    const ok = Array.isArray(nums) && nums.length === 6 && nums.every((x, i) => Number.isInteger(x) && x >= 1 && x <= 45 && (i === 0 || x > nums[i - 1]));
    if (!ok) bad('numbers', 'six ascending distinct whole numbers 1..45', nums);
    if (!Number.isInteger(r.bonus) || r.bonus < 1 || r.bonus > 45 || (ok && nums.includes(r.bonus))) bad('bonus', 'a whole number 1..45 not among the six', r.bonus);
    for (const k of TIERS) {
      const w = r.winners[k - 1];
      if (w !== null && !(Number.isSafeInteger(w) && w >= 0)) bad(`winners_${k}`, 'a non-negative whole number or null', w);
      const p = r.prizeEach[k - 1];
      if (p !== null && !(typeof p === 'number' && Number.isFinite(p) && p >= 0)) bad(`prize_each_${k}`, 'a non-negative number or null', p);
    }
    if (r.firstSplit !== null)
      for (const f of ['auto', 'manual', 'semiAuto'] as const)
        if (!(Number.isSafeInteger(r.firstSplit[f]) && r.firstSplit[f] >= 0)) bad(`first_${f}`, 'a non-negative whole number', r.firstSplit[f]);
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return [...rounds];
}
