/**
 * Stage 4: the grower. Grows one regression tree depth-first on the binned training matrix.
 *
 * Training-only structures: the node's samples are a contiguous range of one index array that
 * is partitioned in place (stably, so rows stay in memory order) at every split, and each node
 * that may still split carries a histogram. Only the smaller child's histogram is built from
 * its samples; the larger one is the parent's minus it, computed in the parent's buffer.
 * Children that can never split (depth limit, too few samples) get no histogram at all, and
 * small nodes are searched straight from their samples (see SPARSE_RATIO).
 *
 * Samples carry a gradient g and a hessian (weight) h: node value = Σg / Σh. Sample counts in
 * min_samples_leaf / min_samples_split are weights, i.e. a sample drawn twice by the
 * bootstrap counts twice, as if the tree were fitted on the resampled data set.
 */
import type { Random } from '../../domain/random.js';
import type { BinMapper } from './binning.js';
import { buildHistogram, HistogramPool, subtractHistogram, type HistogramCodes, type HistogramLayout } from './histogram.js';
import { findBestSplit, findBestSplitSparse, SparseScratch } from './splitter.js';

export interface GrowerOptions {
  /** Maximum depth (root = depth 0); Infinity for none. */
  maxDepth: number;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  /** Candidate features drawn per split (1..nFeatures); nFeatures = all, no randomness. */
  maxFeatures: number;
  /** Tuning knob, default SPARSE_RATIO (0 disables sparse split search). */
  sparseRatio?: number;
}

/** The binned training matrix and its bin edges, shared by all trees of an ensemble. */
export interface TrainingSet {
  readonly nRows: number;
  /** Binned matrix as histogram codes (offset of the feature + bin), row-major. */
  readonly codes: HistogramCodes;
  /** The same bins column-major (feature f's bins at f × nRows ...): the partition reads one feature. */
  readonly columns: Uint8Array;
  readonly mapper: BinMapper;
  readonly layout: HistogramLayout;
}

/** A grown tree in flat arrays; children of a node are always allocated as a consecutive pair. */
export interface GrownTree {
  /** Split feature, or −1 for a leaf. */
  readonly feature: Int32Array;
  /** Split bin (samples with bin ≤ binThreshold go left); 0 for leaves. */
  readonly binThreshold: Uint8Array;
  /** The same split as a real value: x ≤ threshold goes left; 0 for leaves. */
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Σg / Σh of the node's samples (internal nodes too). */
  readonly value: Float64Array;
  /** Σh: the node's sample weight. */
  readonly weight: Float64Array;
  /** Weighted squared-error reduction of the node's split; 0 for leaves. */
  readonly gain: Float64Array;
  /** For leaves: the node's range [leafStart, leafEnd) in the index array passed to grow(); −1 otherwise. */
  readonly leafStart: Int32Array;
  readonly leafEnd: Int32Array;
}

interface PendingNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  /** Dense node: its histogram. */
  hist: Float64Array | null;
  /** Small node that may split: searched without a histogram. */
  sparse: boolean;
}

/**
 * Nodes with count × nFeatures ≤ SPARSE_RATIO × totalBins are split from their samples
 * (findBestSplitSparse) instead of a stored histogram: below that size, filling, subtracting
 * and scanning every bin of a histogram costs more than touching the samples.
 */
const SPARSE_RATIO = 1;

export class TreeGrower {
  private readonly pool: HistogramPool;
  private readonly scratch: Int32Array;
  private readonly features: Int32Array;
  private readonly sparseScratch: SparseScratch;

  constructor(
    private readonly train: TrainingSet,
    private readonly options: GrowerOptions,
  ) {
    this.pool = new HistogramPool(2 * train.layout.totalBins);
    this.scratch = new Int32Array(train.nRows);
    this.features = new Int32Array(train.mapper.nFeatures);
    this.sparseScratch = new SparseScratch();
  }

  /**
   * Grows a tree on samples idx[0..count) (idx is reordered in place). `rng` is needed only
   * when maxFeatures < nFeatures.
   */
  grow(g: Float64Array, h: Float64Array, idx: Int32Array, count: number, rng: Random | null): GrownTree {
    const { codes, layout, mapper } = this.train;
    const { maxDepth, minSamplesLeaf, minSamplesSplit } = this.options;
    const nF = mapper.nFeatures;
    const k = Math.min(this.options.maxFeatures, nF);
    const subsample = k < nF;
    if (subsample && !rng) throw new Error('TreeGrower: feature subsampling needs a Random');
    if (count < 1) throw new Error('TreeGrower: cannot grow a tree on zero samples');
    const features = this.features;
    for (let f = 0; f < nF; f++) features[f] = f;

    const feature: number[] = [];
    const binThreshold: number[] = [];
    const threshold: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    const weight: number[] = [];
    const gain: number[] = [];
    const leafStart: number[] = [];
    const leafEnd: number[] = [];
    const addNode = (): number => {
      feature.push(-1);
      binThreshold.push(0);
      threshold.push(0);
      left.push(-1);
      right.push(-1);
      value.push(0);
      weight.push(0);
      gain.push(0);
      leafStart.push(-1);
      leafEnd.push(-1);
      return feature.length - 1;
    };
    const mayGrow = (depth: number, w: number, n: number): boolean =>
      depth < maxDepth && w >= minSamplesSplit && w >= 2 * minSamplesLeaf && n >= 2;

    let rootG = 0;
    let rootH = 0;
    for (let i = 0; i < count; i++) {
      rootG += g[idx[i]];
      rootH += h[idx[i]];
    }
    if (!(rootH > 0)) throw new Error('TreeGrower: total sample weight must be positive');
    const sparseLimit = ((this.options.sparseRatio ?? SPARSE_RATIO) * layout.totalBins) / nF;
    let rootHist: Float64Array | null = null;
    const rootGrows = mayGrow(0, rootH, count);
    if (rootGrows && count > sparseLimit) {
      rootHist = this.pool.acquire();
      buildHistogram(rootHist, codes, nF, idx, 0, count, g, h);
    }
    const stack: PendingNode[] = [
      { id: addNode(), start: 0, end: count, depth: 0, g: rootG, h: rootH, hist: rootHist, sparse: rootGrows && rootHist === null },
    ];

    while (stack.length > 0) {
      const node = stack.pop() as PendingNode;
      const { id, start, end, depth, hist } = node;
      value[id] = node.g / node.h;
      weight[id] = node.h;
      if (hist === null && !node.sparse) {
        leafStart[id] = start;
        leafEnd[id] = end;
        continue;
      }
      if (subsample) (rng as Random).shuffle(features);
      const split =
        hist !== null
          ? findBestSplit(hist, layout, node.g, node.h, features, k, minSamplesLeaf)
          : findBestSplitSparse(codes, layout, idx, start, end, g, h, node.g, node.h, features, k, minSamplesLeaf, this.sparseScratch);
      if (split === null) {
        if (hist !== null) this.pool.release(hist);
        leafStart[id] = start;
        leafEnd[id] = end;
        continue;
      }

      // Stable in-place partition: left samples first, right ones via the scratch buffer.
      // Branch-free (the side is ~random, so a branch would mispredict half the time).
      const f = split.feature;
      const b = split.bin;
      const column = this.train.columns;
      const colBase = f * this.train.nRows;
      const scratch = this.scratch;
      let w = start;
      let r = 0;
      for (let i = start; i < end; i++) {
        const s = idx[i];
        const goRight = (b - column[colBase + s]) >>> 31; // 1 when bin > b
        idx[w] = s;
        scratch[r] = s;
        w += 1 - goRight;
        r += goRight;
      }
      const mid = w;
      for (let i = 0; i < r; i++) idx[mid + i] = scratch[i];

      const leftId = addNode();
      const rightId = addNode();
      feature[id] = f;
      binThreshold[id] = b;
      threshold[id] = mapper.thresholds[f][b];
      left[id] = leftId;
      right[id] = rightId;
      gain[id] = split.gain;

      const nL = mid - start;
      const nR = end - mid;
      const growL = mayGrow(depth + 1, split.leftH, nL);
      const growR = mayGrow(depth + 1, split.rightH, nR);
      const sparseL = growL && nL <= sparseLimit;
      const sparseR = growR && nR <= sparseLimit;
      const denseL = growL && !sparseL;
      const denseR = growR && !sparseR;
      let histL: Float64Array | null = null;
      let histR: Float64Array | null = null;
      const leftSmaller = nL <= nR;
      if (hist === null) {
        // Sparse parent: children are smaller still, hence sparse too.
      } else if (denseL && denseR) {
        const small = this.pool.acquire();
        if (leftSmaller) buildHistogram(small, codes, nF, idx, start, mid, g, h);
        else buildHistogram(small, codes, nF, idx, mid, end, g, h);
        subtractHistogram(hist, small);
        histL = leftSmaller ? small : hist;
        histR = leftSmaller ? hist : small;
      } else if (denseL || denseR) {
        const wantLeft = denseL;
        if (wantLeft === leftSmaller) {
          // The child to grow is the smaller one: build it directly in the parent's buffer.
          if (wantLeft) buildHistogram(hist, codes, nF, idx, start, mid, g, h);
          else buildHistogram(hist, codes, nF, idx, mid, end, g, h);
        } else {
          const small = this.pool.acquire();
          if (leftSmaller) buildHistogram(small, codes, nF, idx, start, mid, g, h);
          else buildHistogram(small, codes, nF, idx, mid, end, g, h);
          subtractHistogram(hist, small);
          this.pool.release(small);
        }
        if (wantLeft) histL = hist;
        else histR = hist;
      } else {
        this.pool.release(hist);
      }
      // Right pushed first so the left subtree is grown first.
      stack.push({ id: rightId, start: mid, end, depth: depth + 1, g: split.rightG, h: split.rightH, hist: histR, sparse: sparseR });
      stack.push({ id: leftId, start, end: mid, depth: depth + 1, g: split.leftG, h: split.leftH, hist: histL, sparse: sparseL });
    }

    return {
      feature: Int32Array.from(feature),
      binThreshold: Uint8Array.from(binThreshold),
      threshold: Float64Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float64Array.from(value),
      weight: Float64Array.from(weight),
      gain: Float64Array.from(gain),
      leafStart: Int32Array.from(leafStart),
      leafEnd: Int32Array.from(leafEnd),
    };
  }
}

/** Leaf node reached by one training row, routed on its bins (for rows a tree did not see). */
export function trainingLeaf(tree: GrownTree, train: TrainingSet, row: number): number {
  const { feature, binThreshold, left, right } = tree;
  const { codes, layout } = train;
  const base = row * layout.nFeatures;
  let node = 0;
  while (feature[node] >= 0) {
    const f = feature[node];
    node = codes[base + f] <= layout.offsets[f] + binThreshold[node] ? left[node] : right[node];
  }
  return node;
}
