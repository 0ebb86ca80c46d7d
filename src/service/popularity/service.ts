/**
 * Popularity service: scores any combination (co-winner ratio per tier, expected prize if won),
 * runs the walk-forward backtest and searches the least shared combinations. It takes the prize
 * rounds from a source function, so it does not care where they are stored: `storedPrizeSource`
 * reads the database's five tiers; `hogi popularity --draws-csv/--prizes-csv` reads a file pair.
 */
import type { DrawsRepo } from '../../data/drawsRepo.js';
import { TIERS, type PrizeRound } from '../../domain/prizeRound.js';
import { checkCombination } from '../../features/popularity.js';
import { enumerateLeastShared, type EnumerationFilter } from '../../models/popularity/enumerate.js';
import { PopularityModel, type PopularityParams, type RoundScorer } from '../../models/popularity/model.js';
import { estimatePools, prizeIfWon, type PoolEstimate, type PrizeIfWon } from '../../models/popularity/prize.js';
import { runPopularityBacktest, tierKey, type PopularityBacktestOptions, type PopularityBacktestReport, type TierKey } from './backtest.js';

export type PrizeRoundSource = () => readonly PrizeRound[];

/** Thrown when the stored data cannot support the model; the message says what to load. */
export class PopularityDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PopularityDataError';
  }
}

/**
 * The stored prize figures: numbers, sales, the first prize and its auto/manual/semi-auto split on
 * the draw, tiers 2–5 from the prize tiers (migration 5; the shipped snapshot fills them). A round
 * without stored tiers reads them as unknown (null), never 0; a round without sales is left out
 * (the model's offset needs them).
 */
export function storedPrizeSource(repo: DrawsRepo): PrizeRoundSource {
  return () =>
    repo
      .list({})
      .filter((d) => d.totalSales !== null)
      .map((d) => {
        const lower = d.lowerTiers ?? null;
        return {
          round: d.round,
          date: d.date,
          totalSales: d.totalSales ?? 0,
          winners: [d.firstPrizeWinners, ...(lower ? lower.map((t) => t.winners) : [null, null, null, null])],
          prizeEach: [d.firstPrizeEach, ...(lower ? lower.map((t) => t.prizeEach) : [null, null, null, null])],
          firstSplit: d.firstPrizeSplit ? { ...d.firstPrizeSplit } : null,
          numbers: [...d.numbers],
          bonus: d.bonus,
        };
      });
}

export interface PopularityScore {
  numbers: number[];
  /** For the round after this one. */
  after_round: number;
  ratio: Record<TierKey, number>;
  expected_prize_if_won: Record<'1' | '2' | '3', PrizeIfWon>;
  /** The same for an average combination (ratio 1 in every tier). */
  average_combination: { ratio: Record<TierKey, number>; expected_prize_if_won: Record<'1' | '2' | '3', PrizeIfWon> };
  pools: PoolEstimate;
  model: { trained_through: number; params: PopularityParams };
  note: { en: string; ko: string };
}

export const SCORE_NOTE = {
  en: 'Every combination has the same chance of being drawn. The ratio estimates how many other players would share the prize if it won (1 = an average combination); a lower ratio means a larger expected share, never better odds.',
  ko: '모든 조합의 당첨 확률은 같습니다. 비율은 이 조합이 당첨될 때 당첨금을 나눌 다른 당첨자가 평균 조합 대비 얼마나 될지의 추정치입니다(1 = 평균). 비율이 낮으면 당첨 시 기대 몫이 커질 뿐, 당첨 확률이 높아지지는 않습니다.',
};

const byTier = <T>(f: (k: number) => T): Record<TierKey, T> => Object.fromEntries(TIERS.map((t) => [tierKey(t), f(t - 1)])) as Record<TierKey, T>;
const top3 = (p: [PrizeIfWon, PrizeIfWon, PrizeIfWon]) => ({ '1': p[0], '2': p[1], '3': p[2] });

export class PopularityService {
  private cache: { key: string; model: PopularityModel } | null = null;

  constructor(
    private readonly source: PrizeRoundSource,
    private readonly params: Partial<PopularityParams> = {},
  ) {}

  rounds(): PrizeRound[] {
    const rounds = [...this.source()].sort((a, b) => a.round - b.round);
    if (rounds.length === 0) throw new PopularityDataError('No draws stored yet. Load them with `hogi sync` or `hogi import FILE`.');
    const missing = TIERS.filter((t) => rounds.filter((r) => r.winners[t - 1] !== null).length < 20);
    if (missing.length > 0)
      throw new PopularityDataError(
        `The popularity model needs winner counts for all five prize tiers; tier${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'have' : 'has'} fewer than 20 rounds here. ` +
          'Load the prize tiers: `hogi import prizes.csv` (a prizes CSV with tiers 2–5), or start from the shipped history (an empty database loads it).',
      );
    return rounds;
  }

  /** The settings the model is built with (beyond the defaults). */
  get modelParams(): Partial<PopularityParams> {
    return { ...this.params };
  }

  /** Changes whenever the stored prize data that the model reads change. */
  dataKey(rounds: readonly PrizeRound[]): string {
    return PopularityService.key(rounds);
  }

  private static key(rounds: readonly PrizeRound[]): string {
    const last = rounds[rounds.length - 1];
    // Tiers can arrive for older rounds after newer draws (an import of a prizes CSV): count the known ones too.
    const known = rounds.reduce((n, r) => n + r.winners.filter((w) => w !== null).length, 0);
    return `${rounds.length}:${known}:${last.round}:${last.winners.join(',')}:${last.totalSales}`;
  }

  /** The model fitted on every stored round (refitted when the data change). */
  model(rounds = this.rounds()): PopularityModel {
    const key = PopularityService.key(rounds);
    if (this.cache?.key !== key) this.cache = { key, model: new PopularityModel(this.params).fit(rounds) };
    return this.cache.model;
  }

  private scorerCache: { key: string; scorer: RoundScorer } | null = null;

  /** The fitted model bound to the round after `rounds` (kept until the data change). */
  nextRoundScorer(rounds = this.rounds()): RoundScorer {
    const key = PopularityService.key(rounds);
    const model = this.model(rounds);
    if (this.scorerCache?.key !== key) this.scorerCache = { key, scorer: model.scorer(rounds) };
    return this.scorerCache.scorer;
  }

  score(numbers: readonly unknown[]): PopularityScore {
    const c = checkCombination(numbers);
    const rounds = this.rounds();
    const model = this.model(rounds);
    const scorer = this.nextRoundScorer(rounds);
    const ratio = scorer.ratio(c);
    const pools = estimatePools(rounds);
    return {
      numbers: c,
      after_round: rounds[rounds.length - 1].round,
      ratio: byTier((k) => ratio[k]),
      expected_prize_if_won: top3(prizeIfWon(pools, ratio)),
      average_combination: { ratio: byTier(() => 1), expected_prize_if_won: top3(prizeIfWon(pools, [1, 1, 1])) },
      pools,
      model: { trained_through: model.trainedThrough, params: model.getParams() },
      note: SCORE_NOTE,
    };
  }

  /** The least shared combinations (largest predicted ratio over tiers 1–3 lowest) under a filter. */
  leastShared(filter: EnumerationFilter, keep: number) {
    const rounds = this.rounds();
    const s = this.nextRoundScorer(rounds);
    const t = [0, 1, 2];
    if (t.some((k) => s.logFloor[k] !== null)) throw new RangeError('leastShared: tiers 1–3 must be log-linear (no floor) to be enumerated');
    return enumerateLeastShared({ unary: t.map((k) => s.unary[k]), pair: t.map((k) => s.pair[k]), spread: t.map((k) => s.spread[k]), logZ: t.map((k) => s.logZ[k]) }, { noTripleRuns: true, ...filter }, keep);
  }

  backtest(opts: Omit<PopularityBacktestOptions, 'params'>): PopularityBacktestReport {
    return runPopularityBacktest(this.rounds(), { ...opts, params: this.params });
  }
}
