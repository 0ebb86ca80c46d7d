import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/domain/random.js';
import { FlatAdam, MLPRegressor, backprop, networkVariables, type MlpParams } from '../../src/models/mlp.js';
import type { Matrix, ModelArtifacts } from '../../src/models/types.js';
import { initTf } from '../../src/runtime/tfjs.js';

beforeAll(async () => {
  await initTf('wasm', () => {});
});

/** Points in [-1, 1]² labelled 1 inside the circle of radius 0.7: not linearly separable. */
function circle(n: number, seed: number): { X: Matrix; y: Float32Array } {
  const rnd = new Random(seed);
  const data = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rnd.nextFloat() * 2 - 1;
    const b = rnd.nextFloat() * 2 - 1;
    data[2 * i] = a;
    data[2 * i + 1] = b;
    y[i] = a * a + b * b < 0.49 ? 1 : 0;
  }
  return { X: { data, rows: n, cols: 2 }, y };
}

function mse(p: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i] - y[i]) ** 2;
  return s / y.length;
}

/** Artifacts as a store would hand them back: manifest through JSON, weights copied. */
function throughStore(a: ModelArtifacts): ModelArtifacts {
  const weights: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(a.weights)) weights[k] = Float32Array.from(v);
  return { manifest: JSON.parse(JSON.stringify(a.manifest)) as ModelArtifacts['manifest'], weights };
}

const quick: Partial<MlpParams> = { hiddenLayerSizes: [32, 16], learningRate: 0.01, maxIter: 120, seed: 3 };

describe('MLPRegressor', () => {
  const train = circle(1200, 1);
  const test = circle(400, 2);

  it('learns a nonlinear function far better than predicting the mean', async () => {
    const m = await new MLPRegressor(quick).fit(train.X, train.y);
    const meanY = train.y.reduce((a, b) => a + b, 0) / train.y.length;
    const baseline = mse(new Float32Array(test.y.length).fill(meanY), test.y);
    expect(mse(m.predict(test.X), test.y)).toBeLessThan(0.5 * baseline);
    m.dispose();
  });

  it('gives identical weights for the same seed and different ones for another seed', async () => {
    const p = { ...quick, maxIter: 15, earlyStopping: false };
    const a = await new MLPRegressor(p).fit(train.X, train.y);
    const b = await new MLPRegressor(p).fit(train.X, train.y);
    const c = await new MLPRegressor({ ...p, seed: 4 }).fit(train.X, train.y);
    expect(b.predict(test.X)).toEqual(a.predict(test.X));
    expect(c.predict(test.X)).not.toEqual(a.predict(test.X));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('stops early on pure noise, well before max_iter, and keeps its params', async () => {
    const rnd = new Random(9);
    const n = 800;
    const data = new Float32Array(n * 5).map(() => rnd.nextNormal());
    const y = new Float32Array(n).map(() => (rnd.nextFloat() < 0.13 ? 1 : 0));
    const params: Partial<MlpParams> = { hiddenLayerSizes: [16], learningRate: 0.01, maxIter: 500, nIterNoChange: 5, seed: 1 };
    const m = new MLPRegressor(params);
    const before = JSON.stringify(m.getParams());
    const epochs: number[] = [];
    await m.fit({ data, rows: n, cols: 5 }, y, { onEpoch: (e) => epochs.push(e.epoch) });
    expect(m.nIter).toBeLessThan(500);
    expect(epochs.length).toBe(m.nIter);
    expect(JSON.stringify(m.getParams())).toBe(before);
    m.dispose();
  });

  it('standardises with statistics of the training rows only (the validation tail is excluded)', async () => {
    // The last 10% of rows are the validation split; make them wildly different.
    const n = 200;
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = i < 180 ? i % 2 : 1000;
    const y = new Float32Array(n);
    const m = await new MLPRegressor({ hiddenLayerSizes: [4], maxIter: 2, seed: 1 }).fit({ data, rows: n, cols: 1 }, y);
    const man = m.toArtifacts().manifest;
    expect(man.scalerMean).toEqual([0.5]);
    expect(man.scalerScale).toEqual([0.5]);
    m.dispose();
  });

  it('saves to artifacts and loads back with identical predictions', async () => {
    const m = await new MLPRegressor({ ...quick, maxIter: 10, output: 'sigmoid' }).fit(train.X, train.y);
    const arts = m.toArtifacts();
    for (const w of Object.values(arts.weights)) expect(w).toBeInstanceOf(Float32Array);
    const loaded = MLPRegressor.fromArtifacts(throughStore(arts));
    expect(loaded.predict(test.X)).toEqual(m.predict(test.X));
    expect(loaded.getParams()).toEqual(m.getParams());
    // A damaged artefact is refused, not half-loaded.
    const broken = throughStore(arts);
    broken.weights.w0 = broken.weights.w0.slice(1);
    expect(() => MLPRegressor.fromArtifacts(broken)).toThrow(/w0/);
    expect(() => MLPRegressor.fromArtifacts({ ...arts, manifest: { ...arts.manifest, className: 'Other' } })).toThrow(/manifest\.className is "Other", expected "MLPRegressor"/);
    [m, loaded].forEach((x) => x.dispose());
  });

  it('refuses to predict before fit, and checks the feature count', async () => {
    expect(() => new MLPRegressor().predict(test.X)).toThrow(/not fitted/);
    const m = await new MLPRegressor({ ...quick, maxIter: 1 }).fit(train.X, train.y);
    expect(() => m.predict({ data: new Float32Array(3), rows: 1, cols: 3 })).toThrow(/2 features/);
    m.dispose();
  });

  it('computes the same gradients as tf autodiff', () => {
    for (const p of [
      { activation: 'relu', output: 'linear', alpha: 0.01 },
      { activation: 'tanh', output: 'sigmoid', alpha: 0 },
    ] as const) {
      const net = tf.sequential();
      net.add(tf.layers.dense({ units: 5, activation: p.activation, inputShape: [3], biasInitializer: 'randomNormal' }));
      net.add(tf.layers.dense({ units: 4, activation: p.activation, biasInitializer: 'randomNormal' }));
      net.add(tf.layers.dense({ units: 1, activation: p.output }));
      const vars = networkVariables(net);
      const x = tf.randomNormal([7, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
      const y = tf.randomUniform([7, 1], 0, 1, 'float32', 6) as tf.Tensor2D;
      const ours = backprop(vars, x, y, p);
      const dataLoss = () => tf.mean(tf.square(tf.sub(net.apply(x) as tf.Tensor, y))).div(2) as tf.Scalar;
      const auto = tf.variableGrads(() => {
        const l2 = tf.addN(vars.kernels.map((k) => tf.sum(tf.square(k)))).mul(p.alpha / (2 * 7));
        return tf.add(dataLoss(), l2) as tf.Scalar;
      }, vars.all);
      expect(ours.loss.dataSync()[0]).toBeCloseTo(dataLoss().dataSync()[0], 5);
      vars.all.forEach((v, i) => {
        const a = Array.from(ours.grads[i].dataSync());
        const b = Array.from(auto.grads[v.name].dataSync());
        a.forEach((g, k) => expect(g).toBeCloseTo(b[k], 5));
      });
      net.dispose();
    }
  });

  it('updates parameters with Adam as scikit-learn writes it (hand-computed two steps)', () => {
    const a = tf.variable(tf.tensor1d([1, -2]));
    const b = tf.variable(tf.tensor2d([[0.5]]));
    const adam = new FlatAdam([a, b], 0.1);
    const g1 = [0.2, -0.4, 1];
    const g2 = [0.1, 0.3, -1];
    adam.step([tf.tensor1d(g1.slice(0, 2)), tf.tensor2d([[g1[2]]])]);
    adam.step([tf.tensor1d(g2.slice(0, 2)), tf.tensor2d([[g2[2]]])]);
    // Independent scalar Adam, per coordinate.
    const expected = [1, -2, 0.5].map((theta0, i) => {
      let theta = theta0;
      let m = 0;
      let v = 0;
      [g1[i], g2[i]].forEach((g, k) => {
        const t = k + 1;
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        const lrT = (0.1 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
        theta -= (lrT * m) / (Math.sqrt(v) + 1e-8);
      });
      return theta;
    });
    const got = [...Array.from(a.dataSync()), ...Array.from(b.dataSync())];
    got.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 5));
    expect(b.shape).toEqual([1, 1]);
    adam.dispose();
    a.dispose();
    b.dispose();
  });
});
