import { describe, expect, it } from 'vitest';
import { binaryLogLoss, brierScore, scoreProbabilities, uniformBaselineBrier, uniformBaselineLogLoss } from '../../src/models/metrics.js';
import { calibrateToSix, uniformProbabilities } from '../../src/models/probabilities.js';

const DRAWN = [3, 10, 17, 24, 31, 45];

describe('probability metrics', () => {
  it('score a perfect prediction as (near) zero and a fully wrong one as worst', () => {
    const perfect = new Float64Array(45);
    for (const n of DRAWN) perfect[n - 1] = 1;
    expect(brierScore(perfect, DRAWN)).toBe(0);
    expect(binaryLogLoss(perfect, DRAWN)).toBeLessThan(1e-6);
    const wrong = new Float64Array(45).fill(1);
    for (const n of DRAWN) wrong[n - 1] = 0;
    expect(brierScore(wrong, DRAWN)).toBe(1);
  });

  it('give the chance baseline p(1−p) Brier and its binary entropy as log-loss', () => {
    const p = 6 / 45;
    expect(uniformBaselineBrier()).toBeCloseTo(p * (1 - p), 12);
    expect(uniformBaselineLogLoss()).toBeCloseTo(-(p * Math.log(p) + (1 - p) * Math.log(1 - p)), 12);
    expect(binaryLogLoss(uniformProbabilities(), DRAWN)).toBeCloseTo(uniformBaselineLogLoss(), 12);
  });

  it('average over draws and reject malformed input', () => {
    const s = scoreProbabilities([uniformProbabilities(), uniformProbabilities()], [DRAWN, [1, 2, 3, 4, 5, 6]]);
    expect(s.draws).toBe(2);
    expect(s.brier).toBeCloseTo(s.uniformBrier, 12);
    expect(() => brierScore(new Float64Array(44), DRAWN)).toThrow(/45/);
    expect(() => binaryLogLoss(uniformProbabilities(), [0])).toThrow(/1\.\.45/);
  });
});

describe('calibrateToSix', () => {
  it('scales a next-number distribution by 6 when nothing exceeds 1/6', () => {
    const dist = Array.from({ length: 45 }, (_, i) => (i + 1) / ((45 * 46) / 2));
    const p = calibrateToSix(dist);
    dist.forEach((d, i) => expect(p[i]).toBeCloseTo(6 * d, 12));
  });

  it('caps a dominant number at 1 and spreads the excess so the total stays 6', () => {
    const dist = new Array(45).fill(0.5 / 44);
    dist[0] = 0.5; // 6 × 0.5 = 3 → capped at 1; the other 5 go to the 44 others equally
    const p = calibrateToSix(dist);
    expect(p[0]).toBe(1);
    for (let i = 1; i < 45; i++) expect(p[i]).toBeCloseTo(5 / 44, 12);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(6, 12);
  });
});
