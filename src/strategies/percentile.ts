/**
 * Where a 6-number set ranks under a model, among ALL C(45,6) = 8,145,060 sets.
 *
 * A set's model score is its expected number of matches, Σ pₙ over its numbers
 * (chance: 6 × 6/45 = 0.8). Its `confidence_score` is the fraction of all
 * combinations whose score is lower: 0.87 means it outscores 87% of them. This is
 * a RANKING under the model, not a chance of winning — every combination has the
 * same 1 in 8,145,060 chance of the first prize.
 *
 * Method: subtracting min p from every number shifts every set's score by the
 * same 6·min p, so ranks are unchanged; the shifted values are quantised to
 * integer levels 0..R (R = `resolution`, default 4096, step δ = (max p − min p)/R),
 * and a dynamic programme counts the 6-subsets per total level (45 × 7 × 6R
 * cells, once per vector). A lookup is then one prefix-sum read, O(1).
 *
 * Tolerance: rounding moves each number by ≤ δ/2, a set by ≤ 3δ, so two sets whose
 * exact scores differ by more than 6δ are always ordered correctly; only sets
 * within ±6δ of the queried one can be misplaced. `bounds()` gives the exact
 * interval that contains the true percentile; bench/sets.ts prints its width
 * (a few hundredths of a percentage point for realistic vectors).
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW } from '../domain/draw.js';
import { assertProbabilityInput } from '../combination/normalize.js';

/** C(45, 6). */
export const TOTAL_COMBINATIONS = 8_145_060;

/**
 * Number of k-subsets of `levels` (non-negative integers) with each possible
 * level sum: out[s] = #{ S ⊆ items, |S| = k, Σ_{i∈S} levels[i] = s }.
 * Counts are exact while below 2^53.
 */
export function countSubsetsByLevel(levels: ArrayLike<number>, k: number): Float64Array {
  let maxLevel = 0;
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i];
    if (!Number.isInteger(l) || l < 0) throw new Error(`levels must be non-negative integers, got ${l}`);
    maxLevel = Math.max(maxLevel, l);
  }
  if (!Number.isInteger(k) || k < 0 || k > levels.length) throw new Error(`cannot choose ${k} of ${levels.length} items`);
  const width = k * maxLevel + 1;
  // dp[j] = counts of j-subsets of the items seen so far, by level sum.
  const dp: Float64Array[] = Array.from({ length: k + 1 }, () => new Float64Array(width));
  dp[0][0] = 1;
  const reach = new Int32Array(k + 1); // highest reachable sum per j so far
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i];
    for (let j = Math.min(k, i + 1); j >= 1; j--) {
      const from = dp[j - 1];
      const to = dp[j];
      const top = reach[j - 1];
      for (let s = top; s >= 0; s--) {
        const c = from[s];
        if (c !== 0) to[s + l] += c;
      }
      reach[j] = Math.max(reach[j], top + l);
    }
  }
  return dp[k];
}

export interface PercentileBounds {
  /** The true fraction of combinations with a lower score is at least this… */
  low: number;
  /** …and at most this. */
  high: number;
}

export class PercentileTable {
  /** The vector the table was built from (a copy). */
  readonly probabilities: Float64Array;
  readonly resolution: number;
  /** Quantisation step δ in probability units (0 for a constant vector). */
  readonly step: number;
  readonly total: number;
  private readonly min: number;
  private readonly levels: Int32Array;
  /** below[s] = number of combinations with total level < s, for s = 0..width. */
  private readonly below: Float64Array;

  private constructor(probabilities: Float64Array, resolution: number) {
    this.probabilities = probabilities;
    this.resolution = resolution;
    let min = Infinity;
    let max = -Infinity;
    for (const p of probabilities) {
      min = Math.min(min, p);
      max = Math.max(max, p);
    }
    this.min = min;
    this.step = max > min ? (max - min) / resolution : 0;
    this.levels = new Int32Array(MAX_NUMBER);
    for (let i = 0; i < MAX_NUMBER; i++) this.levels[i] = this.levelOf(probabilities[i]);
    const counts = countSubsetsByLevel(this.levels, NUMBERS_PER_DRAW);
    this.below = new Float64Array(counts.length + 1);
    for (let s = 0; s < counts.length; s++) this.below[s + 1] = this.below[s] + counts[s];
    this.total = this.below[counts.length];
  }

  /** Builds the table for one 45-number vector (≈ 10 ms); cache it per vector. */
  static fromProbabilities(probabilities: ArrayLike<number>, options: { resolution?: number } = {}): PercentileTable {
    assertProbabilityInput(probabilities);
    const resolution = options.resolution ?? 4096;
    if (!Number.isInteger(resolution) || resolution < 1 || resolution > 1 << 16) throw new Error(`resolution must be an integer in 1..65536, got ${resolution}`);
    return new PercentileTable(Float64Array.from(probabilities), resolution);
  }

  private levelOf(p: number): number {
    return this.step > 0 ? Math.round((p - this.min) / this.step) : 0;
  }

  private levelSum(numbers: readonly number[]): number {
    if (numbers.length !== NUMBERS_PER_DRAW) throw new Error(`a set has ${NUMBERS_PER_DRAW} numbers, got ${numbers.length}`);
    let s = 0;
    for (const n of numbers) {
      if (!Number.isInteger(n) || n < 1 || n > MAX_NUMBER) throw new Error(`number ${n} is not in 1..${MAX_NUMBER}`);
      s += this.levels[n - 1];
    }
    return s;
  }

  /** True when the table was built from exactly this vector. */
  matches(probabilities: ArrayLike<number>): boolean {
    if (probabilities.length !== MAX_NUMBER) return false;
    for (let i = 0; i < MAX_NUMBER; i++) if (probabilities[i] !== this.probabilities[i]) return false;
    return true;
  }

  /** Expected matches of the set under the table's vector: Σ pₙ. */
  score(numbers: readonly number[]): number {
    let s = 0;
    for (const n of numbers) s += this.probabilities[n - 1];
    return s;
  }

  /** Fraction of all combinations scoring lower than `numbers`, in [0, 1]. */
  percentile(numbers: readonly number[]): number {
    return this.below[this.levelSum(numbers)] / this.total;
  }

  /** An interval certain to contain the exact percentile (see the tolerance note above). */
  bounds(numbers: readonly number[]): PercentileBounds {
    if (this.step === 0) return { low: 0, high: 0 };
    const s = this.levelSum(numbers);
    const last = this.below.length - 1;
    // Level sums within ±6 of s may hold combinations on either side of it.
    const lo = Math.max(0, s - 6);
    const hi = Math.min(last, s + 7);
    return { low: this.below[lo] / this.total, high: this.below[hi] / this.total };
  }
}
