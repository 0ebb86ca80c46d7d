import { describe, expect, it } from 'vitest';
import { DecisionTreeRegressor, RandomForestRegressor } from '../../../src/models/tree/index.js';
import { mse, noisyProblem, savedTreeDepth } from './fixtures.js';

describe('RandomForestRegressor', () => {
  const { X, y } = noisyProblem(400, 5, 0.5, 11);
  const test = noisyProblem(2000, 5, 0, 12); // clean targets: error vs the true function

  it('gives identical predictions for the same seed and different ones for another seed', () => {
    const params = { nEstimators: 10, maxDepth: 6, maxFeatures: 'sqrt' as const };
    const a = new RandomForestRegressor({ ...params, seed: 7 }).fit(X, y).predict(test.X);
    const b = new RandomForestRegressor({ ...params, seed: 7 }).fit(X, y).predict(test.X);
    const c = new RandomForestRegressor({ ...params, seed: 8 }).fit(X, y).predict(test.X);
    expect(Array.from(a)).toEqual(Array.from(b));
    let differing = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== c[i]) differing++;
    expect(differing).toBeGreaterThan(test.X.rows / 2);
  });

  it('with one tree, no bootstrap and all features equals a single CART', () => {
    const forest = new RandomForestRegressor({ nEstimators: 1, bootstrap: false, maxFeatures: 'all', maxDepth: 7, minSamplesLeaf: 3 }).fit(X, y);
    const tree = new DecisionTreeRegressor({ maxDepth: 7, minSamplesLeaf: 3 }).fit(X, y);
    expect(Array.from(forest.predict(test.X))).toEqual(Array.from(tree.predict(test.X)));
    expect(forest.toJSON().state.trees[0]).toEqual(tree.toJSON().state.tree);
  });

  it('reduces test error compared with a single fully grown tree on a noisy problem', () => {
    const single = new DecisionTreeRegressor({ maxDepth: null }).fit(X, y);
    const forest = new RandomForestRegressor({ nEstimators: 60, maxDepth: null, seed: 3 }).fit(X, y);
    const treeErr = mse(single.predict(test.X), test.y);
    const forestErr = mse(forest.predict(test.X), test.y);
    expect(forestErr).toBeLessThan(0.6 * treeErr);
  });

  it('predicts the average of its trees', () => {
    const forest = new RandomForestRegressor({ nEstimators: 5, maxDepth: 4, seed: 1 }).fit(X, y);
    const out = forest.predict(test.X);
    const per = forest.estimators.map((t) => t.predict(test.X));
    for (let r = 0; r < 50; r++) {
      const avg = per.reduce((s, p) => s + p[r], 0) / per.length;
      expect(out[r]).toBeCloseTo(avg, 5);
    }
  });

  it('respects maxDepth in every saved tree and bootstraps each tree differently', () => {
    const saved = new RandomForestRegressor({ nEstimators: 8, maxDepth: 3, seed: 2 }).fit(X, y).toJSON();
    for (const t of saved.state.trees) expect(savedTreeDepth(t)).toBe(3);
    expect(new Set(saved.state.trees.map((t) => t.threshold)).size).toBe(8);
  });

  it('with feature subsampling, draws features per split so that different features get used', () => {
    // Without bootstrap, only the feature draws differ between trees.
    const forest = new RandomForestRegressor({ nEstimators: 20, maxDepth: 1, bootstrap: false, maxFeatures: 0.2, seed: 4 }).fit(X, y);
    const rootFeatures = new Set(forest.estimators.map((t) => t.nodes.feature[0]));
    expect(rootFeatures.size).toBeGreaterThan(1);
    const all = new RandomForestRegressor({ nEstimators: 5, maxDepth: 1, bootstrap: false, maxFeatures: 'all' }).fit(X, y);
    expect(new Set(all.estimators.map((t) => t.nodes.feature[0])).size).toBe(1);
  });

  it('learns a 0/1 target as a probability in [0, 1]', () => {
    const yb = Float32Array.from(y, (v, i) => (v + 0.3 * Math.sin(i) > 0.5 ? 1 : 0));
    const p = new RandomForestRegressor({ nEstimators: 10, maxDepth: 5 }).fit(X, yb).predict(test.X);
    for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
  });
});
