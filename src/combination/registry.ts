/** Combination method → the Combiner class that implements it (loads it from its JSON). */
import { BlendingCombiner } from './blending.js';
import type { CombinationMethod, CombinerClass } from './combiner.js';
import { StackingCombiner } from './stacking.js';
import { WeightedVotingCombiner } from './weightedVoting.js';

export const COMBINERS: Readonly<Record<CombinationMethod, CombinerClass>> = Object.freeze({
  weighted_voting: WeightedVotingCombiner,
  stacking: StackingCombiner,
  blending: BlendingCombiner,
});
