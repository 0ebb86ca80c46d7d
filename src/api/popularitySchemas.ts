import { Type, type Static, type TSchema } from '@sinclair/typebox';

const ByTier = Type.Object({ '1': Type.Number(), '2': Type.Number(), '3': Type.Number(), '4': Type.Number(), '5': Type.Number() });
const PrizeIfWon = Type.Object({
  other_winners: Type.Number({ description: 'Expected co-winners besides you (λ = G·p_k·ratio_k).' }),
  gross: Type.Number({ description: 'Expected prize per winner if this combination wins, won, before tax.' }),
  after_tax: Type.Number({ description: 'The same after the withholding tax.' }),
});
const Top3 = Type.Object({ '1': PrizeIfWon, '2': PrizeIfWon, '3': PrizeIfWon });

export const PopularityScoreQuery = Type.Object({
  numbers: Type.String({ description: 'Six distinct numbers 1..45, comma-separated, e.g. 1,2,3,4,5,6.', maxLength: 64 }),
});
export type PopularityScoreQuery = Static<typeof PopularityScoreQuery>;

export const PopularityScore = Type.Object(
  {
    numbers: Type.Array(Type.Integer()),
    after_round: Type.Integer({ description: 'The prediction is for the round after this one.' }),
    ratio: ByTier,
    expected_prize_if_won: Top3,
    average_combination: Type.Object({ ratio: ByTier, expected_prize_if_won: Top3 }),
    pools: Type.Object({
      sales: Type.Number(),
      games: Type.Number(),
      pools: Type.Array(Type.Number(), { minItems: 3, maxItems: 3 }),
      carryOver: Type.Number(),
      basedOnRounds: Type.Array(Type.Integer()),
    }),
    model: Type.Object({ trained_through: Type.Integer(), params: Type.Record(Type.String(), Type.Unknown()) }),
    note: Type.Object({ en: Type.String(), ko: Type.String() }),
  },
  { $id: 'PopularityScore', description: 'Predicted co-winner ratio per tier (1 = an average combination) and the expected prize per winner if it wins. The chance of winning is the same for every combination.' },
);

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Bilingual = Type.Object({ ko: Type.String(), en: Type.String() });

export const PopularityEvidenceQuery = Type.Object({
  from: Type.Optional(Type.Integer({ minimum: 1, description: 'First round scored (default: 300 rounds with all five prize tiers before `to`, and never before the 53rd such round).' })),
  to: Type.Optional(Type.Integer({ minimum: 1, description: 'Last round scored (default: the last round with all five prize tiers).' })),
  retrain_every: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Refit the model every this many rounds (default 10); at most 100 refits per run.' })),
});
export type PopularityEvidenceQuery = Static<typeof PopularityEvidenceQuery>;

const Bucket = {
  n: Type.Integer(),
  mean_predicted_ratio: Type.Number(),
  mean_realized_ratio: Type.Number(),
  mean_prize_each_won: Nullable(Type.Number({ description: 'Mean realized prize per winner, won (tiers 1–3 are pari-mutuel; 4–5 fixed).' })),
};
const GoalCheck = Type.Object({
  tier: Type.String(),
  goal: Type.String(),
  measured: Nullable(Type.Number()),
  target: Type.Number(),
  met: Type.Boolean(),
  applies: Type.Boolean({ description: 'True only over the goals\' own window, rounds 939–1238; over any other window `met` is for reference, not a verdict.' }),
});
const TierEvidence = Type.Object({
  n: Type.Integer({ description: 'Rounds scored in this tier.' }),
  pearson: Type.Number({ description: 'Correlation of log predicted ratio with the realized log ratio (centred on the median of the 52 rounds before).' }),
  pearson_ci95: Type.Object({ low: Type.Number(), high: Type.Number() }, { description: 'Seeded bootstrap 95% interval.' }),
  permutation_p: Type.Number({ description: 'Seeded permutation p-value of the correlation (two-sided).' }),
  spearman: Type.Number(),
  calibration: Type.Array(
    Type.Object({ decile: Type.Integer(), n: Type.Integer(), mean_predicted_ratio: Type.Number(), mean_expected_ratio: Type.Number(), mean_realized_ratio: Type.Number() }),
    { description: 'By predicted decile, least popular first.' },
  ),
  quintiles: Type.Array(Type.Object({ quintile: Type.Integer(), ...Bucket }), { description: 'By predicted quintile, least popular first.' }),
  least_popular_quintile: Type.Object(Bucket),
  most_popular_quintile: Type.Object(Bucket),
  quintile_ratio: Type.Number({ description: 'Most popular quintile’s mean realized ratio ÷ least popular’s.' }),
  goal: Nullable(GoalCheck),
});
const TierEvidenceOrNull = Nullable(TierEvidence);

export const PopularityEvidence = Type.Object(
  {
    status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
    window: Type.Object({ from: Type.Integer(), to: Type.Integer(), retrain_every: Type.Integer(), rounds: Type.Integer() }),
    data_through: Type.Integer({ description: 'The last stored round with prize data when the run started.' }),
    progress: Type.Object({ done: Type.Integer(), total: Type.Integer(), fraction: Type.Number() }),
    started_at: Nullable(Type.String()),
    finished_at: Nullable(Type.String()),
    error: Nullable(Type.String()),
    evidence: Nullable(
      Type.Object({
        tiers: Type.Object({ '1': TierEvidenceOrNull, '2': TierEvidenceOrNull, '3': TierEvidenceOrNull, '4': TierEvidenceOrNull, '5': TierEvidenceOrNull }),
        goals: Type.Array(GoalCheck),
        params: Type.Record(Type.String(), Type.Unknown()),
      }),
    ),
    peers: Type.Array(Type.Object({ value: Type.Number(), ko: Type.String(), en: Type.String() })),
    note: Bilingual,
  },
  {
    $id: 'PopularityEvidence',
    description:
      'The walk-forward backtest of the popularity model over a window: predicted against realized co-winner ratio per tier. status is done (evidence filled), queued or running (202, progress), or failed (error).',
  },
);
export type PopularityEvidence = Static<typeof PopularityEvidence>;
