// The estimator contract every tree family follows (scikit-learn style).
import { describe, expect, it } from 'vitest';
import { DecisionTreeRegressor, GradientBoostingRegressor, RandomForestRegressor } from '../../../src/models/tree/index.js';
import { makeMatrix } from '../../../src/models/types.js';
import { noisyProblem } from './fixtures.js';

const { X, y } = noisyProblem(200, 3, 0.3, 41);

const families = [
  { name: 'DecisionTreeRegressor', make: (p: object = {}) => new DecisionTreeRegressor({ maxDepth: 4, ...p }) },
  { name: 'RandomForestRegressor', make: (p: object = {}) => new RandomForestRegressor({ nEstimators: 5, maxDepth: 4, maxFeatures: 'sqrt', ...p }) },
  { name: 'GradientBoostingRegressor', make: (p: object = {}) => new GradientBoostingRegressor({ nEstimators: 5, maxDepth: 3, subsample: 0.8, ...p }) },
] as const;

describe.each(families)('$name contract', ({ make }) => {
  it('fit returns the model and leaves params (and the caller\'s objects) unchanged', () => {
    const m = make();
    const before = JSON.stringify(m.getParams());
    const xCopy = X.data.slice();
    const yCopy = y.slice();
    expect(m.fit(X, y)).toBe(m);
    expect(JSON.stringify(m.getParams())).toBe(before);
    expect(Array.from(X.data)).toEqual(Array.from(xCopy));
    expect(Array.from(y)).toEqual(Array.from(yCopy));
  });

  it('getParams returns plain JSON that rebuilds an equivalent model', () => {
    const m = make();
    const params = m.getParams();
    expect(JSON.parse(JSON.stringify(params))).toEqual(params);
    const a = m.fit(X, y).predict(X);
    const b = m.clone().fit(X, y).predict(X);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('clone is unfitted', () => {
    const m = make().fit(X, y);
    expect(m.clone().isFitted).toBe(false);
    expect(() => m.clone().predict(X)).toThrow(/not fitted/);
  });

  it('predict and toJSON before fit throw a clear error', () => {
    expect(() => make().predict(X)).toThrow(/not fitted.*fit\(X, y\)/);
    expect(() => make().toJSON()).toThrow(/not fitted/);
  });

  it('rejects mismatched shapes, non-finite values and a wrong feature count', () => {
    expect(() => make().fit(X, y.slice(1))).toThrow(/y has 199 values but X has 200 rows/);
    expect(() => make().fit({ ...X, rows: 201 }, y)).toThrow(/rows×cols/);
    const nanX = { ...X, data: X.data.slice() };
    nanX.data[7] = Number.NaN;
    expect(() => make().fit(nanX, y)).toThrow(/non-finite value NaN at row 2, column 1/);
    const nanY = y.slice();
    nanY[3] = Number.POSITIVE_INFINITY;
    expect(() => make().fit(X, nanY)).toThrow(/y has a non-finite value Infinity at index 3/);
    const m = make().fit(X, y);
    expect(() => m.predict(makeMatrix(2, 4))).toThrow(/4 features but the model was fitted with 3/);
    expect(() => m.predict(nanX)).toThrow(/non-finite/);
  });

  it('rejects invalid params at fit, naming each one', () => {
    expect(() => make({ maxDepth: -1, minSamplesLeaf: 0 }).fit(X, y)).toThrow(/maxDepth.*minSamplesLeaf/);
    expect(() => make({ maxFeatures: 1.5 }).fit(X, y)).toThrow(/maxFeatures/);
  });

  it('gives the same output for the same seed', () => {
    const a = make({ seed: 5 }).fit(X, y).predict(X);
    const b = make({ seed: 5 }).fit(X, y).predict(X);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
