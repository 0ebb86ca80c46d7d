/**
 * Probability vectors for combination: 45 per-number inclusion probabilities
 * (index 0 = number 1) that sum to 6, the expected count of drawn numbers.
 *
 * Every combiner first brings its inputs to that form and brings its output back
 * to it, so a member that returns a slightly-off vector (float drift, a
 * distribution summing to 1, a tree that predicts 0 for a number) cannot bias the
 * mix or produce log(0) downstream.
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW } from '../domain/draw.js';

/** A 45-number probability vector; index 0 is number 1. */
export type ProbabilityVector = Float64Array;

/**
 * Floor for any single probability. Small enough to never matter for ranking
 * (chance is 6/45 ≈ 0.133), large enough that logs and logits stay finite.
 */
export const PROBABILITY_FLOOR = 1e-6;

/** Chance probability of any number: 6/45. */
export const CHANCE_PROBABILITY = NUMBERS_PER_DRAW / MAX_NUMBER;

/** Chance expected matches of a 6-number set: 6 × 6/45 = 0.8. */
export const CHANCE_EXPECTED_MATCHES = NUMBERS_PER_DRAW * CHANCE_PROBABILITY;

/** Throws unless `v` has 45 finite, non-negative entries. */
export function assertProbabilityInput(v: ArrayLike<number>, what = 'probability vector'): void {
  if (!v || v.length !== MAX_NUMBER) {
    throw new Error(`${what}: expected ${MAX_NUMBER} values, got ${v ? v.length : 'nothing'}`);
  }
  for (let i = 0; i < MAX_NUMBER; i++) {
    const x = v[i];
    if (!Number.isFinite(x) || x < 0) throw new Error(`${what}: value for number ${i + 1} is ${x}; expected a finite non-negative number`);
  }
}

function clampedSum(v: ArrayLike<number>, scale: number, floor: number): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.min(1, Math.max(floor, v[i] * scale));
  return s;
}

/**
 * Rescale `v` so it sums to 6 with every entry in [floor, 1].
 *
 * Finds the single scale factor s with Σ clamp(s·vᵢ, floor, 1) = 6, so the order of
 * the numbers is kept and the relative sizes of all unclamped entries are exactly
 * those of the input. The left side is continuous and non-decreasing in s, so a
 * bisection on log s brackets it; the final s is then solved exactly over the
 * entries that are not clamped. An all-zero input means "no information" and
 * gives chance (6/45 each).
 */
export function normalizeToSix(v: ArrayLike<number>, floor: number = PROBABILITY_FLOOR): ProbabilityVector {
  assertProbabilityInput(v);
  if (!(floor > 0) || floor * MAX_NUMBER >= NUMBERS_PER_DRAW) throw new Error(`floor must be in (0, ${NUMBERS_PER_DRAW / MAX_NUMBER}), got ${floor}`);
  let max = 0;
  for (let i = 0; i < MAX_NUMBER; i++) max = Math.max(max, v[i]);
  const out = new Float64Array(MAX_NUMBER);
  if (max === 0) return out.fill(CHANCE_PROBABILITY);

  let positive = 0;
  for (let i = 0; i < MAX_NUMBER; i++) if (v[i] > 0) positive++;
  if (positive < NUMBERS_PER_DRAW) {
    // Scaling cannot reach 6 with fewer than 6 non-zero entries: the non-zero
    // ones become certain and the missing mass is spread evenly over the rest.
    const rest = (NUMBERS_PER_DRAW - positive) / (MAX_NUMBER - positive);
    for (let i = 0; i < MAX_NUMBER; i++) out[i] = v[i] > 0 ? 1 : rest;
    return out;
  }
  // Bracket: at s = floor/max every entry sits at the floor (sum 45·floor < 6); at
  // s = 1/(6th largest) at least 6 entries are at 1 (sum ≥ 6).
  const sixth = [...Array.from(v)].sort((a, b) => b - a)[NUMBERS_PER_DRAW - 1];
  let lo = Math.log(floor / max);
  let hi = Math.log(1 / sixth);
  for (let it = 0; it < 200 && hi - lo > 1e-13; it++) {
    const mid = (lo + hi) / 2;
    if (clampedSum(v, Math.exp(mid), floor) < NUMBERS_PER_DRAW) lo = mid;
    else hi = mid;
  }
  let s = Math.exp((lo + hi) / 2);
  // Exact finish over the entries strictly inside (floor, 1) at this scale.
  let fixedMass = 0;
  let freeRaw = 0;
  for (let i = 0; i < MAX_NUMBER; i++) {
    const x = v[i] * s;
    if (x >= 1) fixedMass += 1;
    else if (x <= floor) fixedMass += floor;
    else freeRaw += v[i];
  }
  if (freeRaw > 0) {
    const exact = (NUMBERS_PER_DRAW - fixedMass) / freeRaw;
    if (exact > 0 && Number.isFinite(exact)) s = exact;
  }
  let total = 0;
  for (let i = 0; i < MAX_NUMBER; i++) {
    out[i] = Math.min(1, Math.max(floor, v[i] * s));
    total += out[i];
  }
  // Remaining float drift (~1e-15) goes to the free entries proportionally.
  const drift = NUMBERS_PER_DRAW - total;
  if (drift !== 0 && freeRaw > 0) {
    for (let i = 0; i < MAX_NUMBER; i++) {
      if (out[i] > floor && out[i] < 1) out[i] = Math.min(1, Math.max(floor, out[i] + (drift * v[i]) / freeRaw));
    }
  }
  return out;
}

/** Σ p over the numbers of `set` — the expected number of matches of that set. */
export function expectedMatches(probabilities: ArrayLike<number>, set: readonly number[]): number {
  let s = 0;
  for (const n of set) s += probabilities[n - 1];
  return s;
}

/** Natural log-odds, with p clamped into [floor, 1 − floor] so it stays finite. */
export function logit(p: number, floor: number = PROBABILITY_FLOOR): number {
  const q = Math.min(1 - floor, Math.max(floor, p));
  return Math.log(q / (1 - q));
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
