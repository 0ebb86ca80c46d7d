// A single histogram CART regression tree (squared error): the building block, also usable alone.
import { Random } from '../../domain/random.js';
import type { Matrix, Regressor } from '../types.js';
import { DEFAULT_TREE_PARAMS, leafMeans, mean, treeParamProblems, type TreeModelJSON, type TreeParams } from './common.js';
import { restoreEstimator, TreeEstimator } from './estimator.js';
import { TreeGrower } from './grower.js';
import { TreePredictor, type TreeJSON } from './predictor.js';

export type DecisionTreeParams = TreeParams;

export interface DecisionTreeState {
  nFeatures: number;
  tree: TreeJSON;
}

export class DecisionTreeRegressor extends TreeEstimator<DecisionTreeParams, TreePredictor> implements Regressor {
  static readonly className = 'DecisionTreeRegressor';
  readonly className = DecisionTreeRegressor.className;

  constructor(params: Partial<DecisionTreeParams> = {}) {
    super(DEFAULT_TREE_PARAMS, params, treeParamProblems);
  }

  clone(): DecisionTreeRegressor {
    return new DecisionTreeRegressor(this.getParams());
  }

  /** The fitted tree (throws before fit). */
  get predictor(): TreePredictor {
    return this.state;
  }

  fit(X: Matrix, y: Float32Array): this {
    const { train, options } = this.startFit(X, y);
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
    this.fitted = TreePredictor.fromGrown({ ...grown, value: leafMeans(grown, idx, y, h, offset) }, X.cols);
    return this;
  }

  predict(X: Matrix): Float32Array {
    const tree = this.predictor;
    this.checkPredict(X, tree);
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
    return this.envelope({ nFeatures: tree.nFeatures, tree: tree.toJSON() });
  }

  static fromJSON(json: unknown): DecisionTreeRegressor {
    // The params are checked by restoreEstimator right after construction, hence the cast.
    const { model, state, nFeatures, who } = restoreEstimator(
      json,
      DecisionTreeRegressor.className,
      (params) => new DecisionTreeRegressor(params as Partial<DecisionTreeParams>),
    );
    model.fitted = TreePredictor.fromJSON(state.tree, nFeatures, `${who}: tree`);
    return model;
  }
}

export function normalise(a: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  if (s > 0) for (let i = 0; i < a.length; i++) a[i] /= s;
  return a;
}
