/**
 * Gradient boosting regressor with squared loss: start from the mean of y, then each stage
 * fits a histogram CART tree to the current residuals y − F and adds learningRate × tree to F.
 * With subsample < 1 each stage sees a random subset of rows drawn without replacement
 * (stochastic gradient boosting). Bins are fitted once per fit and shared by all stages.
 */
import { Random } from '../../domain/random.js';
import type { Matrix, Regressor } from '../types.js';
import { DEFAULT_TREE_PARAMS, mean, treeParamProblems, type TreeModelJSON, type TreeParams } from './common.js';
import { normalise } from './decisionTree.js';
import { restoreEstimator, TreeEstimator } from './estimator.js';
import { TreeGrower, trainingLeaf } from './grower.js';
import { TreePredictor, type TreeJSON } from './predictor.js';
import { checkInt, checkNumber } from './validation.js';

export interface GradientBoostingParams extends TreeParams {
  nEstimators: number;
  /** Shrinkage applied to every stage's tree, in (0, 1]. */
  learningRate: number;
  /** Fraction of rows each stage is fitted on, in (0, 1]; 1 = all rows, no randomness. */
  subsample: number;
}

export const DEFAULT_BOOSTING_PARAMS: GradientBoostingParams = {
  ...DEFAULT_TREE_PARAMS,
  nEstimators: 100,
  learningRate: 0.1,
  maxDepth: 6,
  subsample: 1,
  seed: 42,
};

export interface GradientBoostingState {
  nFeatures: number;
  /** Initial prediction: the mean of the training targets. */
  init: number;
  /** Stage trees with the learning rate already applied to their leaf values. */
  trees: TreeJSON[];
  /** Mean squared error on all training rows after each stage. */
  trainLoss: number[];
}

function boostingProblems(p: GradientBoostingParams): Array<string | null> {
  return [
    ...treeParamProblems(p),
    checkInt('nEstimators', p.nEstimators, 1, 100000),
    checkNumber('learningRate', p.learningRate, 0, 1, true),
    checkNumber('subsample', p.subsample, 0, 1, true),
  ];
}

interface BoostingFit {
  init: number;
  trees: TreePredictor[];
  trainLoss: Float64Array;
}

export class GradientBoostingRegressor extends TreeEstimator<GradientBoostingParams, BoostingFit> implements Regressor {
  static readonly className = 'GradientBoostingRegressor';
  readonly className = GradientBoostingRegressor.className;

  constructor(params: Partial<GradientBoostingParams> = {}) {
    super(DEFAULT_BOOSTING_PARAMS, params, boostingProblems);
  }

  clone(): GradientBoostingRegressor {
    return new GradientBoostingRegressor(this.getParams());
  }

  /** The fitted stage trees, learning rate included (throws before fit). */
  get estimators(): readonly TreePredictor[] {
    return this.state.trees;
  }

  get init(): number {
    return this.state.init;
  }

  /** Training MSE after each stage (a copy). */
  get trainLoss(): Float64Array {
    return this.state.trainLoss.slice();
  }

  fit(X: Matrix, y: Float32Array): this {
    const p = this.params;
    const { train, options } = this.startFit(X, y);
    const n = X.rows;
    const nF = X.cols;
    const grower = new TreeGrower(train, options);
    const rng = new Random(p.seed);

    const init = mean(y);
    const raw = new Float64Array(n).fill(init);
    const g = new Float64Array(n);
    const h = new Float64Array(n).fill(1);
    const idx = new Int32Array(n);
    const perm = new Int32Array(n);
    const inBag = new Uint8Array(n);
    const nInBag = p.subsample < 1 ? Math.max(1, Math.floor(p.subsample * n)) : n;
    const trees: TreePredictor[] = [];
    const trainLoss = new Float64Array(p.nEstimators);

    for (let stage = 0; stage < p.nEstimators; stage++) {
      // Negative gradient of ½(y − F)² is the residual.
      for (let i = 0; i < n; i++) g[i] = y[i] - raw[i];
      if (nInBag < n) {
        for (let i = 0; i < n; i++) perm[i] = i;
        for (let i = 0; i < nInBag; i++) {
          const j = i + rng.nextInt(n - i);
          const tmp = perm[i];
          perm[i] = perm[j];
          perm[j] = tmp;
        }
        inBag.fill(0);
        for (let i = 0; i < nInBag; i++) inBag[perm[i]] = 1;
        // Ascending row order keeps histogram building cache-friendly.
        let c = 0;
        for (let s = 0; s < n; s++) if (inBag[s]) idx[c++] = s;
      } else {
        for (let s = 0; s < n; s++) idx[s] = s;
      }
      const grown = grower.grow(g, h, idx, nInBag, rng);
      const tree = TreePredictor.fromGrown(grown, nF, p.learningRate, 0);
      trees.push(tree);

      // Update F on training rows from the grower's leaf ranges; rows outside the subsample
      // are routed through the tree on their bins (same decisions as real thresholds).
      const value = tree.nodes.value;
      for (let node = 0; node < grown.leafStart.length; node++) {
        const a = grown.leafStart[node];
        if (a < 0) continue;
        const v = value[node];
        for (let i = a; i < grown.leafEnd[node]; i++) raw[idx[i]] += v;
      }
      if (nInBag < n) {
        for (let s = 0; s < n; s++) if (!inBag[s]) raw[s] += value[trainingLeaf(grown, train, s)];
      }
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const r = y[i] - raw[i];
        loss += r * r;
      }
      trainLoss[stage] = loss / n;
    }
    this.fitted = { init, trees, trainLoss };
    return this;
  }

  predict(X: Matrix): Float32Array {
    const { init, trees } = this.state;
    this.checkPredict(X, trees[0]);
    const acc = new Float64Array(X.rows).fill(init);
    for (const tree of trees) tree.addPredictions(X, acc);
    return Float32Array.from(acc);
  }

  /** Total split gain per feature over all stages, normalised to sum to 1. */
  featureImportances(): Float64Array {
    const { trees } = this.state;
    const acc = new Float64Array(trees[0].nFeatures);
    for (const tree of trees) tree.addGains(acc);
    return normalise(acc);
  }

  toJSON(): TreeModelJSON<GradientBoostingParams, GradientBoostingState> {
    const { init, trees, trainLoss } = this.state;
    return this.envelope({ nFeatures: trees[0].nFeatures, init, trees: trees.map((t) => t.toJSON()), trainLoss: Array.from(trainLoss) });
  }

  static fromJSON(json: unknown): GradientBoostingRegressor {
    // The params are checked by restoreEstimator right after construction, hence the cast.
    const { model, state, nFeatures, who } = restoreEstimator(
      json,
      GradientBoostingRegressor.className,
      (params) => new GradientBoostingRegressor(params as Partial<GradientBoostingParams>),
    );
    const { init, trees, trainLoss } = state;
    if (typeof init !== 'number' || !Number.isFinite(init)) throw new Error(`${who}: state.init must be a finite number`);
    const n = model.params.nEstimators;
    if (!Array.isArray(trees) || trees.length !== n) throw new Error(`${who}: state.trees must be an array of nEstimators = ${n} trees`);
    if (!Array.isArray(trainLoss) || trainLoss.length !== n || !trainLoss.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new Error(`${who}: state.trainLoss must be ${n} finite numbers`);
    }
    model.fitted = {
      init,
      trees: trees.map((t: unknown, i: number) => TreePredictor.fromJSON(t, nFeatures, `${who}: tree ${i}`)),
      trainLoss: Float64Array.from(trainLoss as number[]),
    };
    return model;
  }
}
