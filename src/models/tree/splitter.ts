/**
 * Stage 3: the splitter. Finds the split of one node that most reduces the weighted squared
 * error, scanning each candidate feature's histogram bins left to right.
 *
 * For a node with totals (G, H) split into (GL, HL) | (GR, HR), the reduction in the sum of
 * squared errors is GL²/HL + GR²/HR − G²/H (H is the sample weight, G the weighted target).
 * Ties go to the lower feature index, then to the lower bin, so results never depend on the
 * order candidate features were drawn in.
 */
import type { HistogramCodes, HistogramLayout } from './histogram.js';

export interface SplitInfo {
  feature: number;
  /** Samples with bin ≤ bin go left. */
  bin: number;
  /** Reduction of the weighted sum of squared errors (always > 0). */
  gain: number;
  leftG: number;
  leftH: number;
  rightG: number;
  rightH: number;
}

/**
 * Splits whose gain is below this fraction of GL²/HL + GR²/HR are rounding noise
 * (e.g. any split of a node whose targets are all equal) and are not taken.
 */
const RELATIVE_GAIN_TOLERANCE = 1e-9;

/**
 * The best candidate of one node so far. Both scanners offer candidates feature by feature and
 * bin by bin, so they break ties identically.
 */
class BestSplit {
  feature = -1;
  bin = -1;
  private score = -Infinity;
  private leftG = 0;
  private leftH = 0;
  private readonly parentScore: number;

  constructor(
    private readonly totalG: number,
    private readonly totalH: number,
  ) {
    this.parentScore = (totalG * totalG) / totalH;
  }

  /** Left = (gl, hl), right weight hr; callers have checked both sides hold minLeafWeight. */
  offer(f: number, b: number, gl: number, hl: number, hr: number): void {
    const gr = this.totalG - gl;
    const score = (gl * gl) / hl + (gr * gr) / hr;
    if (score > this.score || (score === this.score && (f < this.feature || (f === this.feature && b < this.bin)))) {
      if (score - this.parentScore > RELATIVE_GAIN_TOLERANCE * score) {
        this.score = score;
        this.feature = f;
        this.bin = b;
        this.leftG = gl;
        this.leftH = hl;
      }
    }
  }

  result(): SplitInfo | null {
    if (this.feature < 0) return null;
    return {
      feature: this.feature,
      bin: this.bin,
      gain: this.score - this.parentScore,
      leftG: this.leftG,
      leftH: this.leftH,
      rightG: this.totalG - this.leftG,
      rightH: this.totalH - this.leftH,
    };
  }
}

/**
 * Best split of a node over `features[0..k)`; if none of those features admits a split, the
 * remaining entries of `features` are tried one at a time until one does (like scikit-learn,
 * which inspects more than max_features features rather than give up on a splittable node).
 * Returns null when no split leaves ≥ minLeafWeight on both sides with a real gain.
 */
export function findBestSplit(
  hist: Float64Array,
  layout: HistogramLayout,
  totalG: number,
  totalH: number,
  features: Int32Array,
  k: number,
  minLeafWeight: number,
): SplitInfo | null {
  const best = new BestSplit(totalG, totalH);
  const nBins = layout.nBins;
  const offsets = layout.offsets;

  for (let j = 0; j < features.length; j++) {
    if (j >= k && best.feature >= 0) break;
    const f = features[j];
    const nb = nBins[f];
    if (nb < 2) continue;
    let k2 = offsets[f] << 1;
    let gl = 0;
    let hl = 0;
    // Split after bin b: left = bins 0..b. The last bin cannot be a split point.
    for (let b = 0; b < nb - 1; b++, k2 += 2) {
      const hb = hist[k2 + 1];
      if (hb === 0) continue; // empty bin: same partition as the previous split point
      gl += hist[k2];
      hl += hb;
      if (hl < minLeafWeight) continue;
      const hr = totalH - hl;
      if (hr < minLeafWeight) break;
      best.offer(f, b, gl, hl, hr);
    }
  }
  return best.result();
}

/** Reusable buffers for findBestSplitSparse: one feature's bins, kept all-zero between calls. */
export class SparseScratch {
  readonly hist = new Float64Array(2 * 256);
  readonly bitmap = new Uint32Array(8);
}

/**
 * Same result as findBestSplit for a small node, without a node histogram: per feature, the
 * node's samples are summed into a one-feature scratch histogram while a bitmap records the
 * occupied bins, and only occupied bins are visited (ascending, via the bitmap). For a node
 * with fewer samples than bins this costs O(samples) per feature instead of O(bins) plus the
 * O(all bins) fill/subtraction a stored histogram needs.
 */
export function findBestSplitSparse(
  codes: HistogramCodes,
  layout: HistogramLayout,
  idx: Int32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
  totalG: number,
  totalH: number,
  features: Int32Array,
  k: number,
  minLeafWeight: number,
  scratch: SparseScratch,
): SplitInfo | null {
  const best = new BestSplit(totalG, totalH);
  const nF = layout.nFeatures;
  const nBins = layout.nBins;
  const offsets = layout.offsets;
  const sh = scratch.hist;
  const bitmap = scratch.bitmap;

  for (let j = 0; j < features.length; j++) {
    if (j >= k && best.feature >= 0) break;
    const f = features[j];
    const nb = nBins[f];
    if (nb < 2) continue;
    const off = offsets[f];
    for (let i = start; i < end; i++) {
      const s = idx[i];
      const b = codes[s * nF + f] - off;
      sh[b << 1] += g[s];
      sh[(b << 1) + 1] += h[s];
      bitmap[b >>> 5] |= 1 << (b & 31);
    }
    let gl = 0;
    let hl = 0;
    let open = true; // false once the right side is too small: later bins only need zeroing
    const words = (nb + 31) >>> 5;
    for (let w = 0; w < words; w++) {
      let m = bitmap[w];
      bitmap[w] = 0;
      while (m !== 0) {
        const low = m & -m;
        m ^= low;
        const b = (w << 5) + 31 - Math.clz32(low);
        const kk = b << 1;
        gl += sh[kk];
        hl += sh[kk + 1];
        sh[kk] = 0;
        sh[kk + 1] = 0;
        if (!open || hl < minLeafWeight) continue;
        const hr = totalH - hl;
        if (hr < minLeafWeight) {
          open = false;
          continue;
        }
        best.offer(f, b, gl, hl, hr);
      }
    }
  }
  return best.result();
}
