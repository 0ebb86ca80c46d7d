import { MAX_NUMBER, NUMBERS_PER_DRAW } from '../domain/draw.js';
import type { NumberProbabilities } from './types.js';

/** P(a given number is among the six drawn) under pure chance: 6/45. */
export const UNIFORM_PROBABILITY = NUMBERS_PER_DRAW / MAX_NUMBER;

/** The chance baseline: every number at 6/45. */
export function uniformProbabilities(): NumberProbabilities {
  return new Float64Array(MAX_NUMBER).fill(UNIFORM_PROBABILITY);
}

/**
 * Turn a distribution over the 45 numbers ("which number comes next", sums to 1)
 * into per-number inclusion probabilities that sum to 6.
 *
 * Scaling by 6 is exact when no number exceeds 1/6 of the mass (always the case for
 * realistic lottery models). A number above that would get P > 1, so it is clipped
 * to 1 and the excess is handed to the others in proportion to their mass, repeated
 * until nothing exceeds 1 (at most 6 rounds, since at most 6 numbers can sit at 1).
 */
export function calibrateToSix(distribution: ArrayLike<number>): NumberProbabilities {
  if (distribution.length !== MAX_NUMBER) {
    throw new Error(`expected ${MAX_NUMBER} values, got ${distribution.length}`);
  }
  const out = new Float64Array(MAX_NUMBER);
  let total = 0;
  for (let i = 0; i < MAX_NUMBER; i++) {
    const v = distribution[i];
    if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`distribution value ${i + 1} is ${v}; expected a finite non-negative number`);
    total += v;
  }
  if (total <= 0) return uniformProbabilities();
  const capped = new Uint8Array(MAX_NUMBER);
  let cappedCount = 0;
  for (;;) {
    // Spread the mass still to place (6 − capped numbers) over the uncapped ones.
    let freeMass = 0;
    for (let i = 0; i < MAX_NUMBER; i++) if (!capped[i]) freeMass += distribution[i];
    const target = NUMBERS_PER_DRAW - cappedCount;
    let newlyCapped = 0;
    for (let i = 0; i < MAX_NUMBER; i++) {
      if (capped[i]) {
        out[i] = 1;
      } else {
        out[i] = freeMass > 0 ? (distribution[i] * target) / freeMass : target / (MAX_NUMBER - cappedCount);
        if (out[i] > 1) newlyCapped++;
      }
    }
    if (newlyCapped === 0) return out;
    for (let i = 0; i < MAX_NUMBER; i++) {
      if (!capped[i] && out[i] > 1) {
        capped[i] = 1;
        cappedCount++;
      }
    }
  }
}
