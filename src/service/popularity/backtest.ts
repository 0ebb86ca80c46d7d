/**
 * Walk-forward backtest of the popularity model: a model fitted only on rounds before r0 scores
 * every round r in [r0, r0 + K) (retrain every K rounds), with the draws and prize figures of the
 * rounds before r as its context and level. Output per round and the issue-14 summary per tier.
 */
import { TIERS, realizedRatio, uniformWinners, type PrizeRound, type Tier } from '../../domain/prizeRound.js';
import { PopularityModel, type PopularityParams } from '../../models/popularity/model.js';
import { summarizeTier, type TierPoint, type TierSummary } from './summary.js';

export type TierKey = '1' | '2' | '3' | '4' | '5';
export const tierKey = (t: Tier): TierKey => String(t) as TierKey;

export interface BacktestTierResult {
  predicted_ratio: number;
  /** Expected winners / E for the round (ratio times the causal level). */
  expected_ratio: number;
  realized_ratio: number | null;
  prize_each: number | null;
}

export interface BacktestRoundResult {
  round: number;
  numbers: number[];
  trained_through: number;
  tiers: Record<TierKey, BacktestTierResult>;
}

export interface PopularityBacktestReport {
  from: number;
  to: number;
  retrain_every: number;
  params: PopularityParams;
  rounds: BacktestRoundResult[];
  summary: { tiers: Record<TierKey, TierSummary | null>; goals: GoalCheck[] };
}

export interface GoalCheck {
  tier: TierKey;
  goal: string;
  measured: number | null;
  target: number;
  met: boolean;
  /** Whether the window is the goals' own (GOAL_WINDOW); over any other window `met` is only for reference. */
  applies: boolean;
}

/** The rounds the issue-14 goals are stated over (the last 300 with prize data when they were set). */
export const GOAL_WINDOW = { from: 939, to: 1238 } as const;

export interface PopularityBacktestOptions {
  from: number;
  to: number;
  retrainEvery?: number;
  params?: Partial<PopularityParams>;
  seed?: number;
  bootstrap?: number;
  permutations?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /**
   * What the model may train on when it is refitted at round r0. The default, rounds before r0,
   * is the only honest choice; the leakage test passes a window that reads later rounds to show
   * its check fires.
   */
  trainingWindow?: (rounds: readonly PrizeRound[], r0: number) => PrizeRound[];
}

const honestWindow = (rounds: readonly PrizeRound[], r0: number) => rounds.filter((x) => x.round < r0);

/** log((winners + 0.5) / E): a continuity correction so tier-1 rounds without a winner stay finite. */
function logRatio(r: PrizeRound, tier: Tier): number | null {
  const w = r.winners[tier - 1];
  if (w === null || !(r.totalSales > 0)) return null;
  return Math.log((w + 0.5) / uniformWinners(r, tier));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function runPopularityBacktest(input: readonly PrizeRound[], opts: PopularityBacktestOptions): PopularityBacktestReport {
  const K = opts.retrainEvery ?? 10;
  if (!Number.isInteger(opts.from) || !Number.isInteger(opts.to) || opts.from > opts.to) throw new RangeError(`backtest: --from ${opts.from} must be a round ≤ --to ${opts.to}`);
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`backtest: --retrain-every must be a whole number ≥ 1, got ${K}`);
  const rounds = [...input].sort((a, b) => a.round - b.round);
  const targets = rounds.filter((r) => r.round >= opts.from && r.round <= opts.to);
  if (targets.length === 0) throw new RangeError(`backtest: no rounds with prize data between ${opts.from} and ${opts.to}`);
  const window = opts.trainingWindow ?? honestWindow;
  const template = new PopularityModel(opts.params);
  let model: PopularityModel | null = null;
  let fittedAt = -Infinity;
  const out: BacktestRoundResult[] = [];
  targets.forEach((target, i) => {
    if (opts.signal?.aborted) throw new Error('backtest aborted');
    if (model === null || target.round >= fittedAt + K) {
      model = template.clone().fit(window(rounds, target.round));
      fittedAt = target.round;
    }
    const before = rounds.filter((x) => x.round < target.round);
    const scorer = model.scorer(before);
    const ratio = scorer.ratio(target.numbers);
    const expected = scorer.expectedRealized(target.numbers);
    const tiers = {} as Record<TierKey, BacktestTierResult>;
    for (const t of TIERS)
      tiers[tierKey(t)] = { predicted_ratio: ratio[t - 1], expected_ratio: expected[t - 1], realized_ratio: realizedRatio(target, t), prize_each: target.prizeEach[t - 1] };
    out.push({ round: target.round, numbers: [...target.numbers], trained_through: model.trainedThrough, tiers });
    opts.onProgress?.(i + 1, targets.length);
  });
  return { from: opts.from, to: opts.to, retrain_every: K, params: template.getParams(), rounds: out, summary: summarize(rounds, out, opts) };
}

export function summarize(
  all: readonly PrizeRound[],
  results: readonly BacktestRoundResult[],
  opts: { from?: number; to?: number; seed?: number; bootstrap?: number; permutations?: number },
) {
  const byRound = new Map(all.map((r, i) => [r.round, i]));
  const tiers = {} as Record<TierKey, TierSummary | null>;
  for (const t of TIERS) {
    const points: TierPoint[] = [];
    for (const res of results) {
      const i = byRound.get(res.round);
      const tr = res.tiers[tierKey(t)];
      if (i === undefined || tr.realized_ratio === null) continue;
      const lr = logRatio(all[i], t);
      if (lr === null) continue;
      const past: number[] = [];
      for (let j = i - 1; j >= 0 && past.length < 52; j--) {
        const v = logRatio(all[j], t);
        if (v !== null) past.push(v);
      }
      points.push({
        round: res.round,
        logPredicted: Math.log(tr.predicted_ratio),
        logRealizedCentred: lr - median(past),
        predicted: tr.predicted_ratio,
        expected: tr.expected_ratio,
        realized: tr.realized_ratio,
        prizeEach: tr.prize_each,
      });
    }
    tiers[tierKey(t)] = points.length >= 10 ? summarizeTier(points, { seed: (opts.seed ?? 14) + t, bootstrap: opts.bootstrap ?? 2000, permutations: opts.permutations ?? 2000 }) : null;
  }
  const applies = opts.from === GOAL_WINDOW.from && opts.to === GOAL_WINDOW.to;
  const g = (k: TierKey, target: number, goal: string, pick: (s: TierSummary) => number): GoalCheck => {
    const s = tiers[k];
    const measured = s ? pick(s) : null;
    return { tier: k, goal, measured, target, met: measured !== null && measured >= target, applies };
  };
  const goals = [
    g('5', 0.85, 'tier 5 correlation ≥ 0.85', (s) => s.pearson),
    g('4', 0.8, 'tier 4 correlation ≥ 0.80', (s) => s.pearson),
    g('3', 0.6, 'tier 3 correlation ≥ 0.60', (s) => s.pearson),
    g('1', 1.4, 'tier 1 most/least popular quintile realized ratio ≥ 1.4', (s) => s.quintile_ratio),
  ];
  return { tiers, goals };
}
