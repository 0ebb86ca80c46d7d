import type { Draw } from '../domain/draw.js';

/** Dense row-major matrix of features. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

export function makeMatrix(rows: number, cols: number, data?: Float32Array): Matrix {
  const d = data ?? new Float32Array(rows * cols);
  if (d.length !== rows * cols) throw new Error(`matrix data has ${d.length} values, expected ${rows}×${cols}`);
  return { data: d, rows, cols };
}

/** A single-output regressor on a feature matrix (trees, MLP, voting). */
export interface Regressor {
  fit(X: Matrix, y: Float32Array): this | Promise<this>;
  predict(X: Matrix): Float32Array;
}

/** The 45 per-number probabilities for one upcoming draw; index 0 is number 1. Sums to 6. */
export type NumberProbabilities = Float64Array;

/**
 * The estimator contract every model family follows (scikit-learn style):
 * `fit` learns from draws strictly before the target and returns this;
 * `predict` returns the 45 probabilities for the draw after `history`.
 */
export interface LotteryModel<P = unknown> {
  readonly className: string;
  getParams(): P;
  fit(history: readonly Draw[]): Promise<this>;
  predict(history: readonly Draw[]): NumberProbabilities;
}

/** JSON-safe values for manifests. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * What a model saves and loads: a JSON manifest (className, format version, config…)
 * and named weight buffers. Where artefacts live is the store's business, not the model's.
 */
export interface ModelArtifacts {
  manifest: { className: string; formatVersion: number; [key: string]: Json };
  weights: Record<string, Float32Array>;
}

/** A model family that can be persisted. */
export interface PersistableModel<P = unknown> extends LotteryModel<P> {
  toArtifacts(): ModelArtifacts;
  /** Approximate bytes held by the fitted model (weights and buffers). */
  memoryBytes(): number;
}
