/**
 * Stage 1: binning. Each feature's real values are mapped to at most 255 ordered bins so
 * that the grower works on a compact Uint8 matrix and split search scans bins, not samples.
 *
 * Bin edges ("thresholds") are fitted on training data only. A value x falls in bin b where
 * b is the number of thresholds strictly below x, so "bin ≤ b" ⇔ "x ≤ thresholds[b]": a split
 * learned on bins is the real-valued rule x ≤ thresholds[b] at prediction time.
 *
 * - Few distinct values (≤ maxBins): one bin per value, thresholds at midpoints between
 *   consecutive distinct values (unseen values go to the nearer side).
 * - Many distinct values: thresholds at the k/maxBins quantiles (linear interpolation between
 *   order statistics), deduplicated, so each bin holds about the same number of samples.
 * A constant feature gets no thresholds (one bin) and can therefore never be split on.
 */
import type { Matrix } from '../types.js';

export const MAX_BINS = 255;

export interface BinMapper {
  readonly nFeatures: number;
  /** Per feature, strictly increasing upper edges; bin count is thresholds.length + 1. */
  readonly thresholds: readonly Float64Array[];
  /** Per feature, number of bins (1 for a constant feature). */
  readonly nBins: Int32Array;
}

/** Fits quantile bin edges on X (training rows only). */
export function fitBinMapper(X: Matrix, maxBins: number = MAX_BINS): BinMapper {
  return fitAndBin(X, maxBins).mapper;
}

/**
 * Fits the bin edges on X and bins X itself in the same pass: each column is copied out once,
 * sorted once (radix sort on the float32 bit patterns, carrying row indices), edges come from
 * the sorted values, and one walk along the sorted order assigns every row its bin. Working on
 * one contiguous column at a time keeps the random accesses inside the cache.
 * Returns the bins column-major: feature f's bins are columns[f·rows .. (f+1)·rows).
 */
export function fitAndBin(X: Matrix, maxBins: number = MAX_BINS): { mapper: BinMapper; columns: Uint8Array } {
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS) {
    throw new Error(`maxBins must be an integer in [2, ${MAX_BINS}], got ${maxBins}`);
  }
  const { rows, cols, data } = X;
  const thresholds: Float64Array[] = [];
  const nBins = new Int32Array(cols);
  const columns = new Uint8Array(rows * cols);
  const sorter = new RadixSorter(rows);
  const column = new Float32Array(rows);
  const columnBits = new Uint32Array(column.buffer);
  const sorted = new Float64Array(rows);
  for (let f = 0; f < cols; f++) {
    for (let r = 0; r < rows; r++) column[r] = data[r * cols + f];
    const order = sorter.sort(columnBits);
    for (let p = 0; p < rows; p++) sorted[p] = column[order[p]];
    const t = featureThresholds(sorted, maxBins);
    thresholds.push(t);
    nBins[f] = t.length + 1;
    const base = f * rows;
    let b = 0;
    for (let p = 0; p < rows; p++) {
      const v = sorted[p];
      while (b < t.length && t[b] < v) b++;
      columns[base + order[p]] = b;
    }
  }
  return { mapper: { nFeatures: cols, thresholds, nBins }, columns };
}

/** LSD radix argsort of one float32 column (8 bits per pass, passes with one bucket skipped). */
class RadixSorter {
  private readonly keysA: Uint32Array;
  private readonly keysB: Uint32Array;
  private readonly idxA: Int32Array;
  private readonly idxB: Int32Array;
  private readonly counts = new Int32Array(256);

  constructor(n: number) {
    this.keysA = new Uint32Array(n);
    this.keysB = new Uint32Array(n);
    this.idxA = new Int32Array(n);
    this.idxB = new Int32Array(n);
  }

  /** Indices of `bits` (float32 bit patterns) in ascending value order (stable); reused by the next call. */
  sort(bits: Uint32Array): Int32Array {
    const n = bits.length;
    let keys = this.keysA;
    let idx = this.idxA;
    let keys2 = this.keysB;
    let idx2 = this.idxB;
    for (let r = 0; r < n; r++) {
      const u = bits[r];
      // Order-preserving map of IEEE bits to unsigned ints: negatives flipped, positives offset.
      keys[r] = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
      idx[r] = r;
    }
    const counts = this.counts;
    for (let shift = 0; shift < 32; shift += 8) {
      counts.fill(0);
      for (let r = 0; r < n; r++) counts[(keys[r] >>> shift) & 0xff]++;
      if (counts[(keys[0] >>> shift) & 0xff] === n) continue; // every key has this byte
      let sum = 0;
      for (let d = 0; d < 256; d++) {
        const c = counts[d];
        counts[d] = sum;
        sum += c;
      }
      for (let r = 0; r < n; r++) {
        const k = keys[r];
        const pos = counts[(k >>> shift) & 0xff]++;
        keys2[pos] = k;
        idx2[pos] = idx[r];
      }
      const tk = keys;
      keys = keys2;
      keys2 = tk;
      const ti = idx;
      idx = idx2;
      idx2 = ti;
    }
    return idx;
  }
}

/** Thresholds for one feature from its sorted values. */
export function featureThresholds(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  // Distinct values, stopping early once there are too many for one bin each.
  const distinct: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) {
      distinct.push(sorted[i]);
      if (distinct.length > maxBins) break;
    }
  }
  if (distinct.length <= maxBins) {
    const t = new Float64Array(Math.max(0, distinct.length - 1));
    for (let i = 0; i < t.length; i++) t[i] = (distinct[i] + distinct[i + 1]) / 2;
    return t;
  }
  const max = sorted[n - 1];
  const out: number[] = [];
  for (let k = 1; k < maxBins; k++) {
    const pos = (k / maxBins) * (n - 1);
    const lo = Math.floor(pos);
    const frac = pos - lo;
    const v = frac === 0 ? sorted[lo] : sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
    // A threshold at (or above) the maximum separates nothing; duplicates add empty bins.
    if (v < max && (out.length === 0 || v > out[out.length - 1])) out.push(v);
  }
  return Float64Array.from(out);
}

/** Bin index of one value: the number of thresholds strictly below x. */
export function binOf(thresholds: Float64Array, x: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Maps X to a row-major Uint8 matrix of bin indices (same layout as X.data). */
export function binMatrix(mapper: BinMapper, X: Matrix): Uint8Array {
  const { rows, cols, data } = X;
  if (cols !== mapper.nFeatures) throw new Error(`binMatrix: X has ${cols} features, bins were fitted on ${mapper.nFeatures}`);
  const out = new Uint8Array(rows * cols);
  for (let f = 0; f < cols; f++) {
    const t = mapper.thresholds[f];
    if (t.length === 0) continue; // constant feature: everything in bin 0
    for (let r = 0; r < rows; r++) {
      const i = r * cols + f;
      out[i] = binOf(t, data[i]);
    }
  }
  return out;
}
