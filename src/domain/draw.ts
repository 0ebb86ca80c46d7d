import { parseMachine, type Machine } from './machine.js';
import { validateFirstPrizeSplit, validateLowerTiers, type FirstPrizeSplit, type LowerTiers } from './prizes.js';
import { show, type Problem } from './problems.js';

export const MIN_NUMBER = 1;
export const MAX_NUMBER = 45;
export const NUMBERS_PER_DRAW = 6;

/** One official draw. `numbers` is always sorted ascending. */
export interface Draw {
  round: number;
  /** YYYY-MM-DD */
  date: string;
  numbers: readonly number[];
  bonus: number;
  /** 호기; null when unknown (rounds before 262, or not yet labelled). */
  machine: Machine | null;
  /** 1st-prize payout per winning ticket, KRW. */
  firstPrizeEach: number | null;
  firstPrizeWinners: number | null;
  totalSales: number | null;
  /** Free-text note (res.json 특별_메모). */
  memo?: string | null;
  /** Winners and prize per winning ticket of tiers 2–5, in rank order; null or absent when unknown. */
  lowerTiers?: LowerTiers | null;
  /** How the first-prize tickets were bought (from round 262); null or absent when unknown. */
  firstPrizeSplit?: FirstPrizeSplit | null;
}

/** Loose input shape accepted by validateDraw; every field is checked. */
export interface DrawInput {
  round?: unknown;
  date?: unknown;
  numbers?: unknown;
  bonus?: unknown;
  machine?: unknown;
  firstPrizeEach?: unknown;
  firstPrizeWinners?: unknown;
  totalSales?: unknown;
  memo?: unknown;
  lowerTiers?: unknown;
  firstPrizeSplit?: unknown;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function isBallNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= MIN_NUMBER && v <= MAX_NUMBER;
}

function optionalNonNegInt(v: unknown, field: string, ctx: Omit<Problem, 'field' | 'expected' | 'found'>, problems: Problem[]): number | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  problems.push({ ...ctx, field, expected: 'a non-negative integer or nothing', found: show(v) });
  return null;
}

/**
 * Validate one draw, collecting every problem rather than stopping at the first.
 * Returns the normalised draw (numbers sorted) only when there are no problems.
 */
export function validateDraw(input: DrawInput, ctx: { index?: number; source?: string } = {}): { draw: Draw | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const round = typeof input.round === 'number' && Number.isInteger(input.round) && input.round >= 1 ? input.round : undefined;
  const base = { ...ctx, ...(round !== undefined ? { round } : {}) };
  if (round === undefined) problems.push({ ...base, field: 'round', expected: 'an integer ≥ 1', found: show(input.round) });

  if (typeof input.date !== 'string' || !isValidDate(input.date)) {
    problems.push({ ...base, field: 'date', expected: 'a calendar date YYYY-MM-DD', found: show(input.date) });
  }

  let numbers: number[] | null = null;
  if (!Array.isArray(input.numbers) || input.numbers.length !== NUMBERS_PER_DRAW) {
    problems.push({ ...base, field: 'numbers', expected: '6 numbers', found: show(input.numbers) });
  } else if (!input.numbers.every(isBallNumber)) {
    problems.push({ ...base, field: 'numbers', expected: 'integers in 1..45', found: show(input.numbers) });
  } else if (new Set(input.numbers).size !== NUMBERS_PER_DRAW) {
    problems.push({ ...base, field: 'numbers', expected: '6 distinct numbers', found: show(input.numbers) });
  } else {
    numbers = [...(input.numbers as number[])].sort((a, b) => a - b);
  }

  if (!isBallNumber(input.bonus)) {
    problems.push({ ...base, field: 'bonus', expected: 'an integer in 1..45', found: show(input.bonus) });
  } else if (numbers && numbers.includes(input.bonus)) {
    problems.push({ ...base, field: 'bonus', expected: 'a number not among the six winning numbers', found: show(input.bonus) });
  }

  let machine: Machine | null = null;
  if (input.machine !== undefined && input.machine !== null && input.machine !== '') {
    try {
      machine = parseMachine(input.machine);
    } catch {
      problems.push({ ...base, field: 'machine', expected: '1, "1" or "1호기" (a positive integer)', found: show(input.machine) });
    }
  }

  const firstPrizeEach = optionalNonNegInt(input.firstPrizeEach, 'firstPrizeEach', base, problems);
  const firstPrizeWinners = optionalNonNegInt(input.firstPrizeWinners, 'firstPrizeWinners', base, problems);
  const totalSales = optionalNonNegInt(input.totalSales, 'totalSales', base, problems);

  let memo: string | null = null;
  if (input.memo !== undefined && input.memo !== null) {
    if (typeof input.memo === 'string') memo = input.memo;
    else problems.push({ ...base, field: 'memo', expected: 'text or nothing', found: show(input.memo) });
  }

  const lowerTiers = validateLowerTiers(input.lowerTiers, base, problems);
  const firstPrizeSplit = validateFirstPrizeSplit(input.firstPrizeSplit, firstPrizeWinners, base, problems);

  if (problems.length > 0) return { draw: null, problems };
  return {
    draw: {
      round: round as number,
      date: input.date as string,
      numbers: numbers as number[],
      bonus: input.bonus as number,
      machine,
      firstPrizeEach,
      firstPrizeWinners,
      totalSales,
      memo,
      // Only when given, so draws without prize tiers keep their plain shape.
      ...(input.lowerTiers !== undefined ? { lowerTiers } : {}),
      ...(input.firstPrizeSplit !== undefined ? { firstPrizeSplit } : {}),
    },
    problems,
  };
}

/** Draws sorted by round; the canonical order every layer assumes. */
export function sortByRound<T extends { round: number }>(draws: readonly T[]): T[] {
  return [...draws].sort((a, b) => a.round - b.round);
}

/** The draws strictly before `round`: the only history a prediction for `round` may see. */
export function historyBefore<T extends { round: number }>(draws: readonly T[], round: number): T[] {
  return draws.filter((d) => d.round < round);
}
