/**
 * How many numbers a ticket matches when the draw is a fair 6-of-45 draw without
 * replacement, and the exact null distribution of the total matches of many
 * tickets (any overlap between them) over many draws.
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW } from '../draw.js';
import { hypergeometricProbability } from './distributions.js';

/** C(45, 6) = 8,145,060 equally likely draws. */
export const DRAW_COMBINATIONS = 8145060;

/** Expected matches of one 6-number ticket: 6 · 6/45. */
export const CHANCE_MEAN_MATCHES = (NUMBERS_PER_DRAW * NUMBERS_PER_DRAW) / MAX_NUMBER;

/** P(k matches), k = 0..6, of one ticket against a fair draw (hypergeometric). */
export function matchDistribution(): readonly number[] {
  const out: number[] = [];
  for (let k = 0; k <= NUMBERS_PER_DRAW; k++) out.push(hypergeometricProbability(k, MAX_NUMBER, NUMBERS_PER_DRAW, NUMBERS_PER_DRAW));
  return out;
}

export type PrizeTier = 1 | 2 | 3 | 4 | 5;

/**
 * Probability that one ticket wins each tier: 1st = 6 matches, 2nd = 5 + bonus,
 * 3rd = 5 without the bonus, 4th = 4, 5th = 3. Counted over the C(45,6) draws and the
 * bonus, which is one of the 39 numbers not in the draw.
 */
export const PRIZE_TIER_PROBABILITIES: Readonly<Record<PrizeTier, number>> = Object.freeze({
  1: 1 / DRAW_COMBINATIONS,
  // 5 of the ticket drawn, and its sixth number is the bonus: C(6,5) ways.
  2: 6 / DRAW_COMBINATIONS,
  // 5 of the ticket drawn with one of the 39 others; the bonus misses the sixth: 6 · 38.
  3: 228 / DRAW_COMBINATIONS,
  4: hypergeometricProbability(4, MAX_NUMBER, NUMBERS_PER_DRAW, NUMBERS_PER_DRAW),
  5: hypergeometricProbability(3, MAX_NUMBER, NUMBERS_PER_DRAW, NUMBERS_PER_DRAW),
});

/** Prize tier of a ticket given its matches and whether it holds the bonus; null for no prize. */
export function prizeTier(matches: number, bonusHit: boolean): PrizeTier | null {
  if (matches === 6) return 1;
  if (matches === 5) return bonusHit ? 2 : 3;
  if (matches === 4) return 4;
  if (matches === 3) return 5;
  return null;
}

function checkTicket(ticket: readonly number[]): void {
  if (ticket.length !== NUMBERS_PER_DRAW) throw new Error(`a ticket has ${NUMBERS_PER_DRAW} numbers, got ${ticket.length}`);
  const seen = new Set<number>();
  for (const n of ticket) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_NUMBER) throw new Error(`ticket number ${n} is not in 1..${MAX_NUMBER}`);
    if (seen.has(n)) throw new Error(`ticket repeats number ${n}`);
    seen.add(n);
  }
}

/** Matches of one ticket against the drawn numbers. */
export function countMatches(ticket: readonly number[], drawn: readonly number[]): number {
  let m = 0;
  for (const n of ticket) if (drawn.includes(n)) m++;
  return m;
}

/**
 * Exact distribution of the summed matches of `tickets` (overlap allowed) against one
 * uniformly random 6-of-45 draw. The total is Σₙ cₙ·[n drawn] with cₙ the number of
 * tickets holding n, so a DP over the 45 numbers × numbers picked × running sum counts
 * the draws giving each total. Entry s is P(total = s).
 */
export function totalMatchesNull(tickets: readonly (readonly number[])[]): Float64Array {
  const counts = new Int32Array(MAX_NUMBER);
  for (const t of tickets) {
    checkTicket(t);
    for (const n of t) counts[n - 1]++;
  }
  const sorted = [...counts].sort((a, b) => b - a);
  let maxSum = 0;
  for (let i = 0; i < NUMBERS_PER_DRAW; i++) maxSum += sorted[i];
  const width = maxSum + 1;
  // ways[j * width + s]: number of ways to pick j numbers so far with summed count s (exact in doubles: ≤ C(45,6)).
  let ways = new Float64Array((NUMBERS_PER_DRAW + 1) * width);
  let next = new Float64Array(ways.length);
  ways[0] = 1;
  for (let n = 0; n < MAX_NUMBER; n++) {
    const c = counts[n];
    next.set(ways);
    for (let j = 0; j < NUMBERS_PER_DRAW; j++) {
      const from = j * width;
      const to = (j + 1) * width + c;
      for (let s = 0; s + c < width; s++) {
        const w = ways[from + s];
        if (w !== 0) next[to + s] += w;
      }
    }
    [ways, next] = [next, ways];
  }
  const out = new Float64Array(width);
  const base = NUMBERS_PER_DRAW * width;
  for (let s = 0; s < width; s++) out[s] = ways[base + s] / DRAW_COMBINATIONS;
  return out;
}

/** Distribution of X + Y for independent X ~ a, Y ~ b (probability vectors over 0..). */
export function convolve(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length === 0 || b.length === 0) return new Float64Array(0);
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i];
    if (ai === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j] += ai * b[j];
  }
  return out;
}

/** Mean and variance of a distribution over 0, 1, 2, … */
export function distributionMoments(dist: ArrayLike<number>): { mean: number; variance: number } {
  let mean = 0;
  let second = 0;
  for (let s = 0; s < dist.length; s++) {
    mean += s * dist[s];
    second += s * s * dist[s];
  }
  return { mean, variance: Math.max(0, second - mean * mean) };
}

export interface ExactMatchesTest {
  draws: number;
  /** Tickets scored over all draws. */
  tickets: number;
  observedTotal: number;
  expectedTotal: number;
  /** Observed matches per ticket. */
  observedMean: number;
  /** Chance matches per ticket (0.8 for 6-number tickets). */
  chanceMean: number;
  /** Standard deviation of the total under chance. */
  nullSd: number;
  /** One-sided P(total ≥ observed) when every draw is fair and independent of the tickets. */
  pValue: number;
  /** P(total ≤ observed): small when the tickets do worse than chance. */
  pValueLower: number;
}

/**
 * Exact one-sided test that tickets match more than chance. Under H0 each draw is a
 * uniformly random 6-of-45 draw independent of the tickets chosen before it, so the
 * summed matches over all draws follow the convolution of the per-draw
 * `totalMatchesNull` distributions; the p-value is its upper tail at the observed
 * total. Valid for any set construction (overlapping or repeated sets included).
 * Per-draw nulls with the same ticket-count profile are computed once.
 */
export function exactMatchesTest(
  perDrawTickets: readonly (readonly (readonly number[])[])[],
  perDrawObservedTotals: readonly number[],
): ExactMatchesTest {
  if (perDrawTickets.length !== perDrawObservedTotals.length) {
    throw new Error(`${perDrawTickets.length} draws of tickets but ${perDrawObservedTotals.length} observed totals`);
  }
  const cache = new Map<string, Float64Array>();
  let total: Float64Array = new Float64Array([1]);
  let tickets = 0;
  let observedTotal = 0;
  for (let d = 0; d < perDrawTickets.length; d++) {
    const ts = perDrawTickets[d];
    const obs = perDrawObservedTotals[d];
    if (!Number.isInteger(obs) || obs < 0 || obs > ts.length * NUMBERS_PER_DRAW) {
      throw new Error(`draw ${d}: observed total ${obs} is impossible for ${ts.length} tickets`);
    }
    tickets += ts.length;
    observedTotal += obs;
    if (ts.length === 0) continue;
    const key = profileKey(ts);
    let dist = cache.get(key);
    if (!dist) {
      dist = totalMatchesNull(ts);
      cache.set(key, dist);
    }
    total = convolve(total, dist);
  }
  const { mean, variance } = distributionMoments(total);
  let upper = 0;
  for (let s = total.length - 1; s >= observedTotal && s >= 0; s--) upper += total[s];
  let lower = 0;
  for (let s = 0; s <= observedTotal && s < total.length; s++) lower += total[s];
  return {
    draws: perDrawTickets.length,
    tickets,
    observedTotal,
    expectedTotal: mean,
    observedMean: tickets > 0 ? observedTotal / tickets : Number.NaN,
    chanceMean: tickets > 0 ? mean / tickets : Number.NaN,
    nullSd: Math.sqrt(variance),
    pValue: Math.min(1, upper),
    pValueLower: Math.min(1, lower),
  };
}

/** Convenience: the same test given the drawn numbers instead of the observed totals. */
export function exactMatchesTestForDraws(
  perDrawTickets: readonly (readonly (readonly number[])[])[],
  perDrawDrawn: readonly (readonly number[])[],
): ExactMatchesTest {
  if (perDrawTickets.length !== perDrawDrawn.length) throw new Error(`${perDrawTickets.length} draws of tickets but ${perDrawDrawn.length} draws`);
  const observed = perDrawTickets.map((ts, d) => ts.reduce((s, t) => s + countMatches(t, perDrawDrawn[d]), 0));
  return exactMatchesTest(perDrawTickets, observed);
}

/** The null depends only on the multiset of per-number ticket counts. */
function profileKey(tickets: readonly (readonly number[])[]): string {
  const counts = new Int32Array(MAX_NUMBER);
  for (const t of tickets) {
    checkTicket(t);
    for (const n of t) counts[n - 1]++;
  }
  return [...counts].sort((a, b) => b - a).join(',');
}
