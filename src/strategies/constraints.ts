/**
 * Hard constraints on a 6-number set, declared as data so one exact search can
 * prune on all of them (src/strategies/search.ts) and one function can explain
 * them in Korean or English.
 */
import { acValue, consecutivePairs, FIBONACCI, lastDigitSum, oddCount, PRIMES, SECTIONS, sectionCounts, totalSum } from '../domain/stats.js';

/** Inclusive [min, max]. */
export type Range = readonly [number, number];

export interface HardConstraints {
  /** Odd numbers in the set. */
  oddCount?: Range;
  /** Sum of the six numbers. */
  totalSum?: Range;
  /** Sum of the last digits (n mod 10). */
  lastDigitSum?: Range;
  /** Exact count in each of SECTIONS (1–15, 16–30, 31–45). */
  sectionCounts?: readonly [number, number, number];
  /** Pairs (n, n+1) both in the set, at most. */
  maxConsecutivePairs?: number;
  /** Numbers that are prime or Fibonacci (SPECIAL_NUMBERS), at least. */
  minSpecial?: number;
  /** Standard AC value (0..10), at least. */
  minAc?: number;
}

export type ConstraintKey = keyof HardConstraints;
export const CONSTRAINT_KEYS: readonly ConstraintKey[] = ['oddCount', 'totalSum', 'lastDigitSum', 'sectionCounts', 'maxConsecutivePairs', 'minSpecial', 'minAc'];

/** "Special" numbers for 3호기: primes or Fibonacci numbers within 1..45 (18 numbers). */
export const SPECIAL_NUMBERS: ReadonlySet<number> = new Set([...PRIMES, ...FIBONACCI].sort((a, b) => a - b));

export function specialCount(numbers: readonly number[]): number {
  return numbers.filter((n) => SPECIAL_NUMBERS.has(n)).length;
}

export type Lang = 'ko' | 'en';

const inRange = (v: number, r: Range) => v >= r[0] && v <= r[1];

/** The keys of `spec` that `numbers` (a full 6-number set) violates; empty when it satisfies all. */
export function violatedConstraints(numbers: readonly number[], spec: HardConstraints): ConstraintKey[] {
  const out: ConstraintKey[] = [];
  if (spec.oddCount && !inRange(oddCount(numbers), spec.oddCount)) out.push('oddCount');
  if (spec.totalSum && !inRange(totalSum(numbers), spec.totalSum)) out.push('totalSum');
  if (spec.lastDigitSum && !inRange(lastDigitSum(numbers), spec.lastDigitSum)) out.push('lastDigitSum');
  if (spec.sectionCounts) {
    const c = sectionCounts(numbers);
    if (c.some((v, i) => v !== spec.sectionCounts?.[i])) out.push('sectionCounts');
  }
  if (spec.maxConsecutivePairs !== undefined && consecutivePairs(numbers) > spec.maxConsecutivePairs) out.push('maxConsecutivePairs');
  if (spec.minSpecial !== undefined && specialCount(numbers) < spec.minSpecial) out.push('minSpecial');
  if (spec.minAc !== undefined && acValue(numbers) < spec.minAc) out.push('minAc');
  return out;
}

export function satisfiesConstraints(numbers: readonly number[], spec: HardConstraints): boolean {
  return violatedConstraints(numbers, spec).length === 0;
}

/** Only the one constraint `key` of `spec`. */
export function pickConstraint(spec: HardConstraints, key: ConstraintKey): HardConstraints {
  return { [key]: spec[key] } as HardConstraints;
}

const sectionLabel = (i: number) => `${SECTIONS[i][0]}–${SECTIONS[i][1]}`;

/** One line per constraint in `spec`, in the given language. */
export function describeConstraints(spec: HardConstraints, lang: Lang): string[] {
  return CONSTRAINT_KEYS.filter((k) => spec[k] !== undefined).map((k) => describeConstraint(spec, k, lang));
}

export function describeConstraint(spec: HardConstraints, key: ConstraintKey, lang: Lang): string {
  const ko = lang === 'ko';
  switch (key) {
    case 'oddCount': {
      const [a, b] = spec.oddCount as Range;
      if (b >= 6) return ko ? `홀수 ${a}개 이상` : `at least ${a} odd numbers`;
      if (a <= 0) return ko ? `홀수 ${b}개 이하` : `at most ${b} odd numbers`;
      return ko ? `홀수 ${a}–${b}개` : `${a}–${b} odd numbers`;
    }
    case 'totalSum': {
      const [a, b] = spec.totalSum as Range;
      return ko ? `총합 ${a}–${b}` : `total sum ${a}–${b}`;
    }
    case 'lastDigitSum': {
      const [a, b] = spec.lastDigitSum as Range;
      return ko ? `끝수합 ${a}–${b}` : `last-digit sum ${a}–${b}`;
    }
    case 'sectionCounts': {
      const c = spec.sectionCounts as readonly number[];
      const parts = c.map((v, i) => `${sectionLabel(i)}: ${v}`).join(', ');
      return ko ? `구간별 개수 (${parts})` : `numbers per section (${parts})`;
    }
    case 'maxConsecutivePairs':
      return ko ? `연속 번호 쌍 ${spec.maxConsecutivePairs}개 이하` : `at most ${spec.maxConsecutivePairs} consecutive pair(s)`;
    case 'minSpecial':
      return ko ? `소수·피보나치 번호 ${spec.minSpecial}개 이상` : `at least ${spec.minSpecial} prime or Fibonacci numbers`;
    case 'minAc':
      return ko ? `AC값 ${spec.minAc} 이상` : `AC value at least ${spec.minAc}`;
  }
}
