import { describe, expect, it } from 'vitest';
import { DecisionTreeRegressor } from '../../../src/models/tree/index.js';
import { makeMatrix } from '../../../src/models/types.js';
import { matrixOf, mse, noisyProblem, savedTreeDepth, targetOf, uniformMatrix } from './fixtures.js';

describe('DecisionTreeRegressor (histogram CART)', () => {
  it('learns a step function exactly with one split between the two groups', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i / 100);
    const X = matrixOf(xs.map((x) => [x]));
    const y = Float32Array.from(xs, (x) => (x > 0.5 ? 1 : 0));
    const tree = new DecisionTreeRegressor({ maxDepth: 1 }).fit(X, y);
    const { feature, threshold, left, right, value } = tree.predictor.nodes;
    expect(tree.predictor.nodeCount).toBe(3);
    expect(feature[0]).toBe(0);
    // Largest x of the 0-group is 0.50, smallest of the 1-group is 0.51 (as float32).
    expect(threshold[0]).toBeGreaterThan(0.5);
    expect(threshold[0]).toBeLessThan(Math.fround(0.51));
    expect(value[left[0]]).toBeCloseTo(0, 12);
    expect(value[right[0]]).toBeCloseTo(1, 12);
    expect(Array.from(tree.predict(X))).toEqual(Array.from(y));
  });

  it('splits on the informative feature when the others are noise', () => {
    const X = uniformMatrix(300, 5, 1);
    const y = targetOf(X, (x) => (x(2) > 0.3 ? 2 : -1));
    const tree = new DecisionTreeRegressor({ maxDepth: 1 }).fit(X, y);
    const { feature, threshold } = tree.predictor.nodes;
    expect(feature[0]).toBe(2);
    let maxLow = -Infinity;
    let minHigh = Infinity;
    for (let r = 0; r < X.rows; r++) {
      const v = X.data[r * 5 + 2];
      if (v <= 0.3) maxLow = Math.max(maxLow, v);
      else minHigh = Math.min(minHigh, v);
    }
    expect(threshold[0]).toBeGreaterThanOrEqual(maxLow);
    expect(threshold[0]).toBeLessThan(minHigh);
    expect(mse(tree.predict(X), y)).toBeLessThan(1e-12);
  });

  it('reproduces an XOR-like piecewise constant function with depth 2', () => {
    // Grid: x0 half low / half high; x1 30% low. The XOR target then favours x0 at the root,
    // and each half is split on x1 — a depth-2 tree that is exact.
    const x0s = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95];
    const x1s = [0.1, 0.2, 0.3, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];
    const xor = (a: number, b: number) => ((a > 0.5) !== (b > 0.5) ? 1 : 0);
    const X = matrixOf(x0s.flatMap((a) => x1s.map((b) => [a, b])));
    const y = targetOf(X, (x) => xor(x(0), x(1)));
    const stump = new DecisionTreeRegressor({ maxDepth: 1 }).fit(X, y);
    expect(mse(stump.predict(X), y)).toBeGreaterThan(0.1);
    const tree = new DecisionTreeRegressor({ maxDepth: 2 }).fit(X, y);
    expect(mse(tree.predict(X), y)).toBeLessThan(1e-12);
    const fresh = matrixOf([[0.2, 0.2], [0.2, 0.95], [0.8, 0.15], [0.9, 0.7]]);
    expect(Array.from(tree.predict(fresh)).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 1, 1, 0]);
  });

  it('keeps at least minSamplesLeaf training rows in every leaf', () => {
    const { X, y } = noisyProblem(300, 3, 0.3, 2);
    const countsPerLeaf = (minSamplesLeaf: number) => {
      const tree = new DecisionTreeRegressor({ minSamplesLeaf }).fit(X, y);
      const counts = new Map<number, number>();
      for (const leaf of tree.predictor.apply(X)) counts.set(leaf, (counts.get(leaf) ?? 0) + 1);
      return [...counts.values()];
    };
    expect(Math.min(...countsPerLeaf(1))).toBeLessThan(17); // the constraint matters here
    const counts = countsPerLeaf(17);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(17);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
  });

  it('never grows deeper than maxDepth (checked on the saved tree)', () => {
    const { X, y } = noisyProblem(500, 4, 0.5, 3);
    for (const maxDepth of [0, 1, 3, 6]) {
      const saved = new DecisionTreeRegressor({ maxDepth }).fit(X, y).toJSON();
      expect(savedTreeDepth(saved.state.tree)).toBe(maxDepth); // noisy data: every level is used
    }
    const unlimited = new DecisionTreeRegressor({ maxDepth: null }).fit(X, y);
    expect(unlimited.predictor.depth()).toBeGreaterThan(6);
    // Unlimited depth with one-row leaves interpolates the (distinct-x) training data.
    expect(mse(unlimited.predict(X), y)).toBeLessThan(1e-10);
  });

  it('never splits on a constant feature and predicts the mean when nothing varies', () => {
    const X = uniformMatrix(200, 3, 4);
    for (let r = 0; r < 200; r++) X.data[r * 3 + 1] = 5;
    const y = targetOf(X, (x) => x(0) + x(2));
    const tree = new DecisionTreeRegressor({ maxDepth: 8 }).fit(X, y);
    const used = new Set(tree.predictor.nodes.feature.filter((f) => f >= 0));
    expect(used.has(1)).toBe(false);
    expect(used.size).toBe(2);

    const constant = makeMatrix(50, 2, new Float32Array(100).fill(3));
    const yc = Float32Array.from({ length: 50 }, (_, i) => i % 2);
    const flat = new DecisionTreeRegressor().fit(constant, yc);
    expect(flat.predictor.nodeCount).toBe(1);
    expect(flat.predict(makeMatrix(1, 2, Float32Array.from([0, 10])))[0]).toBeCloseTo(0.5, 6);
  });

  it('does not split a node whose targets are all equal', () => {
    const X = uniformMatrix(100, 2, 5);
    const y = new Float32Array(100).fill(0.37);
    const tree = new DecisionTreeRegressor().fit(X, y);
    expect(tree.predictor.nodeCount).toBe(1);
    expect(tree.predict(X)[0]).toBeCloseTo(0.37, 6);
  });

  it('reports feature importances that favour the informative feature and sum to 1', () => {
    const X = uniformMatrix(400, 4, 6);
    const y = targetOf(X, (x) => 3 * x(1) + 0.1 * x(3));
    const imp = new DecisionTreeRegressor({ maxDepth: 5 }).fit(X, y).featureImportances();
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(imp[1]).toBeGreaterThan(0.9);
  });
});

describe('TreePredictor', () => {
  it('routes x ≤ threshold left and x > threshold right, whatever the node order', async () => {
    const { TreePredictor } = await import('../../../src/models/tree/predictor.js');
    // Root splits feature 1 at 0.5; its right child (stored first) splits feature 0 at −1.
    const nodes = {
      feature: Int32Array.from([1, 0, -1, -1, -1]),
      threshold: Float64Array.from([0.5, -1, 0, 0, 0]),
      left: Int32Array.from([2, 3, -1, -1, -1]),
      right: Int32Array.from([1, 4, -1, -1, -1]),
      value: Float64Array.from([0, 0, 10, 20, 30]),
      gain: new Float64Array(5),
    };
    const tree = TreePredictor.fromNodes(nodes, 2);
    const X = makeMatrix(5, 2, Float32Array.from([0, 0.5, 0, 0.6, -1, 0.6, -2, 9, 5, -3]));
    expect(Array.from(tree.predict(X))).toEqual([10, 30, 20, 20, 10]);
    expect(tree.depth()).toBe(2);
    // The same tree in the grower's layout (children consecutive) predicts the same.
    const consecutive = TreePredictor.fromNodes(
      { ...nodes, left: Int32Array.from([1, -1, 3, -1, -1]), right: Int32Array.from([2, -1, 4, -1, -1]),
        feature: Int32Array.from([1, -1, 0, -1, -1]), threshold: Float64Array.from([0.5, 0, -1, 0, 0]), value: Float64Array.from([0, 10, 0, 20, 30]) },
      2,
    );
    expect(Array.from(consecutive.predict(X))).toEqual([10, 30, 20, 20, 10]);
  });
});
