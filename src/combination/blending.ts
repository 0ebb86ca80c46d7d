/**
 * Blending (the design's "블렌딩"): weights that follow each family's recent
 * performance on draws that have since happened.
 *
 * Performance measure — per-draw log-likelihood. For a scored draw, a model's
 * score is the log-probability its 45 per-number probabilities give to what
 * actually happened, treating each number as a drawn / not drawn event:
 *
 *   LL = Σₙ [ yₙ·ln pₙ + (1 − yₙ)·ln(1 − pₙ) ]        (yₙ = 1 for the six drawn)
 *
 * i.e. −45 × the binary log-loss of src/models/metrics.ts (same clipping, so it is
 * always finite). Higher is better; chance scores ≈ −17.67 on every draw.
 *
 * Weights — over the last `window` (50) scored draws, each model's mean LL is
 * turned into a weight proportional to exp(mean LL):
 *
 *   w_T = exp(m_T) / (exp(m_T) + exp(m_E)),   w_E = 1 − w_T
 *
 * so w_T / w_E is the geometric-mean per-draw likelihood ratio of the two models.
 * This is well-behaved: both weights are positive and sum to 1 for any finite
 * scores (a weight only underflows to 0 past a mean gap of ~700 nats per draw,
 * far beyond anything two real models produce); they depend only on the difference m_T − m_E (adding a constant
 * to every score changes nothing); equal performance gives 0.5/0.5; and one bad
 * draw moves the weights by at most its 1/window share of the mean. Using the
 * mean rather than the sum of LL keeps the weights from collapsing to 0/1 after a
 * few dozen draws of small, noisy differences (lottery models differ by
 * hundredths of a nat per draw).
 *
 * Until `minScored` (10) draws are scored the weights stay 0.5/0.5.
 */
import { MAX_NUMBER } from '../domain/draw.js';
import { binaryLogLoss } from '../models/metrics.js';
import { normalizeToSix, type ProbabilityVector } from './normalize.js';

export interface BlendingScore {
  /** Per-draw log-likelihood of the transformer's vector (see `drawLogLikelihood`). */
  transformerScore: number;
  /** Per-draw log-likelihood of the ensemble's vector. */
  ensembleScore: number;
}

export interface BlendingWeights {
  pytorch_transformer: number;
  sklearn_ensemble: number;
  /** How many scored draws the weights rest on (0 while below `minScored`). */
  basedOn: number;
}

export interface BlendingOptions {
  /** Most recent scored draws used (default 50). */
  window?: number;
  /** Below this many scored draws the weights are 0.5/0.5 (default 10). */
  minScored?: number;
}

export const BLENDING_WINDOW = 50;
export const BLENDING_MIN_SCORED = 10;

/** A model's per-draw log-likelihood of the actual draw; the blending score. */
export function drawLogLikelihood(probabilities: ArrayLike<number>, drawn: readonly number[]): number {
  return -MAX_NUMBER * binaryLogLoss(probabilities, drawn);
}

/**
 * Weights from the scored history, oldest first; only the last `window` entries count.
 * Throws on a non-finite score.
 */
export function blendingWeights(history: readonly BlendingScore[], options: BlendingOptions = {}): BlendingWeights {
  const window = options.window ?? BLENDING_WINDOW;
  const minScored = options.minScored ?? BLENDING_MIN_SCORED;
  if (!Number.isInteger(window) || window < 1) throw new Error(`blending window must be a positive integer, got ${window}`);
  if (!Number.isInteger(minScored) || minScored < 1) throw new Error(`blending minScored must be a positive integer, got ${minScored}`);
  if (history.length < minScored) return { pytorch_transformer: 0.5, sklearn_ensemble: 0.5, basedOn: 0 };
  const recent = history.slice(Math.max(0, history.length - window));
  let sumT = 0;
  let sumE = 0;
  for (const h of recent) {
    if (!Number.isFinite(h.transformerScore) || !Number.isFinite(h.ensembleScore)) {
      throw new Error(`blending scores must be finite, got transformer ${h.transformerScore}, ensemble ${h.ensembleScore}`);
    }
    sumT += h.transformerScore;
    sumE += h.ensembleScore;
  }
  const d = (sumT - sumE) / recent.length;
  // Logistic of the mean difference = exp(m_T) / (exp(m_T) + exp(m_E)), computed stably.
  const wT = d >= 0 ? 1 / (1 + Math.exp(-d)) : Math.exp(d) / (1 + Math.exp(d));
  return { pytorch_transformer: wT, sklearn_ensemble: 1 - wT, basedOn: recent.length };
}

/** Weighted average of the two normalised vectors, normalised to sum 6. */
export function blend(
  transformer: ArrayLike<number>,
  ensemble: ArrayLike<number>,
  weights: { pytorch_transformer: number; sklearn_ensemble: number },
): ProbabilityVector {
  const a = weights.pytorch_transformer;
  const b = weights.sklearn_ensemble;
  if (!Number.isFinite(a) || !Number.isFinite(b) || a < 0 || b < 0 || !(a + b > 0)) {
    throw new Error(`blend weights must be finite, non-negative and not both 0, got ${a} and ${b}`);
  }
  const pT = normalizeToSix(transformer);
  const pE = normalizeToSix(ensemble);
  const mix = new Float64Array(MAX_NUMBER);
  for (let i = 0; i < MAX_NUMBER; i++) mix[i] = (a * pT[i] + b * pE[i]) / (a + b);
  return normalizeToSix(mix);
}
