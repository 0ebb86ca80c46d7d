import { describe, expect, it } from 'vitest';
import {
  DecisionTreeRegressor,
  GradientBoostingRegressor,
  RandomForestRegressor,
  TREE_FORMAT_VERSION,
} from '../../../src/models/tree/index.js';
import { float64FromBase64, int32FromBase64, int32ToBase64, noisyProblem } from './fixtures.js';

const { X, y } = noisyProblem(300, 4, 0.3, 31);
const test = noisyProblem(500, 4, 0, 32).X;

const families = [
  { name: 'DecisionTreeRegressor', make: () => new DecisionTreeRegressor({ maxDepth: 6 }), load: DecisionTreeRegressor.fromJSON },
  { name: 'RandomForestRegressor', make: () => new RandomForestRegressor({ nEstimators: 7, maxDepth: 5, maxFeatures: 'sqrt' }), load: RandomForestRegressor.fromJSON },
  { name: 'GradientBoostingRegressor', make: () => new GradientBoostingRegressor({ nEstimators: 9, maxDepth: 3, subsample: 0.7 }), load: GradientBoostingRegressor.fromJSON },
] as const;

type Saved = { className: string; formatVersion: number; state: Record<string, unknown> };
const firstTree = (saved: Saved): Record<string, string> =>
  ('tree' in saved.state ? saved.state.tree : (saved.state.trees as unknown[])[0]) as Record<string, string>;

describe.each(families)('$name save/load', ({ name, make, load }) => {
  const fitted = make().fit(X, y);
  const saved = (): Saved => JSON.parse(JSON.stringify(fitted.toJSON())) as Saved;

  it('round-trips through JSON text with identical predictions and params', () => {
    const loaded = load(saved());
    expect(Array.from(loaded.predict(test))).toEqual(Array.from(fitted.predict(test)));
    expect(loaded.getParams()).toEqual(fitted.getParams());
    expect(saved().className).toBe(name);
    expect(saved().formatVersion).toBe(TREE_FORMAT_VERSION);
  });

  it('saves thresholds and node values bit for bit', () => {
    const nodes = 'predictor' in fitted ? fitted.predictor.nodes : fitted.estimators[0].nodes;
    const t = firstTree(saved());
    expect(Array.from(int32FromBase64(t.feature))).toEqual(Array.from(nodes.feature));
    expect(Array.from(float64FromBase64(t.threshold))).toEqual(Array.from(nodes.threshold));
    expect(Array.from(float64FromBase64(t.value))).toEqual(Array.from(nodes.value));
    expect(nodes.feature.some((f) => f >= 0)).toBe(true);
  });

  it('rejects another format version', () => {
    expect(() => load({ ...saved(), formatVersion: TREE_FORMAT_VERSION + 1 })).toThrow(/formatVersion/);
  });

  it('rejects another class', () => {
    expect(() => load({ ...saved(), className: 'SomethingElse' })).toThrow(/className/);
  });

  it('rejects child indices that point outside the tree or backwards', () => {
    for (const bad of [9999, 0, -5]) {
      const s = saved();
      const t = firstTree(s);
      const left = int32FromBase64(t.left);
      left[0] = bad;
      t.left = int32ToBase64(left);
      expect(() => load(s), `left[0] = ${bad}`).toThrow(/child index/);
    }
  });

  it('rejects a split on a feature the model does not have', () => {
    const s = saved();
    const t = firstTree(s);
    const feature = int32FromBase64(t.feature);
    feature[0] = 4;
    t.feature = int32ToBase64(feature);
    expect(() => load(s)).toThrow(/feature 4/);
  });

  it('rejects arrays of mismatched length and non-base64 data', () => {
    const s = saved();
    const t = firstTree(s);
    t.value = t.value.slice(0, 8);
    expect(() => load(s)).toThrow(/value/);
    const s2 = saved();
    firstTree(s2).threshold = 'not base64!';
    expect(() => load(s2)).toThrow(/base64/);
  });
});

describe('ensemble save/load', () => {
  it('rejects a forest whose tree count disagrees with nEstimators', () => {
    const saved = new RandomForestRegressor({ nEstimators: 3, maxDepth: 2 }).fit(X, y).toJSON();
    saved.state.trees.pop();
    expect(() => RandomForestRegressor.fromJSON(saved)).toThrow(/nEstimators/);
  });

  it('rejects boosting state with a missing initial value', () => {
    const saved = JSON.parse(JSON.stringify(new GradientBoostingRegressor({ nEstimators: 2 }).fit(X, y).toJSON()));
    delete saved.state.init;
    expect(() => GradientBoostingRegressor.fromJSON(saved)).toThrow(/init/);
  });
});
