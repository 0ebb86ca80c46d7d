import { Type, type Static } from '@sinclair/typebox';

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
