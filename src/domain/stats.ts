import { MAX_NUMBER, type Draw } from './draw.js';
import type { Machine } from './machine.js';

/** "High" numbers are 23..45, the res.json convention (고수 23-45, 저수 1-22). */
export const HIGH_MIN = 23;

export const SECTIONS: ReadonlyArray<readonly [number, number]> = [
  [1, 15],
  [16, 30],
  [31, 45],
];

export const DECADE_BANDS: ReadonlyArray<readonly [number, number]> = [
  [1, 10],
  [11, 20],
  [21, 30],
  [31, 40],
  [41, 45],
];

export const PRIMES: ReadonlySet<number> = new Set([2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43]);
export const FIBONACCI: ReadonlySet<number> = new Set([1, 2, 3, 5, 8, 13, 21, 34]);

export function oddCount(numbers: readonly number[]): number {
  return numbers.filter((n) => n % 2 === 1).length;
}

export function highCount(numbers: readonly number[]): number {
  return numbers.filter((n) => n >= HIGH_MIN).length;
}

/**
 * AC value (arithmetic complexity), standard definition: the number of distinct
 * positive differences among all pairs, minus (k − 1). For 6 numbers: 15 pairs,
 * at most 15 distinct differences, so the range is 0..10.
 */
export function acValue(numbers: readonly number[]): number {
  const diffs = new Set<number>();
  for (let i = 0; i < numbers.length; i++) {
    for (let j = i + 1; j < numbers.length; j++) diffs.add(Math.abs(numbers[i] - numbers[j]));
  }
  return diffs.size - (numbers.length - 1);
}

/**
 * The other "AC" some res.json files carry: the count of distinct gaps between
 * consecutive sorted numbers (range 1..5). It is NOT the AC value; it is kept
 * only so such files can be validated and written back unchanged.
 */
export function legacyGapAc(numbers: readonly number[]): number {
  const s = [...numbers].sort((a, b) => a - b);
  const gaps = new Set<number>();
  for (let i = 1; i < s.length; i++) gaps.add(s[i] - s[i - 1]);
  return gaps.size;
}

export function lastDigitSum(numbers: readonly number[]): number {
  return numbers.reduce((acc, n) => acc + (n % 10), 0);
}

export function totalSum(numbers: readonly number[]): number {
  return numbers.reduce((acc, n) => acc + n, 0);
}

function bandCounts(numbers: readonly number[], bands: ReadonlyArray<readonly [number, number]>): number[] {
  return bands.map(([lo, hi]) => numbers.filter((n) => n >= lo && n <= hi).length);
}

export function sectionCounts(numbers: readonly number[]): number[] {
  return bandCounts(numbers, SECTIONS);
}

export function decadeCounts(numbers: readonly number[]): number[] {
  return bandCounts(numbers, DECADE_BANDS);
}

/** Pairs (n, n+1) both present. */
export function consecutivePairs(numbers: readonly number[]): number {
  const set = new Set(numbers);
  let c = 0;
  for (const n of set) if (set.has(n + 1)) c++;
  return c;
}

export function primeCount(numbers: readonly number[]): number {
  return numbers.filter((n) => PRIMES.has(n)).length;
}

export function fibonacciCount(numbers: readonly number[]): number {
  return numbers.filter((n) => FIBONACCI.has(n)).length;
}

export interface DrawStats {
  odd: number;
  even: number;
  high: number;
  low: number;
  ac: number;
  lastDigitSum: number;
  totalSum: number;
  sections: number[];
  decades: number[];
  consecutivePairs: number;
  primes: number;
  fibonacci: number;
}

export function drawStats(numbers: readonly number[]): DrawStats {
  const odd = oddCount(numbers);
  const high = highCount(numbers);
  return {
    odd,
    even: numbers.length - odd,
    high,
    low: numbers.length - high,
    ac: acValue(numbers),
    lastDigitSum: lastDigitSum(numbers),
    totalSum: totalSum(numbers),
    sections: sectionCounts(numbers),
    decades: decadeCounts(numbers),
    consecutivePairs: consecutivePairs(numbers),
    primes: primeCount(numbers),
    fibonacci: fibonacciCount(numbers),
  };
}

/** "odd:even", as res.json writes 홀짝_비율. */
export function oddEvenRatio(numbers: readonly number[]): string {
  const o = oddCount(numbers);
  return `${o}:${numbers.length - o}`;
}

/** "high:low", as res.json writes 고저_비율 (high = 23..45). */
export function highLowRatio(numbers: readonly number[]): string {
  const h = highCount(numbers);
  return `${h}:${numbers.length - h}`;
}

export interface WindowOptions {
  /** Number of most recent draws to use; all when omitted. */
  rounds?: number;
  /** Restrict to one machine before taking the window. */
  machine?: Machine;
  /** How many hot / cold numbers to list (default 6). */
  hotColdCount?: number;
}

export interface NumberFrequency {
  number: number;
  count: number;
  /** Share of draws in the window that contained this number (0..1). */
  share: number;
  /** Draws since this number last appeared in the window's source list; null if never seen. */
  gap: number | null;
}

export interface WindowStats {
  machine: Machine | null;
  totalRounds: number;
  startRound: number | null;
  endRound: number | null;
  /** Index 0 is number 1. */
  frequencies: NumberFrequency[];
  hot: number[];
  cold: number[];
  /** Each per-draw statistic averaged over the window. */
  averages: DrawStats;
}

function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/**
 * Statistics over the last N draws (optionally of one machine).
 * The gap counts draws of the same filtered sequence: 0 means drawn in the latest one.
 * Hot = highest counts, cold = lowest counts; ties broken by the longer gap for cold and
 * the lower number otherwise, so the result is deterministic.
 */
export function windowStats(draws: readonly Draw[], options: WindowOptions = {}): WindowStats {
  const sorted = [...draws].sort((a, b) => a.round - b.round);
  const filtered = options.machine === undefined ? sorted : sorted.filter((d) => d.machine === options.machine);
  const window = options.rounds === undefined ? filtered : filtered.slice(Math.max(0, filtered.length - options.rounds));
  const counts = new Array<number>(MAX_NUMBER + 1).fill(0);
  const lastSeen = new Array<number>(MAX_NUMBER + 1).fill(-1);
  window.forEach((d, i) => {
    for (const n of d.numbers) {
      counts[n]++;
      lastSeen[n] = i;
    }
  });
  const frequencies: NumberFrequency[] = [];
  for (let n = 1; n <= MAX_NUMBER; n++) {
    frequencies.push({
      number: n,
      count: counts[n],
      share: window.length ? counts[n] / window.length : 0,
      gap: lastSeen[n] < 0 ? null : window.length - 1 - lastSeen[n],
    });
  }
  const k = options.hotColdCount ?? 6;
  const gapKey = (f: NumberFrequency) => (f.gap === null ? Number.POSITIVE_INFINITY : f.gap);
  const hot = [...frequencies].sort((a, b) => b.count - a.count || a.number - b.number).slice(0, k).map((f) => f.number);
  const cold = [...frequencies]
    .sort((a, b) => a.count - b.count || gapKey(b) - gapKey(a) || a.number - b.number)
    .slice(0, k)
    .map((f) => f.number);
  const stats = window.map((d) => drawStats(d.numbers));
  const avgVec = (pick: (s: DrawStats) => number[], len: number) =>
    Array.from({ length: len }, (_, i) => mean(stats.map((s) => pick(s)[i])));
  return {
    machine: options.machine ?? null,
    totalRounds: window.length,
    startRound: window.length ? window[0].round : null,
    endRound: window.length ? window[window.length - 1].round : null,
    frequencies,
    hot,
    cold,
    averages: {
      odd: mean(stats.map((s) => s.odd)),
      even: mean(stats.map((s) => s.even)),
      high: mean(stats.map((s) => s.high)),
      low: mean(stats.map((s) => s.low)),
      ac: mean(stats.map((s) => s.ac)),
      lastDigitSum: mean(stats.map((s) => s.lastDigitSum)),
      totalSum: mean(stats.map((s) => s.totalSum)),
      sections: avgVec((s) => s.sections, SECTIONS.length),
      decades: avgVec((s) => s.decades, DECADE_BANDS.length),
      consecutivePairs: mean(stats.map((s) => s.consecutivePairs)),
      primes: mean(stats.map((s) => s.primes)),
      fibonacci: mean(stats.map((s) => s.fibonacci)),
    },
  };
}
