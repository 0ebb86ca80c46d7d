/**
 * The least-shared labelling of a wheel. A wheel's guarantee and ticket count do not change when
 * its pool numbers trade places (domain/wheels/relabel.ts), but how many other players pick the
 * resulting tickets does. This picks, among the relabellings that keep the fixed numbers in place,
 * one whose tickets have the lowest mean predicted co-winner ratio over tiers 1–3 (the popularity
 * model's ratio_k, 1 = an average combination).
 *
 * Objective: mean over the tickets and over tiers 1, 2 and 3 of ratio_k(ticket). Equal weight per
 * tier, not the expected prize in won: the first-prize pool is ~6 times the others, so a won
 * objective would be tier 1 alone, while a 5if6 wheel's guarantee pays tier 3 and tiers 4–5 are
 * fixed amounts that sharing cannot change. None of this changes the chance of any ticket winning.
 *
 * Search: seeded, deterministic local search over transpositions of two free labels. From the
 * identity labelling and from `restarts` seeded random ones, swaps are tried in a seeded order and
 * kept when they lower the objective, until a full pass finds none (a local minimum) or the work
 * bound runs out; the best labelling seen wins, and it is never worse than the identity (the
 * identity's own descent only goes down). A swap changes only the tickets holding exactly one of
 * the two labels, so only those are rescored. Pure: no I/O, no clock.
 */
import { Random } from '../../domain/random.js';

/** Tiers 1–3 of a fitted RoundScorer (model.ts): per-number terms, pair terms, spread, normaliser. */
export interface SharingTerms {
  unary: readonly Float64Array[];
  pair: readonly Float64Array[];
  spread: readonly number[];
  logZ: readonly number[];
}

export interface LabellingOptions {
  seed: number;
  /** Random starting labellings besides the identity. */
  restarts?: number;
  /** Ticket rescorings allowed in all (bounds the time on the largest wheels). */
  maxWork?: number;
}

export interface LabellingResult {
  /** labels[i]: the number that takes the place of pool[i]. */
  labels: number[];
  /** Mean ratio per tier 1..3 over the tickets, identity labelling. */
  before: [number, number, number];
  after: [number, number, number];
  /** The objective (mean of the three) before and after. */
  objectiveBefore: number;
  objectiveAfter: number;
  swapsKept: number;
  /** Ticket rescorings spent. */
  work: number;
  /** False when the work bound stopped the search before every start reached a local minimum. */
  converged: boolean;
}

export const DEFAULT_RESTARTS = 4;
export const DEFAULT_MAX_WORK = 250_000;

const TIERS = 3;

/**
 * `pool` ascending, `tickets` as pool numbers, `fixed` pool numbers that must keep their place.
 * Returns the labelling found and the per-tier means before and after.
 */
export function leastSharedLabelling(pool: readonly number[], fixed: readonly number[], tickets: readonly (readonly number[])[], terms: SharingTerms, opts: LabellingOptions): LabellingResult {
  const T = pool.length;
  const place = new Map(pool.map((n, i) => [n, i]));
  const idx: Int32Array[] = tickets.map((t) => Int32Array.from(t, (n) => {
    const at = place.get(n);
    if (at === undefined) throw new RangeError(`leastSharedLabelling: ticket number ${n} is not in the pool`);
    return at;
  }));
  const free = pool.map((_, i) => i).filter((i) => !fixed.includes(pool[i]));
  const holding: number[][] = pool.map(() => []);
  idx.forEach((t, k) => t.forEach((i) => holding[i].push(k)));
  const expNegZ = terms.logZ.slice(0, TIERS).map((z) => Math.exp(-z));
  const maxWork = opts.maxWork ?? DEFAULT_MAX_WORK;
  let work = 0;

  // Ratio of ticket k under labels, per tier, into out[0..2]; returns their mean.
  const buf = new Int32Array(6);
  const scoreTicket = (labels: Int32Array, k: number, out: Float64Array | null): number => {
    work++;
    const t = idx[k];
    let lo = 99;
    let hi = 0;
    for (let a = 0; a < t.length; a++) {
      const n = labels[t[a]];
      buf[a] = n;
      if (n < lo) lo = n;
      if (n > hi) hi = n;
    }
    let mean = 0;
    for (let tier = 0; tier < TIERS; tier++) {
      const u = terms.unary[tier];
      const pr = terms.pair[tier];
      let eta = terms.spread[tier] * (hi - lo);
      for (let a = 0; a < t.length; a++) {
        const x = buf[a];
        eta += u[x];
        for (let b = a + 1; b < t.length; b++) {
          const y = buf[b];
          // pair[] is filled for a < b (model.ts scores sorted combinations); order the two.
          eta += x < y ? pr[x * 46 + y] : pr[y * 46 + x];
        }
      }
      const r = Math.exp(eta) * expNegZ[tier];
      if (out) out[tier] = r;
      mean += r;
    }
    return mean / TIERS;
  };

  const perTier = (labels: Int32Array): [number, number, number] => {
    const sum = new Float64Array(TIERS);
    const out = new Float64Array(TIERS);
    for (let k = 0; k < idx.length; k++) {
      scoreTicket(labels, k, out);
      for (let tier = 0; tier < TIERS; tier++) sum[tier] += out[tier];
    }
    return [sum[0] / idx.length, sum[1] / idx.length, sum[2] / idx.length];
  };

  const rng = new Random(opts.seed);
  const identity = Int32Array.from(pool);
  const before = perTier(identity);
  const objectiveBefore = (before[0] + before[1] + before[2]) / TIERS;

  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < free.length; a++) for (let b = a + 1; b < free.length; b++) pairs.push([free[a], free[b]]);

  let best = identity;
  let bestValue = objectiveBefore * idx.length;
  let swapsKept = 0;
  let converged = true;
  const mark = new Int32Array(idx.length);
  const changed = new Int32Array(idx.length);
  const fresh = new Float64Array(idx.length);
  let stamp = 0;

  const restarts = opts.restarts ?? DEFAULT_RESTARTS;
  for (let start = 0; start <= restarts && work < maxWork; start++) {
    const labels = Int32Array.from(pool);
    if (start > 0) {
      // A seeded random permutation of the free labels (Fisher–Yates over the free places).
      for (let a = free.length - 1; a > 0; a--) {
        const b = rng.nextInt(a + 1);
        const tmp = labels[free[a]];
        labels[free[a]] = labels[free[b]];
        labels[free[b]] = tmp;
      }
    }
    const value = new Float64Array(idx.length);
    let total = 0;
    for (let k = 0; k < idx.length; k++) total += value[k] = scoreTicket(labels, k, null);
    let improved = true;
    while (improved) {
      improved = false;
      // A seeded order of the swaps for this pass.
      for (let a = pairs.length - 1; a > 0; a--) {
        const b = rng.nextInt(a + 1);
        const tmp = pairs[a];
        pairs[a] = pairs[b];
        pairs[b] = tmp;
      }
      for (const [i, j] of pairs) {
        if (work >= maxWork) {
          converged = false;
          break;
        }
        // Tickets holding exactly one of places i and j change; those holding both do not.
        stamp++;
        let nChanged = 0;
        for (const k of holding[i]) mark[k] = stamp;
        for (const k of holding[j]) if (mark[k] === stamp) mark[k] = -stamp; else changed[nChanged++] = k;
        for (const k of holding[i]) if (mark[k] === stamp) changed[nChanged++] = k;
        let delta = 0;
        const li = labels[i];
        labels[i] = labels[j];
        labels[j] = li;
        for (let c = 0; c < nChanged; c++) {
          fresh[c] = scoreTicket(labels, changed[c], null);
          delta += fresh[c] - value[changed[c]];
        }
        if (delta < -1e-12 * Math.max(1, Math.abs(total))) {
          for (let c = 0; c < nChanged; c++) value[changed[c]] = fresh[c];
          total += delta;
          swapsKept++;
          improved = true;
        } else {
          labels[j] = labels[i];
          labels[i] = li;
        }
      }
      if (work >= maxWork) break;
    }
    if (total < bestValue - 1e-12 * Math.abs(bestValue)) {
      bestValue = total;
      best = Int32Array.from(labels);
    }
  }
  const after = perTier(best);
  return {
    labels: Array.from(best),
    before,
    after,
    objectiveBefore,
    objectiveAfter: (after[0] + after[1] + after[2]) / TIERS,
    swapsKept,
    work,
    converged,
  };
}
