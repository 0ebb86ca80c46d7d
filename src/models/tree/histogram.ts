/**
 * Stage 2: histograms. For one node, per feature and bin: the sum of gradients G and the sum
 * of hessians H (sample weights) of the node's samples. With squared error the "gradient" is
 * the (weighted, centred) target or residual and the hessian the weight, so G/H is a mean and
 * variance reduction is computed from G and H alone.
 *
 * Layout: one Float64Array per node, features concatenated (feature f owns bins
 * offsets[f] .. offsets[f] + nBins[f] - 1), G and H interleaved per bin for locality.
 * Only the smaller child's histogram is built from samples; its sibling is parent − child.
 */

export interface HistogramLayout {
  readonly nFeatures: number;
  readonly nBins: Int32Array;
  /** Bin offset of each feature inside a histogram. */
  readonly offsets: Int32Array;
  /** Total bins over all features; a histogram holds 2 × totalBins numbers. */
  readonly totalBins: number;
}

export function makeHistogramLayout(nBins: Int32Array): HistogramLayout {
  const offsets = new Int32Array(nBins.length);
  let total = 0;
  for (let f = 0; f < nBins.length; f++) {
    offsets[f] = total;
    total += nBins[f];
  }
  return { nFeatures: nBins.length, nBins, offsets, totalBins: total };
}

/**
 * Per sample and feature, the histogram bin index offsets[f] + bin (row-major, like X), from
 * column-major bins. Adding
 * the offset once here saves a load and an add per feature in every histogram build.
 * Uint16 covers up to 257 features at 255 bins; wider data falls back to Uint32.
 */
export type HistogramCodes = Uint16Array | Uint32Array;

export function histogramCodes(columns: Uint8Array, rows: number, layout: HistogramLayout): HistogramCodes {
  const nF = layout.nFeatures;
  const codes = layout.totalBins <= 0xffff ? new Uint16Array(columns.length) : new Uint32Array(columns.length);
  const off = layout.offsets;
  for (let f = 0; f < nF; f++) {
    const o = off[f];
    const base = f * rows;
    for (let r = 0; r < rows; r++) codes[r * nF + f] = o + columns[base + r];
  }
  return codes;
}

/**
 * Fills `hist` (zeroed here) from samples idx[start..end): the grower's hot loop. One pass
 * over the node's rows (in memory order), all features per row, unrolled by four.
 */
export function buildHistogram(
  hist: Float64Array,
  codes: HistogramCodes,
  nF: number,
  idx: Int32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
): void {
  hist.fill(0);
  const tail = nF & 3;
  for (let i = start; i < end; i++) {
    const s = idx[i];
    const gs = g[s];
    const hs = h[s];
    const base = s * nF;
    const lim = base + nF - tail;
    let j = base;
    for (; j < lim; j += 4) {
      const k0 = codes[j] << 1;
      const k1 = codes[j + 1] << 1;
      const k2 = codes[j + 2] << 1;
      const k3 = codes[j + 3] << 1;
      hist[k0] += gs;
      hist[k0 + 1] += hs;
      hist[k1] += gs;
      hist[k1 + 1] += hs;
      hist[k2] += gs;
      hist[k2 + 1] += hs;
      hist[k3] += gs;
      hist[k3 + 1] += hs;
    }
    for (; j < base + nF; j++) {
      const k = codes[j] << 1;
      hist[k] += gs;
      hist[k + 1] += hs;
    }
  }
}

/** parent ← parent − child: turns the parent's histogram into the sibling's, in place. */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let k = 0; k < parent.length; k++) parent[k] -= child[k];
}

/** Reuses histogram buffers across nodes and trees (depth-first growth keeps few alive). */
export class HistogramPool {
  private readonly free: Float64Array[] = [];
  constructor(private readonly size: number) {}

  acquire(): Float64Array {
    return this.free.pop() ?? new Float64Array(this.size);
  }

  release(hist: Float64Array): void {
    this.free.push(hist);
  }
}
