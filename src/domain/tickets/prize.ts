// What one game won: its rank against a draw, and the money after Korean lottery tax.
import type { Draw } from '../draw.js';

/** Prize ranks 1..5; null when the game did not win. */
export type Rank = 1 | 2 | 3 | 4 | 5;

export const TICKET_PRICE_WON = 1_000;

export interface GameMatch {
  matches: number;
  /** Whether the bonus number is among the game's numbers (it matters only for 2nd prize). */
  bonusMatch: boolean;
  rank: Rank | null;
}

/** 1st: six; 2nd: five and the bonus; 3rd: five; 4th: four; 5th: three. */
export function rankGame(numbers: readonly number[], draw: Pick<Draw, 'numbers' | 'bonus'>): GameMatch {
  const drawn = new Set(draw.numbers);
  let matches = 0;
  for (const n of numbers) if (drawn.has(n)) matches++;
  const bonusMatch = numbers.includes(draw.bonus);
  let rank: Rank | null = null;
  if (matches === 6) rank = 1;
  else if (matches === 5) rank = bonusMatch ? 2 : 3;
  else if (matches === 4) rank = 4;
  else if (matches === 3) rank = 5;
  return { matches, bonusMatch, rank };
}

/**
 * The lottery-prize withholding rule in force since 2023-01-01 (소득세법 §84, 시행령 개정):
 * a prize of 2,000,000 won or less is not taxed; above it, the prize less the 1,000 won stake
 * is taxed at 22% (20% income tax + 2% local income tax) up to 300,000,000 won and 33% on the
 * part above. Won fractions are cut, as the withholding does.
 */
export const TAX_RULE = {
  effectiveFrom: '2023-01-01',
  taxFreeUpTo: 2_000_000,
  stake: TICKET_PRICE_WON,
  lowerRate: 0.22,
  upperRate: 0.33,
  upperFrom: 300_000_000,
} as const;

export interface PrizeAfterTax {
  gross: number;
  tax: number;
  net: number;
}

export function prizeAfterTax(gross: number): PrizeAfterTax {
  if (!Number.isSafeInteger(gross) || gross < 0) throw new RangeError(`prize must be a non-negative whole number of won, got ${gross}`);
  if (gross <= TAX_RULE.taxFreeUpTo) return { gross, tax: 0, net: gross };
  const taxable = gross - TAX_RULE.stake;
  const lower = Math.min(taxable, TAX_RULE.upperFrom);
  const upper = Math.max(0, taxable - TAX_RULE.upperFrom);
  // Integer arithmetic in percent so 22% of a round figure is exact (no 0.22 float drift).
  const tax = Math.floor((lower * 22 + upper * 33) / 100);
  return { gross, tax, net: gross - tax };
}
