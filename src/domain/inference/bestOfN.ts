/**
 * Best of N: the most matches among a draw's N tickets. Its chance value depends on
 * how the tickets overlap, so it is computed for the actual tickets (exactly, or by
 * seeded Monte Carlo with a standard error), with the closed form for N independent
 * uniform tickets alongside.
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW } from '../draw.js';
import type { Random } from '../random.js';
import { countMatches, matchDistribution } from './matches.js';

/** E[best of n] for n independent uniformly random tickets: Σₖ P(best ≥ k) = Σₖ 1 − F(k−1)ⁿ. */
export function bestOfNIndependent(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`best of n needs an integer n ≥ 1, got ${n}`);
  const pmf = matchDistribution();
  let cdf = 0;
  let expected = 0;
  for (let k = 1; k <= NUMBERS_PER_DRAW; k++) {
    cdf += pmf[k - 1];
    expected += 1 - Math.pow(cdf, n);
  }
  return expected;
}

export interface BestOfNChance {
  /** Expected best-of-N matches under a uniformly random draw. */
  mean: number;
  /** P(best = k), k = 0..6 (exact method), or the simulated frequencies. */
  distribution: readonly number[];
  exact: boolean;
  /** 0 when exact; the Monte Carlo standard error of `mean` otherwise. */
  standardError: number;
  /** Draws evaluated (exact: distinct classes of draws visited; Monte Carlo: samples). */
  evaluations: number;
}

export interface BestOfNOptions {
  /** 'exact' (default) enumerates every draw up to symmetry; 'monte-carlo' samples. */
  method?: 'exact' | 'monte-carlo';
  /** Required for Monte Carlo. */
  random?: Random;
  /** Monte Carlo samples (default 20,000). */
  samples?: number;
}

/**
 * Chance distribution of the best of `tickets` against a uniformly random 6-of-45 draw.
 * Exact method: numbers held by exactly the same tickets are interchangeable, so the
 * enumeration runs over how many numbers the draw takes from each such group (weighted
 * by binomial coefficients) instead of over all 8,145,060 draws. Cost grows with the
 * number of distinct groups: a few ms for 5 disjoint tickets, tens of ms for 10 random ones.
 */
export function bestOfNChance(tickets: readonly (readonly number[])[], options: BestOfNOptions = {}): BestOfNChance {
  if (tickets.length === 0) throw new Error('best of N needs at least one ticket');
  for (const t of tickets) {
    if (t.length !== NUMBERS_PER_DRAW || new Set(t).size !== NUMBERS_PER_DRAW || t.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_NUMBER)) {
      throw new Error(`each ticket must be ${NUMBERS_PER_DRAW} distinct numbers in 1..${MAX_NUMBER}, got [${t.join(', ')}]`);
    }
  }
  if ((options.method ?? 'exact') === 'monte-carlo') {
    if (!options.random) throw new Error('Monte Carlo best of N needs a seeded random generator');
    return bestOfNMonteCarlo(tickets, options.random, options.samples ?? 20000);
  }
  return bestOfNExact(tickets);
}

function bestOfNExact(tickets: readonly (readonly number[])[]): BestOfNChance {
  // Group numbers by the set of tickets holding them.
  const byKey = new Map<string, { size: number; members: number[] }>();
  for (let n = 1; n <= MAX_NUMBER; n++) {
    const members: number[] = [];
    tickets.forEach((t, i) => {
      if (t.includes(n)) members.push(i);
    });
    const key = members.join(',');
    const g = byKey.get(key);
    if (g) g.size++;
    else byKey.set(key, { size: 1, members });
  }
  // Groups with tickets first; the empty group last (it never changes a count).
  const groups = [...byKey.values()].sort((a, b) => b.members.length - a.members.length);
  const G = groups.length;
  const T = tickets.length;
  const suffixSize = new Int32Array(G + 1);
  for (let g = G - 1; g >= 0; g--) suffixSize[g] = suffixSize[g + 1] + groups[g].size;
  // capacity[g·T + t]: numbers of ticket t in groups g.. (how much t can still gain).
  const capacity = new Int32Array((G + 1) * T);
  for (let g = G - 1; g >= 0; g--) {
    for (let t = 0; t < T; t++) capacity[g * T + t] = capacity[(g + 1) * T + t];
    for (const m of groups[g].members) capacity[g * T + m] += groups[g].size;
  }
  const binom: number[][] = [];
  for (let n = 0; n <= MAX_NUMBER; n++) {
    binom.push([1]);
    for (let k = 1; k <= NUMBERS_PER_DRAW; k++) binom[n].push(k > n ? 0 : (binom[n][k - 1] * (n - k + 1)) / k);
  }
  const counts = new Int32Array(T);
  const ways = new Float64Array(NUMBERS_PER_DRAW + 1);
  let evaluations = 0;
  // `best` is the current maximum count; counts only grow along a path, so it is carried down.
  const visit = (g: number, remaining: number, weight: number, best: number): void => {
    if (remaining === 0 || g === G) {
      if (remaining === 0) ways[best] += weight;
      evaluations++;
      return;
    }
    if (suffixSize[g] < remaining) return;
    // If no ticket can pass `best` with the picks left, every completion ends at `best`.
    let reachable = best;
    const base = g * T;
    for (let t = 0; t < T && reachable <= best; t++) {
      const v = counts[t] + Math.min(remaining, capacity[base + t]);
      if (v > reachable) reachable = v;
    }
    if (reachable <= best) {
      ways[best] += weight * binom[suffixSize[g]][remaining];
      evaluations++;
      return;
    }
    const { size, members } = groups[g];
    const kMax = Math.min(size, remaining);
    let b = best;
    for (let k = 0; k <= kMax; k++) {
      if (k > 0) {
        for (const m of members) {
          const c = ++counts[m];
          if (c > b) b = c;
        }
      }
      visit(g + 1, remaining - k, weight * binom[size][k], b);
    }
    for (const m of members) counts[m] -= kMax;
  };
  visit(0, NUMBERS_PER_DRAW, 1, 0);
  let total = 0;
  for (const w of ways) total += w;
  const distribution = [...ways].map((w) => w / total);
  return { mean: distribution.reduce((s, p, k) => s + k * p, 0), distribution, exact: true, standardError: 0, evaluations };
}

/** One uniformly random draw as a 0/1 mask over 1..45, reusing `pool` and `mask`. */
export function randomDrawMask(random: Random, pool: Int32Array, mask: Uint8Array): void {
  mask.fill(0);
  for (let i = 0; i < NUMBERS_PER_DRAW; i++) {
    const j = i + random.nextInt(MAX_NUMBER - i);
    const tmp = pool[i];
    pool[i] = pool[j];
    pool[j] = tmp;
    mask[pool[i]] = 1;
  }
}

function newPool(): Int32Array {
  const pool = new Int32Array(MAX_NUMBER);
  for (let i = 0; i < MAX_NUMBER; i++) pool[i] = i + 1;
  return pool;
}

function bestUnderMask(tickets: readonly (readonly number[])[], mask: Uint8Array): number {
  let best = 0;
  for (const t of tickets) {
    let m = 0;
    for (const n of t) m += mask[n];
    if (m > best) best = m;
  }
  return best;
}

function bestOfNMonteCarlo(tickets: readonly (readonly number[])[], random: Random, samples: number): BestOfNChance {
  if (!Number.isInteger(samples) || samples < 2) throw new Error(`Monte Carlo needs at least 2 samples, got ${samples}`);
  const pool = newPool();
  const mask = new Uint8Array(MAX_NUMBER + 1);
  const freq = new Float64Array(NUMBERS_PER_DRAW + 1);
  for (let s = 0; s < samples; s++) {
    randomDrawMask(random, pool, mask);
    freq[bestUnderMask(tickets, mask)]++;
  }
  const distribution = [...freq].map((f) => f / samples);
  const mean = distribution.reduce((s, p, k) => s + k * p, 0);
  const second = distribution.reduce((s, p, k) => s + k * k * p, 0);
  const variance = ((second - mean * mean) * samples) / (samples - 1);
  return { mean, distribution, exact: false, standardError: Math.sqrt(Math.max(0, variance) / samples), evaluations: samples };
}

/** Best matches among `tickets` against the drawn numbers. */
export function bestMatches(tickets: readonly (readonly number[])[], drawn: readonly number[]): number {
  let best = 0;
  for (const t of tickets) best = Math.max(best, countMatches(t, drawn));
  return best;
}

export interface BestOfNTest {
  draws: number;
  /** Observed mean of the per-draw best. */
  observedMean: number;
  /** Mean of the per-draw best under chance, estimated from the resamples. */
  chanceMean: number;
  /** Monte Carlo standard error of `chanceMean`. */
  chanceMeanSe: number;
  /** One-sided randomization p-value (1 + #{resampled mean ≥ observed}) / (1 + resamples). */
  pValue: number;
  resamples: number;
}

/**
 * One-sided randomization test of "the best of N beats chance". Under H0 every draw is
 * uniformly random and independent of the tickets, so each resample replaces every
 * draw by a fresh random draw (keeping that draw's tickets) and recomputes the mean
 * best; the p-value counts resamples at least as good as the observed mean.
 */
export function bestOfNRandomizationTest(
  perDrawTickets: readonly (readonly (readonly number[])[])[],
  perDrawDrawn: readonly (readonly number[])[],
  options: { random: Random; resamples?: number },
): BestOfNTest {
  if (perDrawTickets.length !== perDrawDrawn.length) throw new Error(`${perDrawTickets.length} draws of tickets but ${perDrawDrawn.length} draws`);
  const resamples = options.resamples ?? 2000;
  if (!Number.isInteger(resamples) || resamples < 1) throw new Error(`resamples must be a positive integer, got ${resamples}`);
  const used = perDrawTickets.map((ts, d) => ({ ts, d })).filter((x) => x.ts.length > 0);
  const draws = used.length;
  if (draws === 0) return { draws: 0, observedMean: Number.NaN, chanceMean: Number.NaN, chanceMeanSe: Number.NaN, pValue: 1, resamples };
  let observed = 0;
  for (const { ts, d } of used) observed += bestMatches(ts, perDrawDrawn[d]);
  const pool = newPool();
  const mask = new Uint8Array(MAX_NUMBER + 1);
  let atLeast = 0;
  let sum = 0;
  let sumSq = 0;
  for (let r = 0; r < resamples; r++) {
    let total = 0;
    for (const { ts } of used) {
      randomDrawMask(options.random, pool, mask);
      total += bestUnderMask(ts, mask);
    }
    if (total >= observed) atLeast++;
    const m = total / draws;
    sum += m;
    sumSq += m * m;
  }
  const chanceMean = sum / resamples;
  const variance = resamples > 1 ? (sumSq - resamples * chanceMean * chanceMean) / (resamples - 1) : 0;
  return {
    draws,
    observedMean: observed / draws,
    chanceMean,
    chanceMeanSe: Math.sqrt(Math.max(0, variance) / resamples),
    pValue: (1 + atLeast) / (1 + resamples),
    resamples,
  };
}
