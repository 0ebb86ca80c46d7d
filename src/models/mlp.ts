/**
 * Multi-layer perceptron regressor on tfjs-layers, shaped after scikit-learn's
 * MLPRegressor(hidden_layer_sizes=(100, 50), activation='relu', solver='adam',
 * max_iter=500) with early stopping.
 *
 * - Inputs are standardised with a mean/scale fitted on the training rows only.
 * - Loss: half mean squared error plus the L2 penalty α/2·ΣW²/batch (as scikit-learn).
 * - Output: 'linear' (scikit-learn's identity output) by default; 'sigmoid' keeps the
 *   output in (0, 1), which suits 0/1 targets. Either way the ensemble clips and
 *   renormalises the 45 outputs afterwards.
 * - Early stopping: the last `validationFraction` of the rows is the validation split.
 *   Rows are taken to be in time order (buildTrainingSet emits them by round), so this
 *   is a time-ordered holdout, never a shuffled one. Training stops when the validation
 *   R² has not improved by `tol` for `nIterNoChange` epochs, and the best weights are
 *   restored. Without early stopping the same rule watches the training loss.
 * - Determinism: kernels use seeded Glorot-uniform initialisers and the epoch shuffles
 *   use the seeded PRNG, so the same data, params and seed give the same weights on the
 *   same tfjs backend. The backend itself is chosen by src/runtime/tfjs.ts (entry points).
 */
import * as tf from '@tensorflow/tfjs';
import { Random } from '../domain/random.js';
import { fieldReader, readArtifacts, shapeProblems } from './artifacts.js';
import { checkParams, isMlpParams, MLP_CLASS_NAME, MLP_DEFAULTS, MLP_FORMAT_VERSION, type MlpFitOptions, type MlpParams } from './mlpParams.js';
import { backprop, buildNetwork, FlatAdam, fitScaler, networkVariables, standardise, variance } from './mlpTraining.js';
import type { Matrix, ModelArtifacts, Regressor } from './types.js';

export { MLP_CLASS_NAME, MLP_DEFAULTS, MLP_FORMAT_VERSION, type MlpActivation, type MlpEpochInfo, type MlpFitOptions, type MlpOutput, type MlpParams } from './mlpParams.js';
export { backprop, FlatAdam, networkVariables, type NetworkVariables } from './mlpTraining.js';

interface FittedState {
  model: tf.Sequential;
  mean: Float64Array;
  scale: Float64Array;
  nFeatures: number;
  nIter: number;
  bestLoss: number;
  lossCurve: number[];
}

export class MLPRegressor implements Regressor {
  readonly className = MLP_CLASS_NAME;
  private readonly params: MlpParams;
  private fitted: FittedState | null = null;

  constructor(params: Partial<MlpParams> = {}) {
    this.params = { ...MLP_DEFAULTS, ...params, hiddenLayerSizes: [...(params.hiddenLayerSizes ?? MLP_DEFAULTS.hiddenLayerSizes)] };
  }

  getParams(): MlpParams {
    return { ...this.params, hiddenLayerSizes: [...this.params.hiddenLayerSizes] };
  }

  /** Epochs run in the last fit. */
  get nIter(): number {
    return this.requireFitted().nIter;
  }

  /** Training loss per epoch of the last fit. */
  get lossCurve(): number[] {
    return [...this.requireFitted().lossCurve];
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  async fit(X: Matrix, y: Float32Array, options: MlpFitOptions = {}): Promise<this> {
    const p = this.params;
    checkParams(p);
    if (y.length !== X.rows) throw new Error(`X has ${X.rows} rows but y has ${y.length} values`);
    const nVal = p.earlyStopping ? Math.floor(X.rows * p.validationFraction) : 0;
    const nTrain = X.rows - nVal;
    if (nTrain < 2 || (p.earlyStopping && nVal < 1)) throw new Error(`too few rows (${X.rows}) to train an MLP with this validation split`);

    const { mean, scale } = fitScaler(X, nTrain);
    const cols = X.cols;
    const xTrain = standardise(X, 0, nTrain, mean, scale);
    const yTrain = y.subarray(0, nTrain);
    const xValT = nVal > 0 ? tf.tensor2d(standardise(X, nTrain, X.rows, mean, scale), [nVal, cols]) : null;
    const yValT = nVal > 0 ? tf.tensor2d(y.slice(nTrain), [nVal, 1]) : null;
    const valVar = nVal > 0 ? variance(y.subarray(nTrain)) : variance(yTrain);

    this.dispose();
    const model = buildNetwork(p, cols);
    const vars = networkVariables(model);
    const adam = new FlatAdam(vars.all, p.learningRate);
    const batch = p.batchSize === 'auto' ? Math.min(200, nTrain) : Math.min(p.batchSize, nTrain);
    const rnd = new Random(p.seed);
    const order = new Int32Array(nTrain);
    for (let i = 0; i < nTrain; i++) order[i] = i;
    const xBuf = new Float32Array(nTrain * cols);
    const yBuf = new Float32Array(nTrain);

    let best = Number.POSITIVE_INFINITY;
    let bestWeights: tf.Tensor[] | null = null;
    let noImprove = 0;
    let epoch = 0;
    const lossCurve: number[] = [];
    try {
      for (epoch = 1; epoch <= p.maxIter; epoch++) {
        rnd.shuffle(order);
        for (let k = 0; k < nTrain; k++) {
          const r = order[k];
          xBuf.set(xTrain.subarray(r * cols, (r + 1) * cols), k * cols);
          yBuf[k] = yTrain[r];
        }
        let lossSum = 0;
        for (let start = 0; start < nTrain; start += batch) {
          const size = Math.min(batch, nTrain - start);
          lossSum +=
            tf.tidy(() => {
              // Batches are built from JS memory: the wasm slice kernel copies its whole input.
              const xb = tf.tensor2d(xBuf.subarray(start * cols, (start + size) * cols), [size, cols]);
              const yb = tf.tensor2d(yBuf.subarray(start, start + size), [size, 1]);
              const { loss, grads } = backprop(vars, xb, yb, p);
              adam.step(grads);
              return loss.dataSync()[0];
            }) * size;
        }
        // Epoch loss as scikit-learn reports it: data loss plus the L2 penalty of every batch
        // (taken at the end-of-epoch weights).
        const batches = Math.ceil(nTrain / batch);
        const penalty = p.alpha > 0 ? tf.tidy(() => tf.addN(vars.kernels.map((k) => tf.sum(tf.square(k)))).dataSync()[0]) * (p.alpha / 2) * (batches / nTrain) : 0;
        const trainLoss = lossSum / nTrain + penalty;
        lossCurve.push(trainLoss);
        let monitored = trainLoss;
        let validationLoss: number | null = null;
        if (xValT && yValT) {
          validationLoss = tf.tidy(() => {
            const pred = model.apply(xValT) as tf.Tensor;
            return tf.mean(tf.square(tf.sub(pred, yValT))).div(2).dataSync()[0];
          });
          monitored = validationLoss;
        }
        options.onEpoch?.({ epoch, maxIter: p.maxIter, trainLoss, validationLoss });
        // Improvement must beat tol in R² units (half-MSE × 2 / variance), as scikit-learn's score.
        if (monitored < best - (p.tol * valVar) / 2) {
          noImprove = 0;
        } else {
          noImprove++;
        }
        if (monitored < best) {
          best = monitored;
          if (p.earlyStopping) {
            bestWeights?.forEach((t) => t.dispose());
            bestWeights = model.getWeights().map((w) => w.clone());
          }
        }
        if (noImprove >= p.nIterNoChange) break;
      }
      if (bestWeights) model.setWeights(bestWeights);
    } catch (err) {
      model.dispose();
      throw err;
    } finally {
      bestWeights?.forEach((t) => t.dispose());
      xValT?.dispose();
      yValT?.dispose();
      adam.dispose();
    }
    this.fitted = { model, mean, scale, nFeatures: cols, nIter: Math.min(epoch, p.maxIter), bestLoss: best, lossCurve };
    return this;
  }

  predict(X: Matrix): Float32Array {
    const f = this.requireFitted();
    if (X.cols !== f.nFeatures) throw new Error(`MLPRegressor was fitted on ${f.nFeatures} features, got ${X.cols}`);
    if (X.rows === 0) return new Float32Array(0);
    const xs = standardise(X, 0, X.rows, f.mean, f.scale);
    return tf.tidy(() => {
      const out = f.model.predict(tf.tensor2d(xs, [X.rows, X.cols])) as tf.Tensor;
      return Float32Array.from(out.dataSync());
    });
  }

  /** Manifest (params, scaler, shapes) plus the layer weights as Float32Arrays. */
  toArtifacts(): ModelArtifacts {
    const f = this.requireFitted();
    const weights: Record<string, Float32Array> = {};
    const shapes: number[][] = [];
    f.model.getWeights().forEach((w, i) => {
      weights[`w${i}`] = Float32Array.from(w.dataSync());
      shapes.push([...w.shape]);
    });
    return {
      manifest: {
        className: MLP_CLASS_NAME,
        formatVersion: MLP_FORMAT_VERSION,
        params: { ...this.params, hiddenLayerSizes: [...this.params.hiddenLayerSizes] },
        nFeatures: f.nFeatures,
        nIter: f.nIter,
        bestLoss: Number.isFinite(f.bestLoss) ? f.bestLoss : null,
        scalerMean: Array.from(f.mean),
        scalerScale: Array.from(f.scale),
        weightShapes: shapes,
      },
      weights,
    };
  }

  /** Rebuilds a fitted regressor, checking every field; throws an error naming the bad one. */
  static fromArtifacts(artifacts: unknown): MLPRegressor {
    const { manifest: m, weights } = readArtifacts(artifacts, MLP_CLASS_NAME, [MLP_FORMAT_VERSION]);
    const r = fieldReader(MLP_CLASS_NAME);
    const params: unknown = m.params;
    const problems = shapeProblems(params, MLP_DEFAULTS, 'manifest.params', ['batchSize']);
    if (!isMlpParams(params, problems)) throw new Error(`${MLP_CLASS_NAME} artefact: ${problems.join('; ')}`);
    const nFeatures = r.integer(m.nFeatures, 'manifest.nFeatures', 1);
    const shapes = (Array.isArray(m.weightShapes) ? m.weightShapes : r.fail('manifest.weightShapes', 'must be an array')).map((s, i) => r.numbers(s, `manifest.weightShapes[${i}]`));
    const mean = Float64Array.from(r.numbers(m.scalerMean, 'manifest.scalerMean'));
    const scale = Float64Array.from(r.numbers(m.scalerScale, 'manifest.scalerScale'));
    const nIter = r.integer(m.nIter, 'manifest.nIter', 0);
    if (mean.length !== nFeatures || scale.length !== nFeatures) throw new Error(`${MLP_CLASS_NAME} artefact: scaler does not match ${nFeatures} features`);
    const reg = new MLPRegressor(params);
    const model = buildNetwork(reg.params, nFeatures);
    const expected = model.getWeights();
    if (expected.length !== shapes.length) {
      model.dispose();
      throw new Error(`${MLP_CLASS_NAME} artefact has ${shapes.length} weight tensors, the network needs ${expected.length}`);
    }
    const tensors = expected.map((w, i) => {
      const data = weights[`w${i}`];
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (!data || data.length !== size || shapes[i].join('x') !== w.shape.join('x')) {
        model.dispose();
        throw new Error(`${MLP_CLASS_NAME} artefact: weight w${i} is missing or has the wrong shape`);
      }
      return tf.tensor(data, w.shape);
    });
    model.setWeights(tensors);
    tensors.forEach((t) => t.dispose());
    const bestLoss = m.bestLoss;
    reg.fitted = {
      model,
      mean,
      scale,
      nFeatures,
      nIter,
      bestLoss: typeof bestLoss === 'number' ? bestLoss : Number.POSITIVE_INFINITY,
      lossCurve: [],
    };
    return reg;
  }

  /** Bytes held by the weights and the scaler. */
  memoryBytes(): number {
    if (!this.fitted) return 0;
    const n = this.fitted.model.countParams();
    return n * 4 + this.fitted.nFeatures * 16;
  }

  /** Release the tfjs variables; the regressor is then unfitted. */
  dispose(): void {
    this.fitted?.model.dispose();
    this.fitted = null;
  }

  private requireFitted(): FittedState {
    if (!this.fitted) throw new Error(`${MLP_CLASS_NAME} is not fitted: call fit(X, y) before predict or save`);
    return this.fitted;
  }
}
