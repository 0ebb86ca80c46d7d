/**
 * The backtest's analysis, computed only from its stored rows (and the draws they were
 * scored against), per method, per machine and overall. All statistics come from
 * src/domain/inference (exact hypergeometric nulls, stdlib distributions):
 *
 * - mean matches per set with a 95% bootstrap interval over rounds (a round's sets are one
 *   unit: they are correlated), against the exact chance value 0.8;
 * - a one-sided exact test of "more matches than chance" (the summed matches' exact null
 *   for the tickets actually chosen, any overlap), Holm-adjusted across the methods of a
 *   scope (the random baseline is the control and is left out of the family);
 * - best of N against the chance value of the same tickets (exact per round, so it fits
 *   the set construction: overlapping sets lower it), with a randomization p-value;
 * - prize-tier counts against sets × P(tier), with the binomial upper tail;
 * - log-loss and Brier of the 45 probabilities against the uniform 6/45, with a 95% interval
 *   of the per-round difference, and calibration bins.
 */
import type { BacktestResultRow } from '../../data/backtestsRepo.js';
import type { Draw } from '../../domain/draw.js';
import { formatMachine } from '../../domain/machine.js';
import {
  bestMatches,
  bestOfNChance,
  bestOfNIndependent,
  bestOfNRandomizationTest,
  binomialUpperTail,
  bootstrapMeanInterval,
  calibrationBins,
  calibrationPairs,
  CHANCE_MEAN_MATCHES,
  exactMatchesTest,
  holm,
  PRIZE_TIER_PROBABILITIES,
  prizeTier,
  tMeanInterval,
  UNIFORM_BRIER,
  UNIFORM_LOG_LOSS,
  type CalibrationBin,
  type CalibrationPair,
  type PrizeTier,
} from '../../domain/inference/index.js';
import { Random } from '../../domain/random.js';
import type { Localized } from '../../strategies/machineStrategies.js';
import { BACKTEST_METHODS, RANKABLE_METHODS, type BacktestParams } from './types.js';

export const SIGNIFICANCE = 0.05;

export interface Interval {
  lower: number;
  upper: number;
  level: number;
  method: string;
}

export interface PrizeTierRow {
  tier: PrizeTier;
  /** What wins it, in words. */
  rule: string;
  count: number;
  expected: number;
  probability: number;
  /** One-sided P(count ≥ observed) under chance. */
  p_value: number;
}

export type Verdict = 'better_than_chance' | 'no_evidence' | 'worse_than_chance';

export interface MethodSummary {
  method: string;
  rounds: number;
  sets: number;
  mean_matches: number;
  /** Chance matches per set for these tickets (0.8 for every 6-number ticket). */
  chance_mean_matches: number;
  mean_matches_ci: Interval | null;
  /** Exact one-sided P(summed matches ≥ observed) under fair draws. */
  p_value: number;
  /** Holm-adjusted across the non-random methods of the scope; null for the random control. */
  p_value_holm: number | null;
  /** Exact P(summed matches ≤ observed): small when the method does worse than chance. */
  p_value_lower: number;
  best_of_n: {
    sets_per_round: number;
    observed_mean: number;
    /** Chance value for the same tickets (exact per round up to 10 tickets, else a 20,000-draw estimate; averaged). */
    chance_mean: number;
    /** The textbook value for N independent uniform tickets. */
    independent_chance: number;
    /** One-sided randomization p-value (uncorrected). */
    p_value: number;
    /** Holm-adjusted across the non-random methods of the scope; null for the random control. */
    p_value_holm: number | null;
  } | null;
  prize_tiers: PrizeTierRow[];
  /** null for methods without a 45-vector (random). */
  log_loss: { mean: number; uniform: number; difference: number; difference_ci: Interval | null } | null;
  brier: { mean: number; uniform: number; difference: number } | null;
  calibration: CalibrationBin[] | null;
  verdict: Verdict;
  /** Rounds where the method fell back to something else (e.g. the frequency baseline). */
  fallback_rounds: number;
}

export interface ScopeSummary {
  /** 'all' or '1호기'.. */
  scope: string;
  machine: number | null;
  rounds: number;
  first_round: number | null;
  last_round: number | null;
  methods: MethodSummary[];
}

export interface MethodRanking {
  /** The combination method with the lowest mean log-loss over the rounds all of them were scored on. */
  best: string | null;
  best_log_loss: number | null;
  uniform_log_loss: number;
  /** Whether its log-loss interval lies entirely below the uniform one. */
  beats_chance: boolean;
  rule: string;
  ranked: Array<{ method: string; mean_log_loss: number; rounds: number }>;
}

export interface BacktestSummary {
  format: 'hogi-backtest-summary';
  formatVersion: 1;
  chance: {
    mean_matches: number;
    best_of_n_independent: number;
    prize_tier_probabilities: Record<string, number>;
    uniform_log_loss: number;
    uniform_brier: number;
  };
  overall: ScopeSummary;
  machines: ScopeSummary[];
  ranking: MethodRanking;
  /** Methods whose Holm-adjusted p-value is below 0.05 in the overall scope. */
  significant_methods: string[];
  conclusion: Localized;
}

const TIER_RULES: Record<PrizeTier, string> = { 1: '6 matches', 2: '5 + bonus', 3: '5 matches', 4: '4 matches', 5: '3 matches' };

/** Above this many tickets per round the exact best-of-N enumeration gets slow (≈ 0.1–0.3 s per round at 15–20): estimate it instead. */
export const EXACT_BEST_OF_N_MAX_SETS = 10;

/** Chance best-of-N for one row's tickets: exact up to 10 tickets, else a seeded Monte Carlo estimate (20,000 draws, SE ≈ 0.005). */
export type BestOfNChanceOf = (row: BacktestResultRow) => number;

export function bestOfNChanceCache(seed: number): BestOfNChanceOf {
  const cache = new Map<BacktestResultRow, number>();
  return (row) => {
    let v = cache.get(row);
    if (v === undefined) {
      v =
        row.sets.length <= EXACT_BEST_OF_N_MAX_SETS
          ? bestOfNChance(row.sets).mean
          : bestOfNChance(row.sets, { method: 'monte-carlo', random: new Random(seed ^ Math.imul(row.round, 0x9e3779b1) ^ row.method.length), samples: 20000 }).mean;
      cache.set(row, v);
    }
    return v;
  };
}

function methodSummary(method: string, rows: readonly BacktestResultRow[], draws: ReadonlyMap<number, Draw>, seed: number, chanceOf: BestOfNChanceOf): MethodSummary {
  const tickets = rows.map((r) => r.sets);
  const drawn = rows.map((r) => draws.get(r.round)!.numbers);
  const totals = rows.map((r) => r.matches.reduce((a, b) => a + b, 0));
  const sets = rows.reduce((s, r) => s + r.sets.length, 0);
  const exact = exactMatchesTest(tickets, totals);
  const perRound = rows.filter((r) => r.sets.length > 0).map((r) => r.matches.reduce((a, b) => a + b, 0) / r.sets.length);
  const ci = perRound.length >= 2 ? bootstrapMeanInterval(perRound, { random: new Random(seed), resamples: 2000 }) : null;

  const n = rows.length ? Math.max(...rows.map((r) => r.sets.length)) : 0;
  let bestOfN: MethodSummary['best_of_n'] = null;
  const withSets = rows.filter((r) => r.sets.length > 0);
  if (withSets.length > 0 && n > 0) {
    const chanceMean = withSets.reduce((s, r) => s + chanceOf(r), 0) / withSets.length;
    const observed = withSets.reduce((s, r) => s + bestMatches(r.sets, draws.get(r.round)!.numbers), 0) / withSets.length;
    const test = bestOfNRandomizationTest(
      withSets.map((r) => r.sets),
      withSets.map((r) => draws.get(r.round)!.numbers),
      { random: new Random(seed ^ 0x5bd1e995), resamples: 1000 },
    );
    bestOfN = { sets_per_round: n, observed_mean: observed, chance_mean: chanceMean, independent_chance: bestOfNIndependent(n), p_value: test.pValue, p_value_holm: null };
  }

  const counts: Record<PrizeTier, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  for (const r of rows) {
    r.matches.forEach((m, i) => {
      const t = prizeTier(m, r.bonus[i] === true);
      if (t !== null) counts[t]++;
    });
  }
  const prizeTiers = ([1, 2, 3, 4, 5] as PrizeTier[]).map((tier) => ({
    tier,
    rule: TIER_RULES[tier],
    count: counts[tier],
    expected: sets * PRIZE_TIER_PROBABILITIES[tier],
    probability: PRIZE_TIER_PROBABILITIES[tier],
    p_value: binomialUpperTail(counts[tier], sets, PRIZE_TIER_PROBABILITIES[tier]),
  }));

  const scored = rows.filter((r) => r.logLoss !== null && r.brier !== null && r.probabilities !== null);
  let logLoss: MethodSummary['log_loss'] = null;
  let brier: MethodSummary['brier'] = null;
  let calibration: CalibrationBin[] | null = null;
  if (scored.length > 0) {
    const ll = scored.map((r) => r.logLoss as number);
    const mean = ll.reduce((a, b) => a + b, 0) / ll.length;
    const diffs = ll.map((x) => x - UNIFORM_LOG_LOSS);
    const dci = diffs.length >= 2 ? tMeanInterval(diffs) : null;
    logLoss = { mean, uniform: UNIFORM_LOG_LOSS, difference: mean - UNIFORM_LOG_LOSS, difference_ci: dci ? { lower: dci.lower, upper: dci.upper, level: dci.level, method: dci.method } : null };
    const b = scored.reduce((s, r) => s + (r.brier as number), 0) / scored.length;
    brier = { mean: b, uniform: UNIFORM_BRIER, difference: b - UNIFORM_BRIER };
    const pairs: CalibrationPair[] = [];
    for (const r of scored) pairs.push(...calibrationPairs(r.probabilities as number[], draws.get(r.round)!.numbers));
    calibration = calibrationBins(pairs, 10, 'quantile');
  }
  return {
    method,
    rounds: rows.length,
    sets,
    mean_matches: exact.observedMean,
    chance_mean_matches: exact.chanceMean,
    mean_matches_ci: ci ? { lower: ci.lower, upper: ci.upper, level: ci.level, method: ci.method } : null,
    p_value: exact.pValue,
    p_value_holm: null,
    p_value_lower: exact.pValueLower,
    best_of_n: bestOfN,
    prize_tiers: prizeTiers,
    log_loss: logLoss,
    brier,
    calibration,
    verdict: 'no_evidence',
    fallback_rounds: rows.filter((r) => r.detail?.fallback === true).length,
  };
}

function scopeSummary(scope: string, machine: number | null, rows: readonly BacktestResultRow[], draws: ReadonlyMap<number, Draw>, seed: number, chanceOf: BestOfNChanceOf): ScopeSummary {
  const byMethod = new Map<string, BacktestResultRow[]>();
  for (const r of rows) byMethod.set(r.method, [...(byMethod.get(r.method) ?? []), r]);
  const methods = BACKTEST_METHODS.filter((m) => byMethod.has(m)).map((m, i) => methodSummary(m, byMethod.get(m)!, draws, seed + i * 7919, chanceOf));
  const family = methods.filter((m) => m.method !== 'random');
  const adjusted = holm(family.map((m) => m.p_value));
  const adjustedLower = holm(family.map((m) => m.p_value_lower));
  family.forEach((m, i) => {
    m.p_value_holm = adjusted[i];
    m.verdict = adjusted[i] < SIGNIFICANCE ? 'better_than_chance' : adjustedLower[i] < SIGNIFICANCE ? 'worse_than_chance' : 'no_evidence';
  });
  const withBest = family.filter((m) => m.best_of_n !== null);
  const adjustedBest = holm(withBest.map((m) => m.best_of_n!.p_value));
  withBest.forEach((m, i) => (m.best_of_n!.p_value_holm = adjustedBest[i]));
  const random = methods.find((m) => m.method === 'random');
  if (random) random.verdict = random.p_value < SIGNIFICANCE ? 'better_than_chance' : random.p_value_lower < SIGNIFICANCE ? 'worse_than_chance' : 'no_evidence';
  const roundsSet = [...new Set(rows.map((r) => r.round))].sort((a, b) => a - b);
  return { scope, machine, rounds: roundsSet.length, first_round: roundsSet[0] ?? null, last_round: roundsSet[roundsSet.length - 1] ?? null, methods };
}

export const RANKING_RULE =
  'premium uses the combination method (weighted_voting, stacking, blending) with the lowest mean log-loss over the rounds where all of them were scored in the latest completed backtest; it "beats chance" only when the 95% t-interval of its per-round log-loss minus the uniform 6/45 log-loss lies entirely below 0.';

/**
 * Ranks the combination methods by mean log-loss over the rounds all of them were scored
 * on (stacking starts later, once it has enough earlier rounds to learn from), so every
 * method is compared on the same draws.
 */
export function rankMethods(rows: readonly BacktestResultRow[]): MethodRanking {
  const byMethod = new Map<string, Map<number, number>>();
  for (const r of rows) {
    if (!(RANKABLE_METHODS as readonly string[]).includes(r.method) || r.logLoss === null) continue;
    if (!byMethod.has(r.method)) byMethod.set(r.method, new Map());
    byMethod.get(r.method)!.set(r.round, r.logLoss);
  }
  const methods = [...byMethod.keys()];
  const common = methods.length ? [...byMethod.get(methods[0])!.keys()].filter((round) => methods.every((m) => byMethod.get(m)!.has(round))) : [];
  const ranked = methods
    .map((method) => {
      const ll = common.map((round) => byMethod.get(method)!.get(round)!);
      return { method, mean_log_loss: ll.reduce((a, b) => a + b, 0) / Math.max(1, ll.length), rounds: ll.length, ll };
    })
    .filter((x) => x.rounds > 0)
    .sort((a, b) => a.mean_log_loss - b.mean_log_loss);
  const best = ranked[0] ?? null;
  const ci = best && best.rounds >= 2 ? tMeanInterval(best.ll.map((x) => x - UNIFORM_LOG_LOSS)) : null;
  return {
    best: best?.method ?? null,
    best_log_loss: best?.mean_log_loss ?? null,
    uniform_log_loss: UNIFORM_LOG_LOSS,
    beats_chance: ci !== null && ci.upper < 0,
    rule: RANKING_RULE,
    ranked: ranked.map(({ method, mean_log_loss, rounds }) => ({ method, mean_log_loss, rounds })),
  };
}

const f3 = (x: number) => x.toFixed(3);
const f4 = (x: number) => x.toFixed(4);
const pFmt = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

/** Plain words for what was found, whatever it is. */
export function conclusionOf(overall: ScopeSummary, ranking: MethodRanking): Localized {
  const model = overall.methods.filter((m) => m.method !== 'random');
  const better = model.filter((m) => m.verdict === 'better_than_chance');
  const worse = model.filter((m) => m.verdict === 'worse_than_chance');
  const random = overall.methods.find((m) => m.method === 'random');
  const range = `${overall.first_round}–${overall.last_round}`;
  const bestMatches = [...model].sort((a, b) => b.mean_matches - a.mean_matches)[0];
  const lines: Localized[] = [];
  lines.push({
    ko: `${range}회 중 ${overall.rounds}회를 워크포워드로 검증했습니다 (각 회차는 그 이전 회차만으로 학습).`,
    en: `Walk-forward over ${overall.rounds} draws in rounds ${range} (each predicted from earlier draws only).`,
  });
  if (random) {
    lines.push({
      ko: `무작위 기준선: 조합당 평균 ${f3(random.mean_matches)}개 일치 (정확한 기대값 ${f3(CHANCE_MEAN_MATCHES)}).`,
      en: `Random baseline: ${f3(random.mean_matches)} matches per set (exact expectation ${f3(CHANCE_MEAN_MATCHES)}).`,
    });
  }
  if (better.length === 0) {
    const b = bestMatches;
    lines.push({
      ko: `어떤 방법도 우연보다 낫다는 증거가 없습니다 (Holm 보정 후 p < 0.05인 방법 0개${b ? `; 가장 높은 평균은 ${b.method} ${f3(b.mean_matches)}개, 보정 p = ${pFmt(b.p_value_holm ?? 1)}` : ''}).`,
      en: `No method shows evidence of beating chance (0 methods with Holm-adjusted p < 0.05${b ? `; the highest mean was ${b.method} at ${f3(b.mean_matches)}, adjusted p = ${pFmt(b.p_value_holm ?? 1)}` : ''}).`,
    });
  } else {
    lines.push({
      ko: `Holm 보정 후 우연보다 많이 맞춘 방법: ${better.map((m) => `${m.method} (${f3(m.mean_matches)}개, p = ${pFmt(m.p_value_holm ?? 1)})`).join(', ')}. 다른 기간에서도 재현되는지 확인이 필요합니다.`,
      en: `Methods matching more than chance after Holm correction: ${better.map((m) => `${m.method} (${f3(m.mean_matches)}, p = ${pFmt(m.p_value_holm ?? 1)})`).join(', ')}. This needs confirming on other periods before anyone relies on it.`,
    });
  }
  if (worse.length > 0) {
    lines.push({
      ko: `우연보다 유의하게 적게 맞춘 방법: ${worse.map((m) => m.method).join(', ')}.`,
      en: `Methods matching significantly fewer than chance: ${worse.map((m) => m.method).join(', ')}.`,
    });
  }
  if (ranking.best !== null && ranking.best_log_loss !== null) {
    lines.push(
      ranking.beats_chance
        ? {
            ko: `확률 품질: 결합 방법 중 ${ranking.best}의 로그손실 ${f4(ranking.best_log_loss)}이 균등 6/45의 ${f4(ranking.uniform_log_loss)}보다 유의하게 낮습니다.`,
            en: `Probability quality: ${ranking.best}'s log-loss ${f4(ranking.best_log_loss)} is significantly below the uniform 6/45's ${f4(ranking.uniform_log_loss)}.`,
          }
        : {
            ko: `확률 품질: 가장 나은 결합 방법 ${ranking.best}의 로그손실 ${f4(ranking.best_log_loss)}도 균등 6/45의 ${f4(ranking.uniform_log_loss)}보다 확실히 낮지 않습니다. 모델의 확률은 균등 분포 이상의 정보를 주지 못했습니다.`,
            en: `Probability quality: even the best combination method, ${ranking.best}, has log-loss ${f4(ranking.best_log_loss)}, not reliably below the uniform 6/45's ${f4(ranking.uniform_log_loss)}: the models' probabilities carried no information beyond chance.`,
          },
    );
  }
  const vectors = model.filter((m) => m.log_loss?.difference_ci);
  const worseLL = vectors.filter((m) => m.log_loss!.difference_ci!.lower > 0);
  const betterLL = vectors.filter((m) => m.log_loss!.difference_ci!.upper < 0);
  if (vectors.length > 0) {
    lines.push({
      ko: `${vectors.length}개 확률 벡터 중 균등 6/45보다 로그손실이 유의하게 낮은 것은 ${betterLL.length}개, 유의하게 높은 것(우연보다 나쁜 확률)은 ${worseLL.length}개입니다.`,
      en: `Of ${vectors.length} probability vectors, ${betterLL.length} had a log-loss significantly below the uniform 6/45 and ${worseLL.length} significantly above it (probabilities worse than chance: noise fitted as signal).`,
    });
  }
  if (better.length === 0) {
    lines.push({
      ko: '로또 번호는 예측할 수 없다는 예상과 일치합니다. hogi의 조합은 오락용이며 당첨 확률을 높이지 않습니다.',
      en: 'This is what fair draws predict: hogi’s sets are for entertainment and do not raise the chance of winning.',
    });
  }
  return { ko: lines.map((l) => l.ko).join(' '), en: lines.map((l) => l.en).join(' ') };
}

/** The whole summary from the stored rows. */
export function computeSummary(rows: readonly BacktestResultRow[], draws: ReadonlyMap<number, Draw>, params: Pick<BacktestParams, 'seed' | 'sets'>): BacktestSummary {
  // Each row's chance best-of-N is computed once and shared by the overall and machine scopes.
  const chanceOf = bestOfNChanceCache(params.seed);
  const overall = scopeSummary('all', null, rows, draws, params.seed, chanceOf);
  const machineIds = [...new Set(rows.map((r) => r.machine).filter((m): m is number => m !== null))].sort((a, b) => a - b);
  const machines = machineIds.map((m) => scopeSummary(formatMachine(m), m, rows.filter((r) => r.machine === m), draws, params.seed + m, chanceOf));
  const ranking = rankMethods(rows);
  const probs: Record<string, number> = {};
  for (const t of [1, 2, 3, 4, 5] as PrizeTier[]) probs[String(t)] = PRIZE_TIER_PROBABILITIES[t];
  return {
    format: 'hogi-backtest-summary',
    formatVersion: 1,
    chance: {
      mean_matches: CHANCE_MEAN_MATCHES,
      best_of_n_independent: bestOfNIndependent(params.sets),
      prize_tier_probabilities: probs,
      uniform_log_loss: UNIFORM_LOG_LOSS,
      uniform_brier: UNIFORM_BRIER,
    },
    overall,
    machines,
    ranking,
    significant_methods: overall.methods.filter((m) => m.verdict === 'better_than_chance' && m.method !== 'random').map((m) => m.method),
    conclusion: conclusionOf(overall, ranking),
  };
}
