/**
 * Scores for per-number probabilities (45 values, sum 6) against the six numbers
 * actually drawn. Each number is a binary event, so both scores average over the
 * 45 numbers of a draw; lower is better. Shared by every model family.
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW } from '../domain/draw.js';
import { UNIFORM_PROBABILITY, uniformProbabilities } from './probabilities.js';

// One implementation, shared with the evaluation statistics (domain layer).
import { binaryLogLoss, brierScore } from '../domain/inference/probabilityQuality.js';
export { binaryLogLoss, brierScore, LOG_LOSS_EPS } from '../domain/inference/probabilityQuality.js';

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
