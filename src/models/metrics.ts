/**
 * Scores for per-number probabilities (45 values, sum 6) against the six numbers
 * actually drawn. Each number is a binary event, so both scores average over the
 * 45 numbers of a draw; lower is better. Shared by every model family.
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW } from '../domain/draw.js';
import { UNIFORM_PROBABILITY, uniformProbabilities } from './probabilities.js';

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

/** Log-loss of the 6/45 chance baseline; the same for every draw (≈ 0.3927). */
export function uniformBaselineLogLoss(): number {
  const p = UNIFORM_PROBABILITY;
  const k = NUMBERS_PER_DRAW;
  return -(k * Math.log(p) + (MAX_NUMBER - k) * Math.log(1 - p)) / MAX_NUMBER;
}

/** Brier score of the 6/45 chance baseline; the same for every draw (= p(1 − p) ≈ 0.1156). */
export function uniformBaselineBrier(): number {
  return brierScore(uniformProbabilities(), [1, 2, 3, 4, 5, 6]);
}

export interface ProbabilityScores {
  /** Number of draws scored. */
  draws: number;
  logLoss: number;
  brier: number;
  uniformLogLoss: number;
  uniformBrier: number;
}

/** Mean log-loss and Brier over several draws, next to the chance baseline's. */
export function scoreProbabilities(predictions: readonly ArrayLike<number>[], drawn: readonly (readonly number[])[]): ProbabilityScores {
  if (predictions.length !== drawn.length) {
    throw new Error(`${predictions.length} predictions but ${drawn.length} drawn sets`);
  }
  let logLoss = 0;
  let brier = 0;
  for (let i = 0; i < predictions.length; i++) {
    logLoss += binaryLogLoss(predictions[i], drawn[i]);
    brier += brierScore(predictions[i], drawn[i]);
  }
  const n = predictions.length;
  return {
    draws: n,
    logLoss: n > 0 ? logLoss / n : Number.NaN,
    brier: n > 0 ? brier / n : Number.NaN,
    uniformLogLoss: uniformBaselineLogLoss(),
    uniformBrier: uniformBaselineBrier(),
  };
}
