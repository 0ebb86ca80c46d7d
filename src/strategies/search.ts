/**
 * Exact search for 6-number sets under hard constraints.
 *
 * Numbers are tried in a given priority order (for generation: a seeded random
 * order drawn from the probabilities, see sets.ts). The search enumerates
 * subsets in lexicographic order of that priority — "take the next number"
 * before "skip it" — so the first set it reports is the first valid one in that
 * order, and when it reports none, none exists. There are no retries.
 *
 * Work bound: every node is a distinct partial set of at most 6 numbers from at
 * most 45 candidates, so a search visits at most Σₖ₌₀..₆ C(45, k) = 9,530,040
 * nodes even when nothing prunes; pruning (below) usually cuts that to a few
 * hundred. `maxNodes` enforces the bound explicitly.
 *
 * Pruning at each partial set uses bounds over the numbers still to be tried
 * (a suffix of the order, precomputed): odd/even counts, section counts, the
 * smallest and largest sums (and last-digit sums) reachable with the places left,
 * special numbers available, consecutive pairs so far, overlap with earlier sets,
 * and an upper bound on the AC value (distinct differences so far plus at most
 * one new difference per new pair). Every leaf is re-checked against all hard constraints.
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW } from '../domain/draw.js';
import { SECTIONS } from '../domain/stats.js';
import { SPECIAL_NUMBERS, satisfiesConstraints, type HardConstraints } from './constraints.js';

/** Upper bound on nodes any search over 45 numbers can visit. */
export const SEARCH_NODE_BOUND = 9_530_040;

export interface SearchInput {
  /** Candidate numbers in priority order (must exclude `include` and excluded numbers). */
  order: readonly number[];
  /** Numbers every set must contain. */
  include: readonly number[];
  constraints: HardConstraints;
  /** Earlier sets; a result may share at most `maxShared` numbers with each. */
  previous?: readonly (readonly number[])[];
  maxShared?: number;
  /** Stop after this many valid sets (default 1). */
  limit?: number;
  maxNodes?: number;
}

export interface SearchResult {
  /** Valid sets in the order found, each sorted ascending. */
  sets: number[][];
  nodes: number;
}

const K = NUMBERS_PER_DRAW;
// Static lookups (index = number), so the hot loop does no searching.
const SECTION_OF = new Int8Array(MAX_NUMBER + 1).map((_, n) => SECTIONS.findIndex(([lo, hi]) => n >= lo && n <= hi));
const IS_SPECIAL = new Uint8Array(MAX_NUMBER + 1).map((_, n) => (SPECIAL_NUMBERS.has(n) ? 1 : 0));

/** Plain arrays: cheaper than typed arrays at these tiny sizes, which are allocated per search. */
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

export function searchSets(input: SearchInput): SearchResult {
  const { order, include, constraints: spec } = input;
  const previous = input.previous ?? [];
  const maxShared = input.maxShared ?? K;
  const limit = input.limit ?? 1;
  const maxNodes = input.maxNodes ?? SEARCH_NODE_BOUND;
  const m = order.length;
  const found: number[][] = [];
  if (include.length > K) return { sets: found, nodes: 0 };

  // Suffix statistics of `order`: for position i, over order[i..m-1].
  const oddSuf = zeros(m + 1);
  const specialSuf = zeros(m + 1);
  const secSuf = [zeros(m + 1), zeros(m + 1), zeros(m + 1)];
  // min/max sum of r values taken from the suffix, r = 0..6 (Infinity when fewer than r remain).
  const minSum = new Float64Array((m + 1) * (K + 1));
  const maxSum = new Float64Array((m + 1) * (K + 1));
  const minLd = new Float64Array((m + 1) * (K + 1));
  const maxLd = new Float64Array((m + 1) * (K + 1));
  const vals: number[] = [];
  const lds: number[] = [];
  const fill = (i: number) => {
    // Running sums of the r smallest / largest values of the (sorted) suffix.
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    const len = vals.length;
    for (let r = 0; r <= K; r++) {
      const idx = i * (K + 1) + r;
      if (r > len) {
        minSum[idx] = Infinity;
        maxSum[idx] = -Infinity;
        minLd[idx] = Infinity;
        maxLd[idx] = -Infinity;
        continue;
      }
      if (r > 0) {
        a += vals[r - 1];
        b += vals[len - r];
        c += lds[r - 1];
        d += lds[len - r];
      }
      minSum[idx] = a;
      maxSum[idx] = b;
      minLd[idx] = c;
      maxLd[idx] = d;
    }
  };
  const insertSorted = (arr: number[], v: number) => {
    let j = arr.length;
    arr.push(v);
    while (j > 0 && arr[j - 1] > v) {
      arr[j] = arr[j - 1];
      j--;
    }
    arr[j] = v;
  };
  const needSums = spec.totalSum !== undefined || spec.lastDigitSum !== undefined;
  if (needSums) fill(m);
  for (let i = m - 1; i >= 0; i--) {
    const n = order[i];
    oddSuf[i] = oddSuf[i + 1] + (n % 2);
    specialSuf[i] = specialSuf[i + 1] + IS_SPECIAL[n];
    const s = SECTION_OF[n];
    for (let t = 0; t < 3; t++) secSuf[t][i] = secSuf[t][i + 1] + (t === s ? 1 : 0);
    if (needSums) {
      insertSorted(vals, n);
      insertSorted(lds, n % 10);
      fill(i);
    }
  }

  // Running state of the partial set.
  const chosen: number[] = [];
  const inSet = zeros(MAX_NUMBER + 2);
  const diffCount = zeros(MAX_NUMBER);
  let distinctDiffs = 0;
  let odd = 0;
  let sum = 0;
  let ld = 0;
  let special = 0;
  let pairs = 0;
  const sec = [0, 0, 0];
  const prevMask = previous.map((p) => {
    const mask = zeros(MAX_NUMBER + 1);
    for (const n of p) mask[n] = 1;
    return mask;
  });
  const shared = zeros(previous.length);
  let sharedExceeded = 0;

  const add = (n: number) => {
    for (const x of chosen) if (diffCount[Math.abs(n - x)]++ === 0) distinctDiffs++;
    chosen.push(n);
    inSet[n] = 1;
    odd += n % 2;
    sum += n;
    ld += n % 10;
    special += IS_SPECIAL[n];
    pairs += inSet[n - 1] + inSet[n + 1];
    sec[SECTION_OF[n]]++;
    for (let j = 0; j < prevMask.length; j++) if (prevMask[j][n] && ++shared[j] === maxShared + 1) sharedExceeded++;
  };
  const remove = () => {
    const n = chosen.pop() as number;
    inSet[n] = 0;
    for (const x of chosen) if (--diffCount[Math.abs(n - x)] === 0) distinctDiffs--;
    odd -= n % 2;
    sum -= n;
    ld -= n % 10;
    special -= IS_SPECIAL[n];
    pairs -= inSet[n - 1] + inSet[n + 1];
    sec[SECTION_OF[n]]--;
    for (let j = 0; j < prevMask.length; j++) if (prevMask[j][n] && shared[j]-- === maxShared + 1) sharedExceeded--;
  };

  /** False when no completion of the current partial set from order[i..] can be valid. */
  const feasible = (i: number): boolean => {
    if (sharedExceeded > 0) return false;
    const r = K - chosen.length;
    if (m - i < r) return false;
    const c = chosen.length;
    if (spec.oddCount) {
      const [lo, hi] = spec.oddCount;
      const even = c - odd;
      if (odd > hi || even > K - lo) return false;
      if (odd + Math.min(r, oddSuf[i]) < lo) return false;
      if (even + Math.min(r, m - i - oddSuf[i]) < K - hi) return false;
    }
    if (spec.sectionCounts) {
      for (let t = 0; t < 3; t++) {
        const want = spec.sectionCounts[t];
        if (sec[t] > want || sec[t] + secSuf[t][i] < want) return false;
      }
    }
    const idx = i * (K + 1) + r;
    if (spec.totalSum && (sum + minSum[idx] > spec.totalSum[1] || sum + maxSum[idx] < spec.totalSum[0])) return false;
    if (spec.lastDigitSum && (ld + minLd[idx] > spec.lastDigitSum[1] || ld + maxLd[idx] < spec.lastDigitSum[0])) return false;
    if (spec.maxConsecutivePairs !== undefined && pairs > spec.maxConsecutivePairs) return false;
    if (spec.minSpecial !== undefined && special + Math.min(r, specialSuf[i]) < spec.minSpecial) return false;
    if (spec.minAc !== undefined && distinctDiffs + r * c + (r * (r - 1)) / 2 - (K - 1) < spec.minAc) return false;
    return true;
  };

  let nodes = 0;
  const dfs = (i: number): boolean => {
    if (++nodes > maxNodes) throw new Error(`set search exceeded its bound of ${maxNodes} nodes`);
    if (!feasible(i)) return false;
    if (chosen.length === K) {
      const set = [...chosen].sort((a, b) => a - b);
      if (satisfiesConstraints(set, spec)) {
        found.push(set);
        if (found.length >= limit) return true;
      }
      return false;
    }
    const r = K - chosen.length;
    for (let j = i; j <= m - r; j++) {
      add(order[j]);
      const done = dfs(j + 1);
      remove();
      if (done) return true;
    }
    return false;
  };

  for (const n of include) add(n);
  dfs(0);
  return { sets: found, nodes };
}
