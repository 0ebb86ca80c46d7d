/**
 * Score every one of the 8,145,060 combinations in one pass of nested loops, under the user's
 * filters (fixed and excluded numbers, sum range, odd count), and keep the least shared.
 *
 * The score of a combination is the largest predicted log ratio over the chosen tiers,
 * max_k (η_k(c) − log Z_k), so "least shared" means low in every chosen tier at once. η is
 * decomposable (features/popularity.ts): per-number terms, pair terms and the spread. Partial sums
 * are carried down the loops: acc_d[t][x] holds every per-x term that depends on the numbers
 * chosen up to depth d, so the innermost loop costs three loads and adds per tier.
 */
import { BALLS } from '../../features/popularity.js';

export interface EnumerationFilter {
  /** Numbers every combination must contain. */
  fixed?: readonly number[];
  /** Numbers no combination may contain. */
  excluded?: readonly number[];
  sumMin?: number;
  sumMax?: number;
  /** Allowed counts of odd numbers (0..6); all when absent. */
  oddCounts?: readonly number[];
  /**
   * Leave out combinations with three or more consecutive numbers. The model is fitted on winning
   * combinations, where such runs are rare, and many players buy runs and slip lines on purpose,
   * so its low scores there are extrapolation, not evidence. The least-shared search sets this.
   */
  noTripleRuns?: boolean;
}

/** The decomposed score of one or more tiers (from RoundScorer). */
export interface DecomposedScore {
  unary: readonly Float64Array[];
  pair: readonly Float64Array[];
  spread: readonly number[];
  logZ: readonly number[];
}

export interface EnumerationResult {
  /** Combinations that pass the filter. */
  passing: number;
  /** The `keep` lowest-scoring passing combinations, lowest first, with their score (max log ratio over tiers). */
  least: Array<{ numbers: number[]; logRatio: number }>;
}

const pack = (a: number, b: number, c: number, d: number, e: number, f: number) => ((((a * 64 + b) * 64 + c) * 64 + d) * 64 + e) * 64 + f;
function unpack(v: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 6; i++) {
    out.unshift(v % 64);
    v = Math.floor(v / 64);
  }
  return out;
}

/** Bounded max-heap of (score, packed combination): keeps the `cap` smallest scores. */
class LowestK {
  readonly score: Float64Array;
  readonly item: Float64Array;
  size = 0;
  constructor(readonly cap: number) {
    this.score = new Float64Array(cap);
    this.item = new Float64Array(cap);
  }
  get threshold(): number {
    return this.size < this.cap ? Infinity : this.score[0];
  }
  push(s: number, it: number): void {
    const { score, item } = this;
    let i: number;
    if (this.size < this.cap) {
      i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (score[p] >= s) break;
        score[i] = score[p];
        item[i] = item[p];
        i = p;
      }
      score[i] = s;
      item[i] = it;
      return;
    }
    // Replace the root (largest) and sift down.
    i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && score[r] > score[l] ? r : l;
      if (score[c] <= s) break;
      score[i] = score[c];
      item[i] = item[c];
      i = c;
    }
    score[i] = s;
    item[i] = it;
  }
}

export function enumerateLeastShared(model: DecomposedScore, filter: EnumerationFilter = {}, keep = 10): EnumerationResult {
  const T = model.unary.length;
  if (T < 1 || model.pair.length !== T || model.spread.length !== T || model.logZ.length !== T) throw new RangeError('enumerate: one to five tiers, each with unary, pair, spread and logZ');
  if (!Number.isInteger(keep) || keep < 0 || keep > 100_000) throw new RangeError(`enumerate: keep must be a whole number 0..100000, got ${keep}`);
  const fixed = [...new Set(filter.fixed ?? [])].sort((a, b) => a - b);
  const excluded = new Set(filter.excluded ?? []);
  for (const x of [...fixed, ...excluded]) if (!Number.isInteger(x) || x < 1 || x > BALLS) throw new RangeError(`enumerate: ${x} is not a number 1..45`);
  if (fixed.length > 6) throw new RangeError(`enumerate: at most 6 fixed numbers, got ${fixed.length}`);
  for (const x of fixed) if (excluded.has(x)) throw new RangeError(`enumerate: ${x} is both fixed and excluded`);
  const sumMin = filter.sumMin ?? 21;
  const sumMax = filter.sumMax ?? 255;
  const oddOk = new Uint8Array(7);
  for (const k of filter.oddCounts ?? [0, 1, 2, 3, 4, 5, 6]) if (Number.isInteger(k) && k >= 0 && k <= 6) oddOk[k] = 1;

  const allowed = new Uint8Array(BALLS + 2);
  for (let x = 1; x <= BALLS; x++) allowed[x] = excluded.has(x) ? 0 : 1;
  // nextFixed[x]: the smallest fixed number ≥ x (or 99): a loop at a depth may not pass it without taking it.
  const fixedAt = new Uint8Array(BALLS + 2);
  for (const f of fixed) fixedAt[f] = 1;
  const nextFixed = new Int32Array(BALLS + 3).fill(99);
  for (let x = BALLS; x >= 1; x--) nextFixed[x] = fixedAt[x] ? x : nextFixed[x + 1];

  // Flattened per-tier tables: pair rows pr[t*2116 + a*46 + b]; per-number terms base[t*46 + x].
  const S = 46;
  const pr = new Float64Array(T * S * S);
  const base = new Float64Array(T * S);
  for (let t = 0; t < T; t++) {
    pr.set(model.pair[t].subarray(0, S * S), t * S * S);
    for (let x = 1; x <= BALLS; x++) base[t * S + x] = model.unary[t][x];
  }
  const spread = Float64Array.from(model.spread);
  const acc1 = new Float64Array(T * S);
  const acc2 = new Float64Array(T * S);
  const acc3 = new Float64Array(T * S);
  const acc4 = new Float64Array(T * S);
  const p1 = new Float64Array(T);
  const p2 = new Float64Array(T);
  const p3 = new Float64Array(T);
  const p4 = new Float64Array(T);
  const p5 = new Float64Array(T);
  const heap = new LowestK(Math.max(1, keep));
  // The innermost loop is unrolled for three tiers; with fewer, the last tier is repeated (same max).
  const T3 = Math.min(T, 3);
  if (T > 3) throw new RangeError('enumerate: at most three tiers at once');
  const tierOf = (i: number) => Math.min(i, T3 - 1);
  const A0 = acc4.subarray(0, S);
  const A1 = acc4.subarray(tierOf(1) * S, tierOf(1) * S + S);
  const A2 = acc4.subarray(tierOf(2) * S, tierOf(2) * S + S);
  const P0 = pr.subarray(0, S * S);
  const P1 = pr.subarray(tierOf(1) * S * S, tierOf(1) * S * S + S * S);
  const P2 = pr.subarray(tierOf(2) * S * S, tierOf(2) * S * S + S * S);
  const sp0 = spread[0];
  const sp1 = spread[tierOf(1)];
  const sp2 = spread[tierOf(2)];
  const noRuns = filter.noTripleRuns === true;
  let passing = 0;
  // The last fixed number must be the sixth number or below it; with no filter but fixed numbers and a sum cap the innermost loop needs no checks.
  const lastFixed = fixed.length > 0 ? fixed[fixed.length - 1] : 0;
  const plain = excluded.size === 0 && sumMin <= 21 && oddOk.every((v) => v === 1);
  let thr = heap.threshold;
  const step = (prev: Float64Array, next: Float64Array, c: number, from: number) => {
    for (let t = 0; t < T; t++) {
      const off = t * S;
      const row = t * S * S + c * S;
      for (let x = from; x <= BALLS; x++) next[off + x] = prev[off + x] + pr[row + x];
    }
  };
  const minRest = (k: number, from: number) => k * from + (k * (k - 1)) / 2;

  for (let a = 1; a <= 40; a++) {
    if (a > nextFixed[1]) break;
    if (!allowed[a]) continue;
    if (a + minRest(5, a + 1) > sumMax) break;
    for (let t = 0; t < T; t++) p1[t] = base[t * S + a] - spread[t] * a - model.logZ[t];
    for (let t = 0; t < T; t++) for (let x = a + 1; x <= BALLS; x++) acc1[t * S + x] = base[t * S + x] + pr[t * S * S + a * S + x];
    const oa = a & 1;
    for (let b = a + 1; b <= 41; b++) {
      if (b > nextFixed[a + 1]) break;
      if (!allowed[b]) continue;
      const sb = a + b;
      if (sb + minRest(4, b + 1) > sumMax) break;
      for (let t = 0; t < T; t++) p2[t] = p1[t] + acc1[t * S + b];
      step(acc1, acc2, b, b + 1);
      const ob = oa + (b & 1);
      for (let c = b + 1; c <= 42; c++) {
        if (c > nextFixed[b + 1]) break;
        if (!allowed[c] || (noRuns && c === b + 1 && b === a + 1)) continue;
        const sc = sb + c;
        if (sc + minRest(3, c + 1) > sumMax) break;
        for (let t = 0; t < T; t++) p3[t] = p2[t] + acc2[t * S + c];
        step(acc2, acc3, c, c + 1);
        const oc = ob + (c & 1);
        for (let d = c + 1; d <= 43; d++) {
          if (d > nextFixed[c + 1]) break;
          if (!allowed[d] || (noRuns && d === c + 1 && c === b + 1)) continue;
          const sd = sc + d;
          if (sd + minRest(2, d + 1) > sumMax) break;
          for (let t = 0; t < T; t++) p4[t] = p3[t] + acc3[t * S + d];
          step(acc3, acc4, d, d + 1);
          const od = oc + (d & 1);
          for (let e = d + 1; e <= 44; e++) {
            if (e > nextFixed[d + 1]) break;
            if (!allowed[e] || (noRuns && e === d + 1 && d === c + 1)) continue;
            const se = sd + e;
            if (se + e + 1 > sumMax) break;
            for (let t = 0; t < T; t++) p5[t] = p4[t] + acc4[t * S + e];
            const oe = od + (e & 1);
            const lastF = nextFixed[e + 1];
            const q = e * S;
            const x0 = p5[0];
            const x1 = p5[tierOf(1)];
            const x2 = p5[tierOf(2)];
            const fLo = Math.max(noRuns && e === d + 1 ? e + 2 : e + 1, lastFixed);
            const fHi = Math.min(BALLS, lastF, sumMax - se);
            if (plain) {
              passing += fHi >= fLo ? fHi - fLo + 1 : 0;
              for (let f = fLo; f <= fHi; f++) {
                // The score is a max over tiers: once one tier reaches the threshold the set cannot enter the heap.
                let s = x0 + A0[f] + P0[q + f] + sp0 * f;
                if (s >= thr) continue;
                const v1 = x1 + A1[f] + P1[q + f] + sp1 * f;
                if (v1 >= thr) continue;
                if (v1 > s) s = v1;
                const v2 = x2 + A2[f] + P2[q + f] + sp2 * f;
                if (v2 > s) s = v2;
                if (s < thr) {
                  heap.push(s, pack(a, b, c, d, e, f));
                  thr = heap.threshold;
                }
              }
              continue;
            }
            for (let f = fLo; f <= fHi; f++) {
              if (!allowed[f]) continue;
              const sf = se + f;
              if (sf < sumMin || !oddOk[oe + (f & 1)]) continue;
              passing++;
              let s = x0 + A0[f] + P0[q + f] + sp0 * f;
              if (s >= thr) continue;
              const v1 = x1 + A1[f] + P1[q + f] + sp1 * f;
              if (v1 >= thr) continue;
              if (v1 > s) s = v1;
              const v2 = x2 + A2[f] + P2[q + f] + sp2 * f;
              if (v2 > s) s = v2;
              if (s < thr) {
                heap.push(s, pack(a, b, c, d, e, f));
                thr = heap.threshold;
              }
            }
          }
        }
      }
    }
  }
  const least = Array.from({ length: keep > 0 ? heap.size : 0 }, (_, i) => ({ numbers: unpack(heap.item[i]), logRatio: heap.score[i] })).sort((x, y) => x.logRatio - y.logRatio);
  return { passing, least };
}
