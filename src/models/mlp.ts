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
import type { Matrix, ModelArtifacts, Regressor } from './types.js';

export type MlpActivation = 'relu' | 'tanh';
export type MlpOutput = 'linear' | 'sigmoid';

export interface MlpParams {
  hiddenLayerSizes: number[];
  activation: MlpActivation;
  solver: 'adam';
  learningRate: number;
  /** Maximum number of epochs (scikit-learn's max_iter for adam). */
  maxIter: number;
  /** Rows per mini-batch; 'auto' = min(200, rows), as scikit-learn. */
  batchSize: number | 'auto';
  /** L2 penalty. */
  alpha: number;
  earlyStopping: boolean;
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
  output: MlpOutput;
  seed: number;
}

export const MLP_DEFAULTS: Readonly<MlpParams> = {
  hiddenLayerSizes: [100, 50],
  activation: 'relu',
  solver: 'adam',
  learningRate: 0.001,
  maxIter: 500,
  batchSize: 'auto',
  alpha: 0.0001,
  earlyStopping: true,
  validationFraction: 0.1,
  nIterNoChange: 10,
  tol: 0.0001,
  output: 'linear',
  seed: 0,
};

export interface MlpEpochInfo {
  epoch: number;
  maxIter: number;
  trainLoss: number;
  /** Validation half-MSE; null without early stopping. */
  validationLoss: number | null;
}

export interface MlpFitOptions {
  /** Called after every epoch (progress bars). */
  onEpoch?: (info: MlpEpochInfo) => void;
}

export const MLP_CLASS_NAME = 'MLPRegressor';
export const MLP_FORMAT_VERSION = 1;

interface FittedState {
  model: tf.Sequential;
  mean: Float64Array;
  scale: Float64Array;
  nFeatures: number;
  nIter: number;
  bestLoss: number;
  lossCurve: number[];
}

/** Saved params that passed the shape check (`problems` empty) and the family's own checks. */
function isMlpParams(v: unknown, problems: string[]): v is MlpParams {
  if (problems.length === 0 && typeof v === 'object' && v !== null && 'batchSize' in v && v.batchSize !== 'auto' && typeof v.batchSize !== 'number') {
    problems.push(`manifest.params.batchSize must be 'auto' or a number, got ${JSON.stringify(v.batchSize)}`);
  }
  return problems.length === 0;
}

function checkParams(p: MlpParams): void {
  if (!p.hiddenLayerSizes.length || !p.hiddenLayerSizes.every((h) => Number.isInteger(h) && h >= 1)) {
    throw new Error(`hiddenLayerSizes must be positive integers, got ${JSON.stringify(p.hiddenLayerSizes)}`);
  }
  if (!Number.isInteger(p.maxIter) || p.maxIter < 1) throw new Error(`maxIter must be an integer ≥ 1, got ${p.maxIter}`);
  if (p.batchSize !== 'auto' && (!Number.isInteger(p.batchSize) || p.batchSize < 1)) throw new Error(`batchSize must be 'auto' or an integer ≥ 1`);
  if (!(p.validationFraction > 0 && p.validationFraction < 1)) throw new Error(`validationFraction must be in (0, 1), got ${p.validationFraction}`);
  if (!(p.learningRate > 0)) throw new Error(`learningRate must be positive`);
  if (p.solver !== 'adam') throw new Error(`only the 'adam' solver is implemented`);
}

function buildNetwork(p: MlpParams, nFeatures: number): tf.Sequential {
  const model = tf.sequential();
  // Distinct seeds per layer, all derived from the model seed.
  const seeds = new Random(p.seed ^ 0x5eed);
  p.hiddenLayerSizes.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: p.activation,
        inputShape: i === 0 ? [nFeatures] : undefined,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.nextUint32() }),
        biasInitializer: 'zeros',
      }),
    );
  });
  model.add(
    tf.layers.dense({
      units: 1,
      activation: p.output === 'sigmoid' ? 'sigmoid' : 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.nextUint32() }),
      biasInitializer: 'zeros',
    }),
  );
  return model;
}

/** Column means and scales (population std; 1 for a constant column). */
function fitScaler(X: Matrix, rows: number): { mean: Float64Array; scale: Float64Array } {
  const { cols, data } = X;
  const mean = new Float64Array(cols);
  const sq = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += data[r * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const d = data[r * cols + c] - mean[c];
      sq[c] += d * d;
    }
  }
  const scale = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    const s = Math.sqrt(sq[c] / rows);
    scale[c] = s > 1e-12 ? s : 1;
  }
  return { mean, scale };
}

function standardise(X: Matrix, from: number, to: number, mean: Float64Array, scale: Float64Array): Float32Array {
  const { cols, data } = X;
  const out = new Float32Array((to - from) * cols);
  for (let r = from; r < to; r++) {
    const o = (r - from) * cols;
    const i = r * cols;
    for (let c = 0; c < cols; c++) out[o + c] = (data[i + c] - mean[c]) / scale[c];
  }
  return out;
}

function variance(y: Float32Array): number {
  let m = 0;
  for (const v of y) m += v;
  m /= y.length || 1;
  let s = 0;
  for (const v of y) s += (v - m) * (v - m);
  return y.length ? s / y.length : 0;
}

/** The network's variables: kernel and bias of every dense layer, input side first. */
export interface NetworkVariables {
  kernels: tf.Variable[];
  biases: tf.Variable[];
  /** kernel0, bias0, kernel1, bias1, ... */
  all: tf.Variable[];
}

export function networkVariables(model: tf.Sequential): NetworkVariables {
  const kernels: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  for (const layer of model.layers) {
    const [k, b] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    kernels.push(k);
    biases.push(b);
  }
  return { kernels, biases, all: kernels.flatMap((k, i) => [k, biases[i]]) };
}

/**
 * Half mean squared error of one mini-batch, and the gradients of that loss plus the L2
 * penalty α/2·ΣW²/batch, by explicit backpropagation.
 * Why not tf autodiff: the autodiff of a dense layer uses matMul with transposeA/B,
 * which tfjs-backend-wasm runs on a slow path (measured ~10× slower than
 * transpose + matMul); a training step was dominated by it. The gradients are the
 * same (a test checks them against tf.variableGrads).
 * Returns gradients in the order of `vars.all`.
 */
export function backprop(
  vars: NetworkVariables,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  p: Pick<MlpParams, 'activation' | 'output' | 'alpha'>,
): { loss: tf.Scalar; grads: tf.Tensor[] } {
  const L = vars.kernels.length;
  const n = x.shape[0];
  const acts: tf.Tensor2D[] = [x];
  for (let l = 0; l < L - 1; l++) {
    const z = tf.fused.matMul({ a: acts[l], b: vars.kernels[l], bias: vars.biases[l], activation: p.activation === 'relu' ? 'relu' : 'linear' }) as tf.Tensor2D;
    acts.push(p.activation === 'tanh' ? tf.tanh(z) : z);
  }
  let out = tf.fused.matMul({ a: acts[L - 1], b: vars.kernels[L - 1], bias: vars.biases[L - 1] }) as tf.Tensor2D;
  if (p.output === 'sigmoid') out = tf.sigmoid(out);
  const diff = tf.sub(out, y);
  // The L2 penalty's value is left out here (its gradient is not): the caller adds it once
  // per epoch, which saves a dozen small ops per step.
  const loss: tf.Scalar = tf.mean(tf.square(diff)).div(2);
  // d(loss)/d(output pre-activation)
  let d: tf.Tensor2D = tf.div(diff, n);
  if (p.output === 'sigmoid') d = tf.mul(d, tf.mul(out, tf.sub(1, out)));
  const grads: tf.Tensor[] = new Array(2 * L);
  for (let l = L - 1; l >= 0; l--) {
    let gW: tf.Tensor = tf.matMul(tf.transpose(acts[l]), d);
    if (p.alpha > 0) gW = tf.add(gW, tf.mul(vars.kernels[l], p.alpha / n));
    grads[2 * l] = gW;
    grads[2 * l + 1] = tf.sum(d, 0);
    if (l > 0) {
      const back = tf.matMul(d, tf.transpose(vars.kernels[l] as tf.Tensor2D));
      const a = acts[l];
      const deriv = p.activation === 'relu' ? tf.step(a, 0) : tf.sub(1, tf.square(a));
      d = tf.mul(back, deriv);
    }
  }
  return { loss, grads };
}

/**
 * Adam over all parameters as one flat vector, in scikit-learn's form
 * (lr_t = lr·√(1−β₂ᵗ)/(1−β₁ᵗ), θ −= lr_t·m/(√v + ε)). tf.train.adam runs ~15 small ops per
 * variable; one flat update is a fraction of that, which matters when per-op overhead
 * dominates small mini-batches on wasm.
 */
export class FlatAdam {
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  private readonly sizes: number[];
  private t = 0;

  constructor(
    private readonly params: tf.Variable[],
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.sizes = params.map((w) => w.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.m = tf.variable(tf.zeros([total]), false);
    this.v = tf.variable(tf.zeros([total]), false);
  }

  /** One update; `grads` are in the order of the parameters. */
  step(grads: tf.Tensor[]): void {
    this.t++;
    const lrT = (this.lr * Math.sqrt(1 - this.beta2 ** this.t)) / (1 - this.beta1 ** this.t);
    tf.tidy(() => {
      const g = tf.concat(grads.map((x) => tf.reshape(x, [-1])));
      const m = tf.add(tf.mul(this.m, this.beta1), tf.mul(g, 1 - this.beta1));
      const v = tf.add(tf.mul(this.v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
      this.m.assign(m);
      this.v.assign(v);
      const update = tf.mul(tf.div(m, tf.add(tf.sqrt(v), this.eps)), lrT);
      const parts = tf.split(update, this.sizes);
      this.params.forEach((w, i) => w.assign(tf.sub(w, tf.reshape(parts[i], w.shape))));
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
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
