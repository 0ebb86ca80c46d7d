// Prize tiers of a round and how its first-prize tickets were bought. Pure.
//
// Tier 1 lives on the draw itself (Draw.firstPrizeWinners / firstPrizeEach, the design's columns);
// tiers 2–5 and the first-prize split are the additions here. A tier's "winners" counts winning
// tickets (games), "prizeEach" is the payout per winning ticket in KRW.
import { show, type Problem } from './problems.js';

export const PRIZE_RANKS = [1, 2, 3, 4, 5] as const;
export type PrizeRank = (typeof PRIZE_RANKS)[number];

/** The rounds from which dhlottery publishes how first-prize tickets were bought (자동/수동/반자동). */
export const FIRST_SPLIT_ROUND = 262;

export interface PrizeTier {
  winners: number;
  /** KRW per winning ticket. */
  prizeEach: number;
}

/** Tiers 2, 3, 4 and 5 in that order. */
export type LowerTiers = readonly [PrizeTier, PrizeTier, PrizeTier, PrizeTier];

/** A tier whose figures may not have been read (a blank cell, a NULL column). */
export interface PartialPrizeTier {
  winners: number | null | undefined;
  prizeEach: number | null | undefined;
}

/**
 * Tiers 2–5 as the fixed four-tuple, or null when there are not exactly four or any figure is
 * missing (tiers are known whole or not at all).
 */
export function completeLowerTiers(tiers: readonly PartialPrizeTier[]): LowerTiers | null {
  if (tiers.length !== 4) return null;
  const whole: PrizeTier[] = [];
  for (const t of tiers) {
    if (t.winners === null || t.winners === undefined || t.prizeEach === null || t.prizeEach === undefined) return null;
    whole.push({ winners: t.winners, prizeEach: t.prizeEach });
  }
  const [t2, t3, t4, t5] = whole;
  return [t2, t3, t4, t5];
}

/** First-prize winning tickets by how they were chosen: 자동 (auto), 수동 (manual), 반자동 (semi-auto). */
export interface FirstPrizeSplit {
  auto: number;
  manual: number;
  semiAuto: number;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

type Ctx = Omit<Problem, 'field' | 'expected' | 'found'>;

/** Check a loose value as tiers 2–5; null/undefined pass through as unknown. */
export function validateLowerTiers(v: unknown, ctx: Ctx, problems: Problem[]): LowerTiers | null {
  if (v === undefined || v === null) return null;
  const ok =
    Array.isArray(v) &&
    v.length === 4 &&
    v.every((t: unknown) => typeof t === 'object' && t !== null && isCount((t as PrizeTier).winners) && isCount((t as PrizeTier).prizeEach));
  if (!ok) {
    problems.push({ ...ctx, field: 'prizes', expected: 'tiers 2–5, each with winners and prize each as non-negative integers', found: show(v) });
    return null;
  }
  return completeLowerTiers(v as PrizeTier[]); // each entry was checked just above
}

/**
 * Check a loose value as a first-prize split. Its parts must add up to the first-prize winners
 * when those are known: every published round does, so a split that does not is a wrong record.
 */
export function validateFirstPrizeSplit(v: unknown, firstPrizeWinners: number | null, ctx: Ctx, problems: Problem[]): FirstPrizeSplit | null {
  if (v === undefined || v === null) return null;
  const s = v as Partial<FirstPrizeSplit>;
  if (typeof v !== 'object' || !isCount(s.auto) || !isCount(s.manual) || !isCount(s.semiAuto)) {
    problems.push({ ...ctx, field: 'firstPrizeSplit', expected: 'auto, manual and semi-auto counts as non-negative integers', found: show(v) });
    return null;
  }
  const sum = s.auto + s.manual + s.semiAuto;
  if (firstPrizeWinners !== null && sum !== firstPrizeWinners) {
    problems.push({
      ...ctx,
      field: 'firstPrizeSplit',
      expected: `auto + manual + semi-auto equal to the ${firstPrizeWinners} first-prize winner(s)`,
      found: `${s.auto} + ${s.manual} + ${s.semiAuto} = ${sum}`,
    });
    return null;
  }
  return { auto: s.auto, manual: s.manual, semiAuto: s.semiAuto };
}

/** One tier of a round for display: winners and prize each, null where unknown. */
export interface RankedPrize {
  rank: PrizeRank;
  winners: number | null;
  prizeEach: number | null;
}

/**
 * All five tiers of a round, rank 1 first. Tier 1 comes from the draw's first-prize figures,
 * tiers 2–5 from `lowerTiers`; an unknown figure is null (never 0, which would read as "nobody won").
 */
export function rankedPrizes(d: { firstPrizeWinners: number | null; firstPrizeEach: number | null; lowerTiers?: LowerTiers | null }): RankedPrize[] {
  const lower = d.lowerTiers ?? null;
  return PRIZE_RANKS.map((rank) =>
    rank === 1
      ? { rank, winners: d.firstPrizeWinners, prizeEach: d.firstPrizeEach }
      : { rank, winners: lower ? lower[rank - 2].winners : null, prizeEach: lower ? lower[rank - 2].prizeEach : null },
  );
}

/** "2nd 90 × 55,000,000; 3rd …" for messages (conflicts, problems). */
export function describeLowerTiers(t: LowerTiers): string {
  return t.map((x, i) => `${i + 2}: ${x.winners} × ${x.prizeEach}`).join('; ');
}

export function describeSplit(s: FirstPrizeSplit): string {
  return `auto ${s.auto}, manual ${s.manual}, semi-auto ${s.semiAuto}`;
}
