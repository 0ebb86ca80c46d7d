// Pieces shared by the tree estimators: parameter checks, training-set preparation, artifact envelope.
import type { Matrix } from '../types.js';
import { fitAndBin, MAX_BINS } from './binning.js';
import type { GrownTree, TrainingSet } from './grower.js';
import { histogramCodes, makeHistogramLayout } from './histogram.js';
import { checkInt, checkNumber } from './validation.js';

/** Version of the saved format written by toJSON(); fromJSON() rejects any other. */
export const TREE_FORMAT_VERSION = 1;

/**
 * Candidate features per split: 'all', 'sqrt' / 'log2' of the feature count, or a fraction in
 * (0, 1] (count = max(1, ⌊fraction × nFeatures⌋), as in scikit-learn).
 */
export type MaxFeatures = 'all' | 'sqrt' | 'log2' | number;

/** Parameters every tree estimator has. */
export interface TreeParams {
  /** Maximum depth (root = 0); null for unlimited. */
  maxDepth: number | null;
  /** Minimum sample weight in each leaf (bootstrap duplicates count). */
  minSamplesLeaf: number;
  /** Minimum sample weight a node needs to be split. */
  minSamplesSplit: number;
  maxFeatures: MaxFeatures;
  /** Bins per feature (2..255). */
  maxBins: number;
  /** Seed of all randomness (bootstrap, subsampling, feature draws). */
  seed: number;
}

export const DEFAULT_TREE_PARAMS: TreeParams = {
  maxDepth: null,
  minSamplesLeaf: 1,
  minSamplesSplit: 2,
  maxFeatures: 'all',
  maxBins: MAX_BINS,
  seed: 42,
};

export function treeParamProblems(p: TreeParams): Array<string | null> {
  return [
    p.maxDepth === null ? null : checkInt('maxDepth', p.maxDepth, 0, 1000),
    checkInt('minSamplesLeaf', p.minSamplesLeaf, 1),
    checkInt('minSamplesSplit', p.minSamplesSplit, 2),
    p.maxFeatures === 'all' || p.maxFeatures === 'sqrt' || p.maxFeatures === 'log2'
      ? null
      : checkNumber("maxFeatures ('all', 'sqrt', 'log2' or a fraction)", p.maxFeatures, 0, 1, true),
    checkInt('maxBins', p.maxBins, 2, MAX_BINS),
    checkInt('seed', p.seed, -2147483648, 4294967295),
  ];
}

export function resolveMaxFeatures(m: MaxFeatures, nFeatures: number): number {
  if (m === 'all') return nFeatures;
  if (m === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(nFeatures)));
  if (m === 'log2') return Math.max(1, Math.floor(Math.log2(nFeatures)));
  return Math.max(1, Math.floor(m * nFeatures));
}

export function growerOptions(p: TreeParams, nFeatures: number) {
  return {
    maxDepth: p.maxDepth === null ? Infinity : p.maxDepth,
    minSamplesLeaf: p.minSamplesLeaf,
    minSamplesSplit: p.minSamplesSplit,
    maxFeatures: resolveMaxFeatures(p.maxFeatures, nFeatures),
  };
}

/** Bins X (edges fitted on X itself) and lays out histograms: done once per fit, shared by all trees. */
export function prepareTraining(X: Matrix, maxBins: number): TrainingSet {
  const { mapper, columns } = fitAndBin(X, maxBins);
  const layout = makeHistogramLayout(mapper.nBins);
  return { nRows: X.rows, codes: histogramCodes(columns, X.rows, layout), columns, mapper, layout };
}

export function mean(y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i];
  return s / y.length;
}

/** Saved form of a tree estimator. */
export interface TreeModelJSON<P, S> {
  className: string;
  formatVersion: number;
  params: P;
  state: S;
}

/** Checks className and formatVersion; returns the raw params and state objects. */
export function openEnvelope(json: unknown, className: string): { params: Record<string, unknown>; state: Record<string, unknown> } {
  const who = `${className}.fromJSON`;
  if (typeof json !== 'object' || json === null) throw new Error(`${who}: expected an object`);
  const j = json as Record<string, unknown>;
  if (j.className !== className) throw new Error(`${who}: className is ${JSON.stringify(j.className)}, expected "${className}"`);
  if (j.formatVersion !== TREE_FORMAT_VERSION) {
    throw new Error(`${who}: unsupported formatVersion ${JSON.stringify(j.formatVersion)} (this build reads ${TREE_FORMAT_VERSION})`);
  }
  if (typeof j.params !== 'object' || j.params === null) throw new Error(`${who}: params missing`);
  if (typeof j.state !== 'object' || j.state === null) throw new Error(`${who}: state missing`);
  return { params: j.params as Record<string, unknown>, state: j.state as Record<string, unknown> };
}

export function readFeatureCount(state: Record<string, unknown>, who: string): number {
  const n = state.nFeatures;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new Error(`${who}: state.nFeatures must be a positive integer, got ${JSON.stringify(n)}`);
  return n;
}

export function notFitted(className: string): Error {
  return new Error(`${className}: model is not fitted; call fit(X, y) before predict/toJSON`);
}

/**
 * Node values for a tree grown on centred targets: leaves get the weighted mean of their raw
 * targets (so a pure leaf predicts its value exactly, not offset + tiny rounding), internal
 * nodes the centred mean plus the offset. `idx` is the index array the tree was grown with.
 */
export function leafMeans(tree: GrownTree, idx: Int32Array, y: Float32Array, h: Float64Array, offset: number): Float64Array {
  const out = new Float64Array(tree.value.length);
  for (let node = 0; node < out.length; node++) {
    const a = tree.leafStart[node];
    if (a < 0) {
      out[node] = tree.value[node] + offset;
      continue;
    }
    let sy = 0;
    let sh = 0;
    for (let i = a; i < tree.leafEnd[node]; i++) {
      const s = idx[i];
      sy += h[s] * y[s];
      sh += h[s];
    }
    out[node] = sy / sh;
  }
  return out;
}
