// What the tree estimators share, as scikit-learn's BaseEstimator does for its regressors:
// params merged over defaults and copied out, a guarded fitted state, the checks every fit and
// predict start with, and the saved envelope. Each subclass keeps only its own algorithm.
import type { Matrix } from '../types.js';
import {
  growerOptions,
  notFitted,
  openEnvelope,
  prepareTraining,
  readFeatureCount,
  TREE_FORMAT_VERSION,
  type TreeModelJSON,
  type TreeParams,
} from './common.js';
import type { GrowerOptions, TrainingSet } from './grower.js';
import type { TreePredictor } from './predictor.js';
import { checkMatrix, checkTarget, throwIfProblems } from './validation.js';

export type ParamProblems<P> = (p: P) => Array<string | null>;

/** What a fit starts from once params and data are checked. */
export interface FitStart {
  who: string;
  train: TrainingSet;
  options: GrowerOptions;
}

/** A saved model opened and checked up to its own state fields. */
export interface Restored<M> {
  model: M;
  state: Record<string, unknown>;
  nFeatures: number;
  who: string;
}

export abstract class TreeEstimator<P extends TreeParams, F> {
  abstract readonly className: string;
  protected readonly params: P;
  protected fitted: F | null = null;

  protected constructor(
    defaults: P,
    params: Partial<P>,
    private readonly problems: ParamProblems<P>,
  ) {
    this.params = { ...defaults, ...params };
  }

  /** What is wrong with the current params, one line each (empty when they are valid). */
  paramProblems(): string[] {
    return this.problems(this.params).filter((x): x is string => x !== null);
  }

  getParams(): P {
    return { ...this.params };
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  /** The fitted state (throws before fit). */
  protected get state(): F {
    if (!this.fitted) throw notFitted(this.className);
    return this.fitted;
  }

  /** Checks params and data, then bins X once for every tree of this fit. */
  protected startFit(X: Matrix, y: Float32Array): FitStart {
    const who = `${this.className}.fit`;
    throwIfProblems(who, this.problems(this.params));
    checkMatrix(X, who);
    checkTarget(y, X.rows, who);
    return { who, train: prepareTraining(X, this.params.maxBins), options: growerOptions(this.params, X.cols) };
  }

  protected checkPredict(X: Matrix, trees: TreePredictor): void {
    checkMatrix(X, `${this.className}.predict`, trees.nFeatures);
  }

  protected envelope<S>(state: S): TreeModelJSON<P, S> {
    return { className: this.className, formatVersion: TREE_FORMAT_VERSION, params: this.getParams(), state };
  }
}

/**
 * Opens a saved envelope for `className`, builds the model from its params (the caller's
 * factory, because only it knows the concrete class) and checks them; the caller then reads
 * its own state fields.
 */
export function restoreEstimator<M extends { paramProblems(): string[] }>(
  json: unknown,
  className: string,
  make: (params: Record<string, unknown>) => M,
): Restored<M> {
  const who = `${className}.fromJSON`;
  const { params, state } = openEnvelope(json, className);
  const model = make(params);
  throwIfProblems(who, model.paramProblems());
  return { model, state, nFeatures: readFeatureCount(state, who), who };
}
