/**
 * Schemas of the backtest routes and of performance_metrics, in TypeBox (validation,
 * serialization and the OpenAPI document from the same objects).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum } from './schemaHelpers.js';
import { BACKTEST_METHODS } from '../service/backtest/types.js';


const Verdict = StringEnum(['better_than_chance', 'no_evidence', 'worse_than_chance'] as const, {
  description: 'better_than_chance / worse_than_chance when the Holm-adjusted one-sided exact p is below 0.05, otherwise no_evidence.',
});
const Interval = Type.Object({ lower: Type.Number(), upper: Type.Number(), level: Type.Number(), method: Type.String() });

export const BacktestParamsView = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  machine: Type.String({ description: '"all" or "1호기".."3호기".' }),
  retrain_every: Type.Integer(),
  methods: Type.Array(Type.String()),
  sets: Type.Integer({ description: 'Tickets per method per round.' }),
  seed: Type.Integer(),
  config: Type.String(),
  window: Type.Integer({ description: 'Frequency window of the baseline and 1호기 (the product default 50).' }),
  data_hash: Type.String({ description: 'Hash of the draws up to `to` the run saw.' }),
  target_rounds: Type.Integer(),
  skipped_unlabelled: Type.Integer({ description: 'Rounds in range without a machine label (skipped: a machine strategy needs the machine).' }),
  skipped_other_machine: Type.Integer(),
});

export const BacktestListItem = Type.Object({
  id: Type.String(),
  status: StringEnum(['running', 'completed', 'failed'] as const, { description: 'running also means interrupted: the same command resumes it.' }),
  params: BacktestParamsView,
  progress: Type.Object({ rounds_done: Type.Integer(), rounds_total: Type.Integer(), fraction: Type.Number({ minimum: 0, maximum: 1 }) }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  error: Nullable(Type.String()),
});

const PrizeTierRow = Type.Object({
  tier: Type.Integer({ minimum: 1, maximum: 5 }),
  rule: Type.String(),
  count: Type.Integer(),
  expected: Type.Number({ description: 'Tickets × the tier probability.' }),
  probability: Type.Number(),
  p_value: Type.Number({ description: 'Binomial P(count ≥ observed) under chance.' }),
});

const CalibrationBin = Type.Object({
  lower: Type.Number(),
  upper: Type.Number(),
  count: Type.Integer(),
  meanPredicted: Type.Number(),
  observedRate: Type.Number(),
  observedLow: Type.Number(),
  observedHigh: Type.Number(),
});

export const MethodSummary = Type.Object({
  method: Type.String({ description: `One of ${BACKTEST_METHODS.join(', ')}.` }),
  rounds: Type.Integer(),
  sets: Type.Integer(),
  mean_matches: Type.Number(),
  chance_mean_matches: Type.Number({ description: 'Exact chance value for these tickets: 0.8.' }),
  mean_matches_ci: Nullable(Interval),
  p_value: Type.Number({ description: 'Exact one-sided P(summed matches ≥ observed) under fair draws.' }),
  p_value_holm: Nullable(Type.Number({ description: 'Holm-adjusted across the non-random methods of the scope; null for the random control.' })),
  p_value_lower: Type.Number(),
  best_of_n: Nullable(
    Type.Object({ sets_per_round: Type.Integer(), observed_mean: Type.Number(), chance_mean: Type.Number(), independent_chance: Type.Number(), p_value: Type.Number(), p_value_holm: Nullable(Type.Number()) }),
  ),
  prize_tiers: Type.Array(PrizeTierRow),
  log_loss: Nullable(Type.Object({ mean: Type.Number(), uniform: Type.Number(), difference: Type.Number(), difference_ci: Nullable(Interval) })),
  brier: Nullable(Type.Object({ mean: Type.Number(), uniform: Type.Number(), difference: Type.Number() })),
  calibration: Nullable(Type.Array(CalibrationBin)),
  verdict: Verdict,
  fallback_rounds: Type.Integer(),
});

const ScopeSummary = Type.Object({
  scope: Type.String({ description: '"all" or "1호기".."3호기".' }),
  machine: Nullable(Type.Integer()),
  rounds: Type.Integer(),
  first_round: Nullable(Type.Integer()),
  last_round: Nullable(Type.Integer()),
  methods: Type.Array(MethodSummary),
});

export const BacktestSummary = Type.Object({
  format: Type.Literal('hogi-backtest-summary'),
  formatVersion: Type.Literal(1),
  chance: Type.Object({
    mean_matches: Type.Number(),
    best_of_n_independent: Type.Number(),
    prize_tier_probabilities: Type.Record(Type.String(), Type.Number()),
    uniform_log_loss: Type.Number(),
    uniform_brier: Type.Number(),
  }),
  overall: ScopeSummary,
  machines: Type.Array(ScopeSummary),
  ranking: Type.Object({
    best: Nullable(Type.String()),
    best_log_loss: Nullable(Type.Number()),
    uniform_log_loss: Type.Number(),
    beats_chance: Type.Boolean(),
    rule: Type.String(),
    ranked: Type.Array(Type.Object({ method: Type.String(), mean_log_loss: Type.Number(), rounds: Type.Integer() })),
  }),
  significant_methods: Type.Array(Type.String()),
  conclusion: Type.Object({ ko: Type.String(), en: Type.String() }),
});

export const BacktestDetail = Type.Object({ ...BacktestListItem.properties, summary: Nullable(BacktestSummary) });

export const BacktestList = Type.Object({
  items: Type.Array(BacktestListItem),
  total: Type.Integer(),
  page: Type.Integer(),
  page_size: Type.Integer(),
});

export const BacktestListQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type BacktestListQuery = Static<typeof BacktestListQuery>;

export const BacktestIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'A backtest id, e.g. bt-18465006df72.' }) });
export type BacktestIdParams = Static<typeof BacktestIdParams>;

export const BacktestRoundsQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Rounds per page.' }),
  include_probabilities: Type.Boolean({ default: false, description: 'Add each method\'s 45 probabilities.' }),
});
export type BacktestRoundsQuery = Static<typeof BacktestRoundsQuery>;

export const BacktestRoundPage = Type.Object({
  items: Type.Array(
    Type.Object({
      round: Type.Integer(),
      machine_type: Nullable(Type.String()),
      methods: Type.Array(
        Type.Object({
          method: Type.String(),
          sets: Type.Array(Type.Array(Type.Integer({ minimum: 1, maximum: 45 }))),
          matches: Type.Array(Type.Integer({ minimum: 0, maximum: 6 })),
          bonus_hits: Type.Array(Type.Boolean()),
          log_loss: Nullable(Type.Number()),
          brier: Nullable(Type.Number()),
          probabilities: Type.Optional(Nullable(Type.Array(Type.Number()))),
          detail: Nullable(Type.Object({}, { additionalProperties: true, description: 'What the method used that round (fallbacks, weights, trained-through rounds).' })),
        }),
      ),
    }),
  ),
  total: Type.Integer({ description: 'Rounds stored.' }),
  page: Type.Integer(),
  page_size: Type.Integer(),
});

export const PerformanceMetrics = Type.Object(
  {
    source: StringEnum(['backtest', 'none'] as const, { description: "'none' when no completed backtest exists: then every figure is null." }),
    backtest_id: Nullable(Type.String()),
    completed_at: Nullable(Type.String()),
    rounds: Type.Integer(),
    period: Nullable(Type.Object({ from: Type.Integer(), to: Type.Integer() })),
    prediction_accuracy: Nullable(
      Type.Object({
        method: Type.String({ description: 'strategy_M for a machine (the product path), weighted_voting for all.' }),
        mean_matches_per_set: Type.Number(),
        chance_mean_matches: Type.Number(),
        ci95: Nullable(Type.Object({ lower: Type.Number(), upper: Type.Number() })),
        p_value: Type.Number(),
        p_value_holm: Nullable(Type.Number()),
        verdict: Type.String(),
        log_loss: Nullable(Type.Number()),
        uniform_log_loss: Nullable(Type.Number()),
      }),
    ),
    differentiation: Nullable(
      Type.Object({
        per_machine: Type.Array(
          Type.Object({ machine_type: Type.String(), method: Type.String(), rounds: Type.Integer(), mean_matches_per_set: Type.Number(), p_value_holm: Nullable(Type.Number()), verdict: Type.String() }),
        ),
        note: Type.String(),
      }),
    ),
    note: Type.String(),
  },
  { description: 'Measured by the latest completed walk-forward backtest (never invented); source "none" says none exists.' },
);
