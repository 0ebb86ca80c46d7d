/**
 * The one shape of a combination method (scikit-learn's VotingRegressor / StackingRegressor
 * in spirit): named members, a `fit` on walk-forward records (out-of-sample vectors and what
 * happened), a `combine` of the members' vectors by name, and JSON to save and load it.
 * Weighted voting, stacking and blending implement it; `COMBINERS` finds one by method name.
 *
 * Members are named by their model family ('transformer', 'ensemble'); the API's names for
 * them are the edges' business.
 */
import type { ProbabilityVector } from './normalize.js';

export type CombinationMethod = 'weighted_voting' | 'stacking' | 'blending';
export const COMBINATION_METHODS: readonly CombinationMethod[] = ['weighted_voting', 'stacking', 'blending'];

/** The members' 45-number vectors by member name; an absent member is left out (or undefined). */
export type MemberVectors = Readonly<Record<string, ArrayLike<number> | undefined>>;

/** One walk-forward prediction of every member for one draw, with its outcome. */
export interface CombinerRecord {
  /** The round that was predicted. */
  targetRound: number;
  /** Each member's 45 probabilities for the target, and the last round its model was trained through (must be < targetRound). */
  members: Readonly<Record<string, { vector: ArrayLike<number>; trainedThroughRound: number }>>;
  /** The six numbers drawn in the target round. */
  drawn: readonly number[];
}

export interface Combined {
  probabilities: ProbabilityVector;
  /** Weights applied to the members present (summing to 1); null where the method has no such weights (stacking). */
  weights: Readonly<Record<string, number>> | null;
}

export interface Combiner {
  readonly method: CombinationMethod;
  /** Member names, in the order their vectors are mixed. */
  readonly members: readonly string[];
  /** Learn from walk-forward records (methods with nothing to learn ignore them). Returns this. */
  fit(records: readonly CombinerRecord[]): this;
  combine(vectors: MemberVectors): Combined;
  toJSON(): object;
}

/** A combination method's loader. */
export interface CombinerClass {
  fromJSON(json: unknown): Combiner;
}

/** The vectors present, in member order; throws naming the members when fewer than `need` are. */
export function presentMembers(members: readonly string[], vectors: MemberVectors, need: number, method: string): string[] {
  const present = members.filter((m) => vectors[m] !== undefined);
  if (present.length < need) {
    const wanted = need === members.length ? 'a vector from every member' : `vectors from at least ${need} members`;
    throw new Error(`${method} needs ${wanted} (${members.join(', ')}), got ${present.join(', ') || 'none'}`);
  }
  return present;
}
