// The uniform floor of tiers 4–5: winners = auto tickets (the same for every combination) plus
// manual ones (popularity-weighted). The fit must recover a known floor, and the model's tier 4–5
// ratios must respect it while averaging 1.
import { describe, expect, it } from 'vitest';
import { fitNegativeBinomial, fitNegativeBinomialWithFloor } from '../../../src/models/popularity/glm.js';
import { PopularityModel } from '../../../src/models/popularity/model.js';
import { fixtureRounds } from './fixture.js';

describe('negative-binomial fit with a uniform floor', () => {
  it('recovers a known floor and coefficients from counts μ = e^o·(A + e^(x·β)), which a log-linear fit cannot match', () => {
    const rows = 400;
    const cols = 3;
    const x = new Float64Array(rows * cols);
    const offset = new Float64Array(rows);
    const y = new Float64Array(rows);
    const beta = [0.8, -0.5, 0];
    const A = 2;
    for (let i = 0; i < rows; i++) {
      x[i * cols] = (i % 7) / 3;
      x[i * cols + 1] = ((i * 5) % 11) / 5;
      x[i * cols + 2] = 1;
      offset[i] = Math.log(1000 + (i % 13) * 50);
      const m = Math.exp(beta[0] * x[i * cols] + beta[1] * x[i * cols + 1] + beta[2]);
      y[i] = Math.exp(offset[i]) * (A + m);
    }
    const data = { x, rows, cols, y, offset };
    const opts = { ridge: 1e-6, unpenalised: [2], maxIter: 200 };
    const start = fitNegativeBinomial(data, opts);
    const fit = fitNegativeBinomialWithFloor(data, opts, start.beta, start.beta[2] + Math.log(0.5), start.alpha);
    expect(Math.exp(fit.logFloor)).toBeCloseTo(A, 2);
    expect(fit.beta[0]).toBeCloseTo(beta[0], 2);
    expect(fit.beta[1]).toBeCloseTo(beta[1], 2);
    // The log-linear fit's coefficients are flattened by the floor it cannot represent.
    expect(start.beta[0]).toBeLessThan(beta[0] - 0.1);
  });
});

describe('PopularityModel with floors on tiers 4 and 5 (the default)', () => {
  const rounds = fixtureRounds();
  const model = new PopularityModel({ normalizationSamples: 4000, maxIter: 20 }).fit(rounds);
  const s = model.scorer(rounds);

  it('fits a floor on tiers 4–5 only, and no tier-4/5 ratio falls below the floor share A/(A + mean manual weight)', () => {
    expect(model.tiers.map((t) => t.logFloor !== null)).toEqual([false, false, false, true, true]);
    for (const k of [3, 4]) {
      const t = model.tiers[k];
      const A = Math.exp(t.logFloor as number);
      const floorShare = A / (A + Math.exp(t.intercept + s.logZ[k]));
      expect(floorShare).toBeGreaterThan(0.05);
      expect(floorShare).toBeLessThan(1);
      for (const c of [[1, 2, 3, 4, 5, 6], [34, 36, 39, 41, 43, 45], [7, 14, 21, 28, 35, 42], [2, 13, 24, 30, 37, 44]]) expect(s.ratio(c)[k]).toBeGreaterThan(floorShare);
    }
  });

  it('a model without floors scores tiers 4–5 log-linearly; tiers 1–3 are the same with or without', () => {
    const plain = new PopularityModel({ normalizationSamples: 4000, maxIter: 20, floor: [false, false, false, false, false] }).fit(rounds);
    const p = plain.scorer(rounds);
    expect(plain.tiers.every((t) => t.logFloor === null)).toBe(true);
    expect(p.logFloor).toEqual([null, null, null, null, null]);
    expect(p.ratio([3, 11, 19, 27, 35, 43])[3]).not.toBe(s.ratio([3, 11, 19, 27, 35, 43])[3]);
    // Tiers 1–3 borrow the anchor's log-linear coefficients either way, so they do not change.
    expect(s.ratio([3, 11, 19, 27, 35, 43]).slice(0, 3)).toEqual(p.ratio([3, 11, 19, 27, 35, 43]).slice(0, 3));
  });
});
