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
 * (a suffix of the order; sum bounds are computed per position on first use): odd/even counts, section counts, the
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

/**
 * One search's state. A class rather than closures inside searchSets: the hot helpers
 * (add, remove, feasible, dfs) are then created once, not per search (20 searches a request).
 */
/** Plain arrays: cheaper to allocate than typed arrays at these tiny sizes (measured ≈ 2× per search). */
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

class Search {
  found: number[][] = [];
  nodes = 0;
  private order: readonly number[] = [];
  private m = 0;
  /** Arrays are sized for `capacity` candidates; a longer order reallocates them. */
  private capacity = 0;
  // Suffix statistics of `order`: for position i, over order[i..m-1].
  private oddSuf: number[] = [];
  private specialSuf: number[] = [];
  /** secSuf[t * (capacity + 1) + i]: numbers of section t in order[i..]. */
  private secSuf: number[] = [];
  // min/max sum (and last-digit sum) of r values taken from the suffix, r = 0..6 (±Infinity when fewer than r remain).
  private minSum: number[] = [];
  private maxSum: number[] = [];
  private minLd: number[] = [];
  private maxLd: number[] = [];
  private readonly needSums: boolean;
  /** sumReady[i]: the sum bounds for position i are filled. */
  private sumReady: number[] = [];
  /** Position of each number in `order`, -1 when it is not a candidate. */
  private readonly pos = new Array<number>(MAX_NUMBER + 1).fill(-1);
  // The constraints unpacked into numbers (NaN / ±Infinity when absent), read on every node.
  private readonly oddLo: number;
  private readonly oddHi: number;
  private readonly hasOdd: boolean;
  private readonly sec0: number;
  private readonly sec1: number;
  private readonly sec2: number;
  private readonly hasSec: boolean;
  private readonly sumLo: number;
  private readonly sumHi: number;
  private readonly ldLo: number;
  private readonly ldHi: number;
  private readonly maxPairs: number;
  private readonly minSpecial: number;
  private readonly minAc: number;

  // Running state of the partial set.
  private readonly chosen: number[] = [];
  private readonly inSet = zeros(MAX_NUMBER + 2);
  private readonly diffCount = zeros(MAX_NUMBER);
  private distinctDiffs = 0;
  private odd = 0;
  private sum = 0;
  private ld = 0;
  private special = 0;
  private pairs = 0;
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  /** Bit j of prevBits[n]: earlier set j contains n (≤ 20 earlier sets, see MAX_SETS; more use the arrays). */
  private readonly prevBits = zeros(MAX_NUMBER + 1);
  private prevMask: number[][] = [];
  private shared: number[] = [];
  private usePrevBits = true;
  private sharedExceeded = 0;

  constructor(
    private readonly spec: HardConstraints,
    private readonly maxShared: number,
    private readonly limit: number,
    private readonly maxNodes: number,
  ) {
    this.oddLo = spec.oddCount ? spec.oddCount[0] : 0;
    this.oddHi = spec.oddCount ? spec.oddCount[1] : K;
    this.hasOdd = spec.oddCount !== undefined;
    this.hasSec = spec.sectionCounts !== undefined;
    this.sec0 = spec.sectionCounts ? spec.sectionCounts[0] : 0;
    this.sec1 = spec.sectionCounts ? spec.sectionCounts[1] : 0;
    this.sec2 = spec.sectionCounts ? spec.sectionCounts[2] : 0;
    this.sumLo = spec.totalSum ? spec.totalSum[0] : -Infinity;
    this.sumHi = spec.totalSum ? spec.totalSum[1] : Infinity;
    this.ldLo = spec.lastDigitSum ? spec.lastDigitSum[0] : -Infinity;
    this.ldHi = spec.lastDigitSum ? spec.lastDigitSum[1] : Infinity;
    this.maxPairs = spec.maxConsecutivePairs ?? Infinity;
    this.minSpecial = spec.minSpecial ?? -Infinity;
    this.minAc = spec.minAc ?? -Infinity;
    // Sum bounds are filled per position on first use: a search visits few positions (≈ 10-20 nodes).
    this.needSums = spec.totalSum !== undefined || spec.lastDigitSum !== undefined;
    this.allocate(MAX_NUMBER);
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    this.oddSuf = zeros(capacity + 1);
    this.specialSuf = zeros(capacity + 1);
    this.secSuf = zeros(3 * (capacity + 1));
    // Not zeroed: fillSums writes a position's whole row before it is read.
    const size = this.needSums ? (capacity + 1) * (K + 1) : 0;
    this.minSum = new Array<number>(size);
    this.maxSum = new Array<number>(size);
    this.minLd = new Array<number>(size);
    this.maxLd = new Array<number>(size);
    this.sumReady = zeros(this.needSums ? capacity + 1 : 0);
  }

  /** Searches `order` with `include` fixed; the state left by an earlier run is undone first. */
  run(order: readonly number[], include: readonly number[], previous: readonly (readonly number[])[]): SearchResult {
    // Undo the previous run: its DFS removed what it added, so only its include numbers are left.
    while (this.chosen.length > 0) this.remove();
    for (const n of this.order) this.pos[n] = -1;
    this.prevBits.fill(0);
    this.sharedExceeded = 0;
    this.found = [];
    this.nodes = 0;

    const m = order.length;
    if (m > this.capacity) this.allocate(m);
    this.order = order;
    this.m = m;
    const stride = this.capacity + 1;
    this.oddSuf[m] = 0;
    this.specialSuf[m] = 0;
    for (let t = 0; t < 3; t++) this.secSuf[t * stride + m] = 0;
    if (this.needSums) this.sumReady.fill(0, 0, m + 1);
    for (let i = m - 1; i >= 0; i--) {
      const n = order[i];
      this.pos[n] = i;
      this.oddSuf[i] = this.oddSuf[i + 1] + (n % 2);
      this.specialSuf[i] = this.specialSuf[i + 1] + IS_SPECIAL[n];
      const s = SECTION_OF[n];
      for (let t = 0; t < 3; t++) this.secSuf[t * stride + i] = this.secSuf[t * stride + i + 1] + (t === s ? 1 : 0);
    }

    this.usePrevBits = previous.length <= 31;
    this.prevMask = [];
    if (this.usePrevBits) {
      for (let j = 0; j < previous.length; j++) for (const n of previous[j]) this.prevBits[n] |= 1 << j;
    } else {
      for (const p of previous) {
        const mask = zeros(MAX_NUMBER + 1);
        for (const n of p) mask[n] = 1;
        this.prevMask.push(mask);
      }
    }
    this.shared = zeros(previous.length);

    if (include.length <= K) {
      for (const n of include) this.add(n);
      this.dfs(0);
    }
    return { sets: this.found, nodes: this.nodes };
  }

  /**
   * Sum bounds for the suffix order[i..]: the sums of its r smallest / largest values and last
   * digits, r = 0..6 (±Infinity when fewer than r remain). Numbers are scanned in value order
   * (last digits digit by digit), keeping those at position ≥ i, until six are found.
   */
  private fillSums(i: number): void {
    const pos = this.pos;
    const base = i * (K + 1);
    const len = this.m - i;
    const lim = Math.min(K, len);
    this.minSum[base] = this.maxSum[base] = this.minLd[base] = this.maxLd[base] = 0;
    for (let r = lim + 1; r <= K; r++) {
      this.minSum[base + r] = Infinity;
      this.maxSum[base + r] = -Infinity;
      this.minLd[base + r] = Infinity;
      this.maxLd[base + r] = -Infinity;
    }
    let r = 0;
    let acc = 0;
    for (let n = 1; n <= MAX_NUMBER && r < lim; n++) if (pos[n] >= i) this.minSum[base + ++r] = acc += n;
    r = 0;
    acc = 0;
    for (let n = MAX_NUMBER; n >= 1 && r < lim; n--) if (pos[n] >= i) this.maxSum[base + ++r] = acc += n;
    r = 0;
    acc = 0;
    for (let d = 0; d <= 9 && r < lim; d++) for (let n = d === 0 ? 10 : d; n <= MAX_NUMBER && r < lim; n += 10) if (pos[n] >= i) this.minLd[base + ++r] = acc += d;
    r = 0;
    acc = 0;
    for (let d = 9; d >= 0 && r < lim; d--) for (let n = d === 0 ? 10 : d; n <= MAX_NUMBER && r < lim; n += 10) if (pos[n] >= i) this.maxLd[base + ++r] = acc += d;
    this.sumReady[i] = 1;
  }

  add(n: number): void {
    const chosen = this.chosen;
    for (let q = 0; q < chosen.length; q++) if (this.diffCount[Math.abs(n - chosen[q])]++ === 0) this.distinctDiffs++;
    chosen.push(n);
    this.inSet[n] = 1;
    this.odd += n % 2;
    this.sum += n;
    this.ld += n % 10;
    this.special += IS_SPECIAL[n];
    this.pairs += this.inSet[n - 1] + this.inSet[n + 1];
    const s = SECTION_OF[n];
    if (s === 0) this.s0++;
    else if (s === 1) this.s1++;
    else this.s2++;
    const limit = this.maxShared + 1;
    if (this.usePrevBits) {
      for (let b = this.prevBits[n]; b !== 0; b &= b - 1) {
        const j = 31 - Math.clz32(b & -b);
        if (++this.shared[j] === limit) this.sharedExceeded++;
      }
    } else {
      for (let j = 0; j < this.prevMask.length; j++) if (this.prevMask[j][n] && ++this.shared[j] === limit) this.sharedExceeded++;
    }
  }

  private remove(): void {
    const chosen = this.chosen;
    const n = chosen.pop() as number;
    this.inSet[n] = 0;
    for (let q = 0; q < chosen.length; q++) if (--this.diffCount[Math.abs(n - chosen[q])] === 0) this.distinctDiffs--;
    this.odd -= n % 2;
    this.sum -= n;
    this.ld -= n % 10;
    this.special -= IS_SPECIAL[n];
    this.pairs -= this.inSet[n - 1] + this.inSet[n + 1];
    const s = SECTION_OF[n];
    if (s === 0) this.s0--;
    else if (s === 1) this.s1--;
    else this.s2--;
    const limit = this.maxShared + 1;
    if (this.usePrevBits) {
      for (let b = this.prevBits[n]; b !== 0; b &= b - 1) {
        const j = 31 - Math.clz32(b & -b);
        if (this.shared[j]-- === limit) this.sharedExceeded--;
      }
    } else {
      for (let j = 0; j < this.prevMask.length; j++) if (this.prevMask[j][n] && this.shared[j]-- === limit) this.sharedExceeded--;
    }
  }

  /** False when no completion of the current partial set from order[i..] can be valid. */
  private feasible(i: number): boolean {
    if (this.sharedExceeded > 0) return false;
    const m = this.m;
    const c = this.chosen.length;
    const r = K - c;
    if (m - i < r) return false;
    if (this.hasOdd) {
      const odd = this.odd;
      const even = c - odd;
      if (odd > this.oddHi || even > K - this.oddLo) return false;
      const oddLeft = this.oddSuf[i];
      if (odd + Math.min(r, oddLeft) < this.oddLo) return false;
      if (even + Math.min(r, m - i - oddLeft) < K - this.oddHi) return false;
    }
    if (this.hasSec) {
      const w = this.capacity + 1;
      if (this.s0 > this.sec0 || this.s0 + this.secSuf[i] < this.sec0) return false;
      if (this.s1 > this.sec1 || this.s1 + this.secSuf[w + i] < this.sec1) return false;
      if (this.s2 > this.sec2 || this.s2 + this.secSuf[2 * w + i] < this.sec2) return false;
    }
    if (this.needSums) {
      if (this.sumReady[i] === 0) this.fillSums(i);
      const idx = i * (K + 1) + r;
      if (this.sum + this.minSum[idx] > this.sumHi || this.sum + this.maxSum[idx] < this.sumLo) return false;
      if (this.ld + this.minLd[idx] > this.ldHi || this.ld + this.maxLd[idx] < this.ldLo) return false;
    }
    if (this.pairs > this.maxPairs) return false;
    if (this.special + Math.min(r, this.specialSuf[i]) < this.minSpecial) return false;
    if (this.distinctDiffs + r * c + (r * (r - 1)) / 2 - (K - 1) < this.minAc) return false;
    return true;
  }

  /** Depth-first, "take order[j]" before "skip it"; true once `limit` sets are found. */
  dfs(i: number): boolean {
    if (++this.nodes > this.maxNodes) throw new Error(`set search exceeded its bound of ${this.maxNodes} nodes`);
    if (!this.feasible(i)) return false;
    const chosen = this.chosen;
    if (chosen.length === K) {
      const set = chosen.slice().sort(ascending);
      if (satisfiesConstraints(set, this.spec)) {
        this.found.push(set);
        if (this.found.length >= this.limit) return true;
      }
      return false;
    }
    const last = this.m - (K - chosen.length);
    for (let j = i; j <= last; j++) {
      this.add(this.order[j]);
      const done = this.dfs(j + 1);
      this.remove();
      if (done) return true;
    }
    return false;
  }
}

const ascending = (a: number, b: number) => a - b;

export function searchSets(input: SearchInput): SearchResult {
  const search = new Search(input.constraints, input.maxShared ?? K, input.limit ?? 1, input.maxNodes ?? SEARCH_NODE_BOUND);
  return search.run(input.order, input.include, input.previous ?? []);
}

/**
 * A reusable first-set search for many orders under the same constraints (set generation runs
 * 4 per set): the same result as searchSets with limit 1, without reallocating its arrays each time.
 */
export function firstSetSearcher(
  constraints: HardConstraints,
  maxShared: number = K,
): (order: readonly number[], include: readonly number[], previous: readonly (readonly number[])[]) => SearchResult {
  const search = new Search(constraints, maxShared, 1, SEARCH_NODE_BOUND);
  return (order, include, previous) => search.run(order, include, previous);
}
