/**
 * Weighted voting (the design's "가중 투표"): normalise each family's vector to
 * sum 6, take the weighted average, normalise again. A missing member is simply
 * left out and the remaining weights are rescaled to sum 1, which is how the
 * service falls back when one family fails or times out.
 */
import { normalizeToSix, type ProbabilityVector } from './normalize.js';

/** The two model families, named as in the design and the API. */
export type MemberName = 'pytorch_transformer' | 'sklearn_ensemble';
export const MEMBER_NAMES: readonly MemberName[] = ['pytorch_transformer', 'sklearn_ensemble'];

export type MemberVectors = Partial<Record<MemberName, ArrayLike<number>>>;
export type MemberWeights = Partial<Record<MemberName, number>>;

/** The design's default: transformer 0.55 ("creativity"), ensemble 0.45 ("stability"). */
export const DEFAULT_VOTING_WEIGHTS: Readonly<Record<MemberName, number>> = Object.freeze({
  pytorch_transformer: 0.55,
  sklearn_ensemble: 0.45,
});

export interface CombinedVector {
  probabilities: ProbabilityVector;
  /** Weights actually applied, over the members present only; they sum to 1. */
  weights: MemberWeights;
}

/**
 * Weighted average of the members present in `vectors`.
 * Throws when no member is present, or when the present members' weights are not
 * finite, non-negative and with a positive total.
 */
export function weightedVoting(
  vectors: MemberVectors,
  weights: Readonly<Record<MemberName, number>> = DEFAULT_VOTING_WEIGHTS,
): CombinedVector {
  const present = MEMBER_NAMES.filter((m) => vectors[m] !== undefined);
  if (present.length === 0) throw new Error('weighted voting needs at least one member vector (pytorch_transformer or sklearn_ensemble)');
  let total = 0;
  for (const m of present) {
    const w = weights[m];
    if (!Number.isFinite(w) || w < 0) throw new Error(`weight for ${m} must be a finite non-negative number, got ${w}`);
    total += w;
  }
  if (!(total > 0)) throw new Error(`weights of the present members (${present.join(', ')}) sum to 0`);
  const used: MemberWeights = {};
  const mix = new Float64Array(45);
  for (const m of present) {
    const w = weights[m] / total;
    used[m] = w;
    const v = normalizeToSix(vectors[m] as ArrayLike<number>);
    for (let i = 0; i < 45; i++) mix[i] += w * v[i];
  }
  return { probabilities: normalizeToSix(mix), weights: used };
}
