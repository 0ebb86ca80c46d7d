/** Confidence intervals for a mean (e.g. matches per set, one value per draw). */
import type { Random } from '../random.js';
import { studentTQuantile } from './distributions.js';

export interface MeanInterval {
  mean: number;
  lower: number;
  upper: number;
  level: number;
  n: number;
  method: 't' | 'bootstrap-percentile';
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/** Student-t interval mean ± t(1−α/2, n−1)·s/√n. */
export function tMeanInterval(values: ArrayLike<number>, level = 0.95): MeanInterval {
  const n = values.length;
  if (n < 2) throw new Error(`a t interval needs at least 2 values, got ${n}`);
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - m) ** 2;
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(ss / (n - 1) / n);
  return { mean: m, lower: m - half, upper: m + half, level, n, method: 't' };
}

/**
 * Seeded percentile bootstrap over the values (resampling whole draws, so the
 * correlation between one draw's sets is kept when `values` are per-draw means).
 */
export function bootstrapMeanInterval(values: ArrayLike<number>, options: { random: Random; resamples?: number; level?: number }): MeanInterval {
  const n = values.length;
  if (n < 2) throw new Error(`a bootstrap interval needs at least 2 values, got ${n}`);
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[options.random.nextInt(n)];
    means[r] = s / n;
  }
  means.sort();
  const alpha = (1 - level) / 2;
  // Type-7 quantiles (linear interpolation), as numpy's default.
  const q = (p: number): number => {
    const h = (resamples - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(resamples - 1, lo + 1);
    return means[lo] + (h - lo) * (means[hi] - means[lo]);
  };
  return { mean: mean(values), lower: q(alpha), upper: q(1 - alpha), level, n, method: 'bootstrap-percentile' };
}
