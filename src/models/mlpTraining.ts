// The MLP's training arithmetic on tfjs: the network, the input scaler, explicit backpropagation and a flat Adam.
import * as tf from '@tensorflow/tfjs';
import { Random } from '../domain/random.js';
import type { MlpParams } from './mlpParams.js';
import type { Matrix } from './types.js';

export function buildNetwork(p: MlpParams, nFeatures: number): tf.Sequential {
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
export function fitScaler(X: Matrix, rows: number): { mean: Float64Array; scale: Float64Array } {
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

export function standardise(X: Matrix, from: number, to: number, mean: Float64Array, scale: Float64Array): Float32Array {
  const { cols, data } = X;
  const out = new Float32Array((to - from) * cols);
  for (let r = from; r < to; r++) {
    const o = (r - from) * cols;
    const i = r * cols;
    for (let c = 0; c < cols; c++) out[o + c] = (data[i + c] - mean[c]) / scale[c];
  }
  return out;
}

export function variance(y: Float32Array): number {
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
