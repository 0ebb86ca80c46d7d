/**
 * Weighted voting (the design's "가중 투표"): normalise each member's vector to sum 6, take
 * the weighted average, normalise again. A missing member is simply left out and the
 * remaining weights are rescaled to sum 1, which is how the service falls back when one
 * family fails or times out.
 */
import type { ModelFamily } from '../models/families.js';
import type { Combined, Combiner, CombinerRecord, MemberVectors } from './combiner.js';
import { normalizeToSix, type ProbabilityVector } from './normalize.js';

/** The design's default: transformer 0.55 ("creativity"), ensemble 0.45 ("stability"). */
export const DEFAULT_VOTING_WEIGHTS: Readonly<Record<ModelFamily, number>> = Object.freeze({ transformer: 0.55, ensemble: 0.45 });

export interface CombinedVector {
  probabilities: ProbabilityVector;
  /** Weights actually applied, over the members present only; they sum to 1. */
  weights: Record<string, number>;
}

/**
 * Weighted average of the members present in `vectors`, mixed in the order of `weights`.
 * Throws when no member is present, or when the present members' weights are not
 * finite, non-negative and with a positive total.
 */
export function weightedVoting(vectors: MemberVectors, weights: Readonly<Record<string, number>> = DEFAULT_VOTING_WEIGHTS): CombinedVector {
  const members = Object.keys(weights);
  const present = members.filter((m) => vectors[m] !== undefined);
  if (present.length === 0) throw new Error(`weighted voting needs at least one member vector (${members.join(' or ')})`);
  let total = 0;
  for (const m of present) {
    const w = weights[m];
    if (!Number.isFinite(w) || w < 0) throw new Error(`weight for ${m} must be a finite non-negative number, got ${w}`);
    total += w;
  }
  if (!(total > 0)) throw new Error(`weights of the present members (${present.join(', ')}) sum to 0`);
  const used: Record<string, number> = {};
  const mix = new Float64Array(45);
  for (const m of present) {
    const w = weights[m] / total;
    used[m] = w;
    const v = normalizeToSix(vectors[m] as ArrayLike<number>);
    for (let i = 0; i < 45; i++) mix[i] += w * v[i];
  }
  return { probabilities: normalizeToSix(mix), weights: used };
}

export interface WeightedVotingJSON {
  className: 'WeightedVotingCombiner';
  formatVersion: 1;
  weights: Record<string, number>;
}

/** Weighted voting as a Combiner: fixed weights by member name, nothing to learn. */
export class WeightedVotingCombiner implements Combiner {
  readonly method = 'weighted_voting';
  readonly members: readonly string[];
  private readonly weights: Readonly<Record<string, number>>;

  constructor(weights: Readonly<Record<string, number>> = DEFAULT_VOTING_WEIGHTS) {
    this.weights = { ...weights };
    this.members = Object.keys(weights);
  }

  fit(_records: readonly CombinerRecord[]): this {
    return this;
  }

  combine(vectors: MemberVectors): Combined {
    return weightedVoting(vectors, this.weights);
  }

  toJSON(): WeightedVotingJSON {
    return { className: 'WeightedVotingCombiner', formatVersion: 1, weights: { ...this.weights } };
  }

  static fromJSON(json: unknown): WeightedVotingCombiner {
    if (typeof json !== 'object' || json === null || !('className' in json) || json.className !== 'WeightedVotingCombiner' || !('formatVersion' in json) || json.formatVersion !== 1) {
      throw new Error('not a WeightedVotingCombiner of format 1 (className / formatVersion)');
    }
    const w = 'weights' in json ? json.weights : undefined;
    if (typeof w !== 'object' || w === null) throw new Error('WeightedVotingCombiner: weights must be an object of member → weight');
    const weights: Record<string, number> = {};
    for (const [k, v] of Object.entries(w)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`WeightedVotingCombiner: weights.${k} must be a finite number ≥ 0, got ${JSON.stringify(v)}`);
      weights[k] = v;
    }
    return new WeightedVotingCombiner(weights);
  }
}
