import { describe, expect, it } from 'vitest';
import { DecisionTreeRegressor, GradientBoostingRegressor } from '../../../src/models/tree/index.js';
import { mse, noisyProblem, savedTreeDepth, targetOf, uniformMatrix } from './fixtures.js';

describe('GradientBoostingRegressor (squared loss)', () => {
  it('fits an additive function of two step functions to near-zero training error with stumps', () => {
    const X = uniformMatrix(400, 3, 21);
    const y = targetOf(X, (x) => (x(0) > 0.3 ? 2 : 0) + (x(1) > 0.7 ? -1 : 0));
    // Learning rate 1: stumps alternate between the two features (backfitting), and the
    // error shrinks geometrically; smaller rates get there too, only more slowly.
    const gb = new GradientBoostingRegressor({ nEstimators: 30, learningRate: 1, maxDepth: 1 }).fit(X, y);
    expect(mse(gb.predict(X), y)).toBeLessThan(1e-10);
    const used = new Set(gb.estimators.map((t) => t.nodes.feature[0]));
    expect([...used].sort()).toEqual([0, 1]);
    for (const t of gb.toJSON().state.trees) expect(savedTreeDepth(t)).toBeLessThanOrEqual(1);
  });

  it('with learning rate 1 and one stage equals the mean plus one tree fitted to y − mean', () => {
    const { X, y } = noisyProblem(300, 4, 0.3, 22);
    const m = y.reduce((a, b) => a + b, 0) / y.length;
    const gb = new GradientBoostingRegressor({ nEstimators: 1, learningRate: 1, maxDepth: 3 }).fit(X, y);
    const tree = new DecisionTreeRegressor({ maxDepth: 3 }).fit(X, y.map((v) => v - m));
    expect(gb.init).toBeCloseTo(m, 6);
    const test = noisyProblem(200, 4, 0, 23).X;
    const a = gb.predict(test);
    const b = tree.predict(test);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] + m, 5);
    const gt = gb.estimators[0].nodes;
    const tt = tree.predictor.nodes;
    expect(Array.from(gt.feature)).toEqual(Array.from(tt.feature));
    expect(Array.from(gt.threshold)).toEqual(Array.from(tt.threshold));
  });

  it('never increases the training loss from one stage to the next', () => {
    const { X, y } = noisyProblem(500, 5, 0.4, 24);
    const gb = new GradientBoostingRegressor({ nEstimators: 40, learningRate: 0.1, maxDepth: 3 }).fit(X, y);
    const loss = gb.trainLoss;
    const m = y.reduce((a, b) => a + b, 0) / y.length;
    const variance = y.reduce((a, b) => a + (b - m) ** 2, 0) / y.length;
    expect(loss[0]).toBeLessThan(variance);
    for (let i = 1; i < loss.length; i++) expect(loss[i]).toBeLessThanOrEqual(loss[i - 1] + 1e-12);
    expect(loss[loss.length - 1]).toBeLessThan(0.5 * variance);
    // The recorded loss is the MSE of the model's own predictions on the training rows.
    expect(mse(gb.predict(X), y)).toBeCloseTo(loss[loss.length - 1], 6);
  });

  it('shrinks each stage by the learning rate', () => {
    const { X, y } = noisyProblem(200, 3, 0.2, 25);
    const full = new GradientBoostingRegressor({ nEstimators: 1, learningRate: 1, maxDepth: 2 }).fit(X, y);
    const shrunk = new GradientBoostingRegressor({ nEstimators: 1, learningRate: 0.1, maxDepth: 2 }).fit(X, y);
    const a = full.estimators[0].nodes.value;
    const b = shrunk.estimators[0].nodes.value;
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(0.1 * a[i], 9);
  });

  it('with subsample < 1 is reproducible per seed, differs across seeds and still fits', () => {
    const { X, y } = noisyProblem(400, 4, 0.3, 26);
    const fit = (seed: number) => new GradientBoostingRegressor({ nEstimators: 30, maxDepth: 3, subsample: 0.5, seed }).fit(X, y);
    const a = fit(1);
    expect(Array.from(a.predict(X))).toEqual(Array.from(fit(1).predict(X)));
    expect(Array.from(a.predict(X))).not.toEqual(Array.from(fit(2).predict(X)));
    // Rows outside a stage's subsample are updated too: the recorded loss matches predict().
    expect(mse(a.predict(X), y)).toBeCloseTo(a.trainLoss[29], 6);
    expect(a.trainLoss[29]).toBeLessThan(a.trainLoss[0]);
  });

  it('generalises on a noisy problem better than predicting the mean', () => {
    const { X, y } = noisyProblem(600, 5, 0.5, 27);
    const test = noisyProblem(1000, 5, 0, 28);
    const gb = new GradientBoostingRegressor({ nEstimators: 100, learningRate: 0.1, maxDepth: 3 }).fit(X, y);
    const m = y.reduce((a, b) => a + b, 0) / y.length;
    const baseline = test.y.reduce((a, b) => a + (b - m) ** 2, 0) / test.y.length;
    expect(mse(gb.predict(test.X), test.y)).toBeLessThan(0.3 * baseline);
  });
});
