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
 * Fills `hist` (zeroed here) from samples idx[start..end) of the row-major binned matrix.
 * This is the grower's hot loop: one pass over the node's rows, every feature per row.
 */
export function buildHistogram(
  hist: Float64Array,
  layout: HistogramLayout,
  binned: Uint8Array,
  idx: Int32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
): void {
  hist.fill(0);
  const nF = layout.nFeatures;
  const off = layout.offsets;
  for (let i = start; i < end; i++) {
    const s = idx[i];
    const gs = g[s];
    const hs = h[s];
    const base = s * nF;
    for (let f = 0; f < nF; f++) {
      const k = (off[f] + binned[base + f]) << 1;
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
