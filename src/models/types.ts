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

/** Progress of a fit, in steps of the family's own kind (epochs, member fits). */
export interface FitProgress {
  /** Steps done so far. */
  step: number;
  /** Steps the fit takes at most, as known now (early stopping can bring it closer). */
  total: number;
  /** Training loss of the step, where it has one. */
  loss: number | null;
  /** Validation loss of the step, where it has one. */
  valLoss: number | null;
  /** What was done, e.g. "epoch 3" or "holdout rf". */
  detail: string;
}

export interface FitOptions {
  onProgress?: (p: FitProgress) => void;
  /** Asks the fit to end early: a family stops after its current step (keeping what it has) or throws if it has nothing to keep. */
  signal?: AbortSignal;
}

/** JSON-safe values for manifests. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The draws a model was trained on. */
export interface TrainedRounds {
  from: number;
  to: number;
  count: number;
}

/** What any saved piece (a model, or a regressor inside one) starts its manifest with. */
export interface ArtifactManifest {
  className: string;
  formatVersion: number;
  [key: string]: Json;
}

/**
 * What a model saves and loads: a JSON manifest (className, format version, params…)
 * and named weight buffers. Where artefacts live is the store's business, not the model's.
 */
export interface ModelArtifacts<M extends ArtifactManifest = ArtifactManifest> {
  manifest: M;
  weights: Record<string, Float32Array>;
}

/**
 * The one manifest shape of every model family: its class, format, params, the draws it was
 * trained on, its held-out scores, and whatever else the family needs to rebuild itself.
 */
export interface ModelManifest extends ArtifactManifest {
  params: Json;
  trainedRounds: { from: number; to: number; count: number } | null;
  validationMetrics: Json;
}

/** What serving needs of a loaded model (test fakes implement only this). */
export interface ServableModel {
  readonly className: string;
  /** The 45 probabilities for the draw after `history`. */
  predict(history: readonly Draw[]): NumberProbabilities;
  /** Approximate bytes held by the fitted model (weights and buffers). */
  memoryBytes(): number;
  dispose?(): void;
}

/**
 * The estimator contract every model family follows (scikit-learn style, tfjs-style
 * serialisation): `fit` learns from draws strictly before the target and returns this;
 * `predict` returns the 45 probabilities (sum 6) for the draw after `history`; `clone`
 * is an unfitted copy with the same params; `toArtifacts` saves it, and the class's
 * static `fromArtifacts(unknown)` (see ModelClass) validates and loads it.
 */
export interface PersistableModel<P = unknown> extends ServableModel {
  getParams(): P;
  clone(): PersistableModel<P>;
  fit(history: readonly Draw[], options?: FitOptions): Promise<this>;
  /** Steps `fit` will report progress in, at most (for a progress bar before the first report). */
  fitSteps(): number;
  toArtifacts(): ModelArtifacts<ModelManifest>;
  /** Release what the fitted model holds (tfjs variables); it is then unfitted. */
  dispose(): void;
}

/** The static side of a model family: its fixed class name and a validating loader. */
export interface ModelClass {
  readonly className: string;
  /** Rebuilds a fitted model; throws an error naming the field when `artifacts` is not one of this class's. */
  fromArtifacts(artifacts: unknown): PersistableModel;
}
