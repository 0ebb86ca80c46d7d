// A single histogram CART regression tree (squared error): the building block, also usable alone.
import { Random } from '../../domain/random.js';
import type { Matrix, Regressor } from '../types.js';
import {
  DEFAULT_TREE_PARAMS,
  growerOptions,
  leafMeans,
  mean,
  notFitted,
  openEnvelope,
  prepareTraining,
  readFeatureCount,
  TREE_FORMAT_VERSION,
  treeParamProblems,
  type TreeModelJSON,
  type TreeParams,
} from './common.js';
import { TreeGrower } from './grower.js';
import { TreePredictor, type TreeJSON } from './predictor.js';
import { checkMatrix, checkTarget, throwIfProblems } from './validation.js';

export type DecisionTreeParams = TreeParams;

export interface DecisionTreeState {
  nFeatures: number;
  tree: TreeJSON;
}

export class DecisionTreeRegressor implements Regressor {
  static readonly className = 'DecisionTreeRegressor';
  readonly className = DecisionTreeRegressor.className;
  private readonly params: DecisionTreeParams;
  private tree: TreePredictor | null = null;

  constructor(params: Partial<DecisionTreeParams> = {}) {
    this.params = { ...DEFAULT_TREE_PARAMS, ...params };
  }

  getParams(): DecisionTreeParams {
    return { ...this.params };
  }

  clone(): DecisionTreeRegressor {
    return new DecisionTreeRegressor(this.getParams());
  }

  get isFitted(): boolean {
    return this.tree !== null;
  }

  /** The fitted tree (throws before fit). */
  get predictor(): TreePredictor {
    if (!this.tree) throw notFitted(this.className);
    return this.tree;
  }

  fit(X: Matrix, y: Float32Array): this {
    const who = `${this.className}.fit`;
    throwIfProblems(who, treeParamProblems(this.params));
    checkMatrix(X, who);
    checkTarget(y, X.rows, who);
    const train = prepareTraining(X, this.params.maxBins);
    const options = growerOptions(this.params, X.cols);
    const n = X.rows;
    // Centre y so histogram sums stay small relative to the differences they must resolve.
    const offset = mean(y);
    const g = new Float64Array(n);
    const h = new Float64Array(n).fill(1);
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      g[i] = y[i] - offset;
      idx[i] = i;
    }
    const rng = options.maxFeatures < X.cols ? new Random(this.params.seed) : null;
    const grown = new TreeGrower(train, options).grow(g, h, idx, n, rng);
    this.tree = TreePredictor.fromGrown({ ...grown, value: leafMeans(grown, idx, y, h, offset) }, X.cols);
    return this;
  }

  predict(X: Matrix): Float32Array {
    const tree = this.predictor;
    checkMatrix(X, `${this.className}.predict`, tree.nFeatures);
    return tree.predict(X);
  }

  /** Normalised total split gain per feature (sums to 1 unless the tree is a single leaf). */
  featureImportances(): Float64Array {
    const tree = this.predictor;
    const acc = new Float64Array(tree.nFeatures);
    tree.addGains(acc);
    return normalise(acc);
  }

  toJSON(): TreeModelJSON<DecisionTreeParams, DecisionTreeState> {
    const tree = this.predictor;
    return {
      className: this.className,
      formatVersion: TREE_FORMAT_VERSION,
      params: this.getParams(),
      state: { nFeatures: tree.nFeatures, tree: tree.toJSON() },
    };
  }

  static fromJSON(json: unknown): DecisionTreeRegressor {
    const who = `${DecisionTreeRegressor.className}.fromJSON`;
    const { params, state } = openEnvelope(json, DecisionTreeRegressor.className);
    const model = new DecisionTreeRegressor(params as Partial<DecisionTreeParams>);
    throwIfProblems(who, treeParamProblems(model.params));
    const nFeatures = readFeatureCount(state, who);
    model.tree = TreePredictor.fromJSON(state.tree, nFeatures, `${who}: tree`);
    return model;
  }
}

export function normalise(a: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  if (s > 0) for (let i = 0; i < a.length; i++) a[i] /= s;
  return a;
}
