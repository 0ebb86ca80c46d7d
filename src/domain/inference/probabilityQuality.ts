/**
 * Quality of 45 per-number probabilities (sum 6) against the numbers drawn. Each
 * number is a binary event, so log-loss and Brier average over the 45 numbers of a
 * draw; lower is better. The models' held-out figures use these same functions
 * (src/models/metrics.ts re-exports them).
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW } from '../draw.js';

/** Chance probability of each number: 6/45. */
export const UNIFORM_NUMBER_PROBABILITY = NUMBERS_PER_DRAW / MAX_NUMBER;

/** Probabilities are clipped to [EPS, 1 − EPS] so one confident miss cannot give an infinite loss. */
export const LOG_LOSS_EPS = 1e-7;

function drawnMask(drawnNumbers: readonly number[]): Uint8Array {
  const mask = new Uint8Array(MAX_NUMBER);
  for (const n of drawnNumbers) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_NUMBER) throw new Error(`drawn number ${n} is not in 1..${MAX_NUMBER}`);
    mask[n - 1] = 1;
  }
  return mask;
}

function checkLength(probs: ArrayLike<number>): void {
  if (probs.length !== MAX_NUMBER) throw new Error(`expected ${MAX_NUMBER} probabilities, got ${probs.length}`);
}

/** Mean over the 45 numbers of −[y·ln p + (1−y)·ln(1−p)], y = 1 for drawn numbers. */
export function binaryLogLoss(probs: ArrayLike<number>, drawnNumbers: readonly number[]): number {
  checkLength(probs);
  const y = drawnMask(drawnNumbers);
  let sum = 0;
  for (let i = 0; i < MAX_NUMBER; i++) {
    const p = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, probs[i]));
    sum -= y[i] ? Math.log(p) : Math.log(1 - p);
  }
  return sum / MAX_NUMBER;
}

/** Mean over the 45 numbers of (p − y)². */
export function brierScore(probs: ArrayLike<number>, drawnNumbers: readonly number[]): number {
  checkLength(probs);
  const y = drawnMask(drawnNumbers);
  let sum = 0;
  for (let i = 0; i < MAX_NUMBER; i++) {
    const d = probs[i] - y[i];
    sum += d * d;
  }
  return sum / MAX_NUMBER;
}

/** Short names used by the evaluation code. */
export const logLoss = binaryLogLoss;
export const brier = brierScore;

const P = UNIFORM_NUMBER_PROBABILITY;
/** Log-loss of the 6/45 chance baseline; the same for every draw (≈ 0.3927). */
export const UNIFORM_LOG_LOSS = -(NUMBERS_PER_DRAW * Math.log(P) + (MAX_NUMBER - NUMBERS_PER_DRAW) * Math.log(1 - P)) / MAX_NUMBER;
/** Brier score of the 6/45 chance baseline: p(1 − p) ≈ 0.1156. */
export const UNIFORM_BRIER = P * (1 - P);

/** One (predicted probability, outcome) pair; outcome 1 when the number was drawn. */
export type CalibrationPair = readonly [p: number, y: number];

/** The 45 (probability, drawn?) pairs of one draw. */
export function calibrationPairs(probs: ArrayLike<number>, drawnNumbers: readonly number[]): CalibrationPair[] {
  checkLength(probs);
  const y = drawnMask(drawnNumbers);
  const out: CalibrationPair[] = [];
  for (let i = 0; i < MAX_NUMBER; i++) out.push([probs[i], y[i]]);
  return out;
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
  /** 95% Wilson interval for the observed rate. */
  observedLow: number;
  observedHigh: number;
}

/**
 * Reliability-chart bins. 'quantile' (default) puts about the same number of pairs
 * in each bin, which suits model probabilities that crowd around 6/45; 'uniform'
 * splits [0, 1] evenly (empty bins are dropped).
 */
export function calibrationBins(pairs: readonly CalibrationPair[], bins = 10, strategy: 'quantile' | 'uniform' = 'quantile'): CalibrationBin[] {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`bins must be a positive integer, got ${bins}`);
  if (pairs.length === 0) return [];
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const groups: CalibrationPair[][] = [];
  if (strategy === 'quantile') {
    const per = sorted.length / bins;
    for (let b = 0; b < bins; b++) {
      const g = sorted.slice(Math.round(b * per), Math.round((b + 1) * per));
      if (g.length > 0) groups.push(g);
    }
  } else {
    const buckets: CalibrationPair[][] = Array.from({ length: bins }, () => []);
    for (const pr of sorted) buckets[Math.min(bins - 1, Math.max(0, Math.floor(pr[0] * bins)))].push(pr);
    for (const g of buckets) if (g.length > 0) groups.push(g);
  }
  const z = 1.959963984540054;
  return groups.map((g) => {
    const n = g.length;
    let sp = 0;
    let sy = 0;
    for (const [p, y] of g) {
      sp += p;
      sy += y;
    }
    const rate = sy / n;
    const denom = 1 + (z * z) / n;
    const centre = (rate + (z * z) / (2 * n)) / denom;
    const half = (z * Math.sqrt((rate * (1 - rate)) / n + (z * z) / (4 * n * n))) / denom;
    return {
      lower: g[0][0],
      upper: g[n - 1][0],
      count: n,
      meanPredicted: sp / n,
      observedRate: rate,
      observedLow: Math.max(0, centre - half),
      observedHigh: Math.min(1, centre + half),
    };
  });
}
