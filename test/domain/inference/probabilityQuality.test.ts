import { describe, expect, it } from 'vitest';
import { binaryLogLoss as modelsLogLoss } from '../../../src/models/metrics.js';
import { brier, calibrationBins, calibrationPairs, logLoss, UNIFORM_BRIER, UNIFORM_LOG_LOSS } from '../../../src/domain/inference/index.js';

const uniform = new Array(45).fill(6 / 45);

describe('probability quality', () => {
  it('uniform 6/45 scores: log-loss −(6 ln p + 39 ln(1−p))/45 and Brier p(1−p), the same for any draw', () => {
    const p = 6 / 45;
    expect(UNIFORM_LOG_LOSS).toBeCloseTo(-(6 * Math.log(p) + 39 * Math.log(1 - p)) / 45, 15);
    expect(UNIFORM_LOG_LOSS).toBeCloseTo(0.3927, 4);
    expect(logLoss(uniform, [1, 2, 3, 4, 5, 6])).toBeCloseTo(UNIFORM_LOG_LOSS, 14);
    expect(brier(uniform, [40, 41, 42, 43, 44, 45])).toBeCloseTo(UNIFORM_BRIER, 14);
    // The models' held-out figures use the very same function.
    expect(modelsLogLoss).toBe(logLoss);
  });

  it('a hand-computed case: p = 1/2 on the six drawn numbers, 0 elsewhere (clipped)', () => {
    const probs = new Array(45).fill(0);
    for (const n of [1, 2, 3, 4, 5, 6]) probs[n - 1] = 0.5;
    expect(brier(probs, [1, 2, 3, 4, 5, 6])).toBeCloseTo((6 * 0.25) / 45, 15);
    expect(logLoss(probs, [1, 2, 3, 4, 5, 6])).toBeCloseTo((6 * Math.log(2) - 39 * Math.log(1 - 1e-7)) / 45, 12);
  });

  it('calibration bins: equal-count quantile bins with mean prediction and hit rate', () => {
    const pairs = [
      [0.1, 0],
      [0.2, 0],
      [0.3, 1],
      [0.4, 0],
      [0.6, 1],
      [0.7, 1],
      [0.8, 0],
      [0.9, 1],
    ] as const;
    const bins = calibrationBins(pairs, 2);
    expect(bins.map((b) => b.count)).toEqual([4, 4]);
    expect(bins[0].meanPredicted).toBeCloseTo(0.25, 15);
    expect(bins[0].observedRate).toBeCloseTo(0.25, 15);
    expect(bins[1].meanPredicted).toBeCloseTo(0.75, 15);
    expect(bins[1].observedRate).toBeCloseTo(0.75, 15);
    // Wilson 95% interval for 1 of 4: python3 -c "from statsmodels..." unavailable; by hand:
    // centre (0.25 + z²/8)/(1 + z²/4), half z·sqrt(0.25·0.75/4 + z²/64)/(1 + z²/4), z = 1.96.
    const z = 1.959963984540054;
    const d = 1 + (z * z) / 4;
    expect(bins[0].observedLow).toBeCloseTo((0.25 + (z * z) / 8 - z * Math.sqrt(0.1875 / 4 + (z * z) / 64)) / d, 12);
    const uni = calibrationBins(pairs, 10, 'uniform');
    expect(uni.reduce((s, b) => s + b.count, 0)).toBe(8);
    expect(uni.every((b) => Math.floor(b.lower * 10) === Math.floor(b.upper * 10))).toBe(true);
    expect(calibrationPairs(uniform, [1, 2, 3, 4, 5, 6]).filter(([, y]) => y === 1)).toHaveLength(6);
  });
});
