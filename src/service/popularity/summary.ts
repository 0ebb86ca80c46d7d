/**
 * The backtest summary defined by issue 14, per tier: Pearson correlation between log predicted
 * ratio and the realized log ratio minus the median realized log ratio of the 52 rounds before
 * (seeded bootstrap 95% interval, seeded permutation p), Spearman, calibration by predicted
 * decile, and realized ratio / prize per winner in the least and most popular predicted quintile.
 */
import { Random } from '../../domain/random.js';

export interface TierPoint {
  round: number;
  /** log predicted ratio (model normalised to mean 1 over combinations). */
  logPredicted: number;
  /** log((winners + 0.5) / E) − median of the same over the 52 rounds before. */
  logRealizedCentred: number;
  predicted: number;
  /** Predicted winners / E for this round (ratio times the causal level). */
  expected: number;
  realized: number;
  prizeEach: number | null;
}

export interface Interval {
  low: number;
  high: number;
}

export interface TierSummary {
  n: number;
  pearson: number;
  pearson_ci95: Interval;
  permutation_p: number;
  spearman: number;
  calibration: Array<{ decile: number; n: number; mean_expected_ratio: number; mean_realized_ratio: number; mean_predicted_ratio: number }>;
  least_popular_quintile: { n: number; mean_predicted_ratio: number; mean_realized_ratio: number; mean_prize_each_won: number | null };
  most_popular_quintile: { n: number; mean_predicted_ratio: number; mean_realized_ratio: number; mean_prize_each_won: number | null };
  /** All five predicted quintiles, least popular first. */
  quintiles: Array<{ quintile: number; n: number; mean_predicted_ratio: number; mean_realized_ratio: number; mean_prize_each_won: number | null }>;
  /** most popular quintile's mean realized ratio ÷ least popular's. */
  quintile_ratio: number;
}

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i] - mx;
    const b = y[i] - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

function ranks(x: readonly number[]): number[] {
  const idx = x.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(x.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    for (let k = i; k <= j; k++) r[idx[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

export const spearman = (x: readonly number[], y: readonly number[]): number => pearson(ranks(x), ranks(y));

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export function summarizeTier(points: readonly TierPoint[], opts: { seed: number; bootstrap: number; permutations: number }): TierSummary {
  const n = points.length;
  const x = points.map((p) => p.logPredicted);
  const y = points.map((p) => p.logRealizedCentred);
  const r = pearson(x, y);
  const rng = new Random(opts.seed);
  const boot: number[] = [];
  const bx = new Float64Array(n);
  const by = new Float64Array(n);
  for (let b = 0; b < opts.bootstrap; b++) {
    for (let i = 0; i < n; i++) {
      const j = rng.nextInt(n);
      bx[i] = x[j];
      by[i] = y[j];
    }
    boot.push(pearson(bx, by));
  }
  boot.sort((a, b) => a - b);
  const q = (p: number) => boot[Math.min(boot.length - 1, Math.max(0, Math.floor(p * boot.length)))];
  const perm = Float64Array.from(y);
  let extreme = 0;
  for (let b = 0; b < opts.permutations; b++) {
    rng.shuffle(perm);
    if (Math.abs(pearson(x, perm)) >= Math.abs(r)) extreme++;
  }
  const order = points.map((_, i) => i).sort((a, b) => points[a].predicted - points[b].predicted);
  const bucket = (k: number, of: number) => order.slice(Math.floor((k * n) / of), Math.floor(((k + 1) * n) / of)).map((i) => points[i]);
  const calibration = Array.from({ length: 10 }, (_, d) => {
    const ps = bucket(d, 10);
    return {
      decile: d + 1,
      n: ps.length,
      mean_predicted_ratio: mean(ps.map((p) => p.predicted)),
      mean_expected_ratio: mean(ps.map((p) => p.expected)),
      mean_realized_ratio: mean(ps.map((p) => p.realized)),
    };
  });
  const quint = (ps: TierPoint[]) => {
    const prizes = ps.filter((p) => p.prizeEach !== null && p.prizeEach > 0).map((p) => p.prizeEach as number);
    return {
      n: ps.length,
      mean_predicted_ratio: mean(ps.map((p) => p.predicted)),
      mean_realized_ratio: mean(ps.map((p) => p.realized)),
      mean_prize_each_won: prizes.length ? Math.round(mean(prizes)) : null,
    };
  };
  const quintiles = Array.from({ length: 5 }, (_, k) => ({ quintile: k + 1, ...quint(bucket(k, 5)) }));
  const least = quint(bucket(0, 5));
  const most = quint(bucket(4, 5));
  return {
    n,
    pearson: r,
    pearson_ci95: { low: q(0.025), high: q(0.975) },
    permutation_p: (extreme + 1) / (opts.permutations + 1),
    spearman: spearman(x, y),
    calibration,
    least_popular_quintile: least,
    most_popular_quintile: most,
    quintiles,
    quintile_ratio: most.mean_realized_ratio / least.mean_realized_ratio,
  };
}
