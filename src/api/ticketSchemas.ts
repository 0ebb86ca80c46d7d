// Schemas of /api/tickets and /api/combinations/history: request validation, response
// serialization and the OpenAPI document come from these objects.
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum } from './schemaHelpers.js';
import { MAX_LABEL_LENGTH, MAX_TICKET_ROUND } from '../domain/tickets/limits.js';


const Game = Type.Array(Type.Integer({ minimum: 1, maximum: 45 }), { minItems: 6, maxItems: 6, description: 'Six different numbers 1..45 (any order; stored ascending).' });

export const TicketCreateBody = Type.Object(
  {
    qr: Type.Optional(Type.String({ maxLength: 2048, description: 'The text of the paper ticket’s QR code (a m.dhlottery.co.kr / qr.dhlottery.co.kr URL). Never fetched; its serial is kept only as a hash.' })),
    round: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TICKET_ROUND, description: 'Round (회차) of typed games.' })),
    games: Type.Optional(Type.Array(Game, { minItems: 1, maxItems: 5, description: 'Typed games (slots A..E in order).' })),
    prediction_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'A stored prediction (request_id): its sets become the games, for its target round.' })),
    set_numbers: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 1000 }), { minItems: 1, maxItems: 5, uniqueItems: true, description: 'Which sets of the prediction (default all; at most five).' })),
    label: Type.Optional(Nullable(Type.String({ maxLength: MAX_LABEL_LENGTH }))),
  },
  {
    title: 'TicketCreateBody',
    additionalProperties: false,
    description: 'Exactly one of: `qr`; `round` with `games`; `prediction_id` (with optional `set_numbers`). `label` is optional.',
    examples: [{ round: 1100, games: [[17, 26, 29, 30, 31, 43], [1, 7, 12, 23, 34, 45]], label: 'office pool' }],
  },
);
export type TicketCreateBody = Static<typeof TicketCreateBody>;

export const GameResult = Type.Object({
  matches: Type.Integer({ minimum: 0, maximum: 6 }),
  bonus_match: Type.Boolean(),
  rank: Nullable(Type.Integer({ minimum: 1, maximum: 5, description: '1st six, 2nd five + bonus, 3rd five, 4th four, 5th three; null: no prize.' })),
  prize_gross: Nullable(Type.Integer({ description: 'That round’s prize per winner in this tier, won; null when not won or not stored yet.' })),
  tax: Nullable(Type.Integer()),
  prize_net: Nullable(Type.Integer()),
  amount_pending: Type.Boolean({ description: 'Won a tier whose prize per winner is not stored yet.' }),
});

export const TicketView = Type.Object(
  {
    id: Type.Integer(),
    round: Type.Integer(),
    source: StringEnum(['qr', 'manual', 'prediction'] as const),
    label: Nullable(Type.String()),
    prediction_id: Nullable(Type.String()),
    created_at: Type.String({ format: 'date-time' }),
    status: StringEnum(['pending', 'checked'] as const, { description: 'pending until the round’s draw is stored.' }),
    checked_at: Nullable(Type.String({ format: 'date-time' })),
    amount_pending: Type.Boolean(),
    games: Type.Array(
      Type.Object({
        slot: StringEnum(['A', 'B', 'C', 'D', 'E'] as const),
        type: StringEnum(['auto', 'manual', 'semi_auto'] as const, { description: 'auto 자동, manual 수동, semi_auto 반자동.' }),
        numbers: Type.Array(Type.Integer()),
        result: Nullable(GameResult),
      }),
    ),
  },
  { title: 'Ticket' },
);
export type TicketView = Static<typeof TicketView>;

export const TicketListQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  round: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TICKET_ROUND })),
  status: Type.Optional(StringEnum(['pending', 'checked'] as const)),
});
export type TicketListQuery = Static<typeof TicketListQuery>;

export const TicketPage = Type.Object(
  { items: Type.Array(TicketView), total: Type.Integer(), page: Type.Integer(), page_size: Type.Integer(), total_pages: Type.Integer() },
  { title: 'TicketPage' },
);
export type TicketPage = Static<typeof TicketPage>;

export const TicketIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Ticket id.' }) });
export type TicketIdParams = Static<typeof TicketIdParams>;

export const TicketPatchBody = Type.Object(
  { label: Nullable(Type.String({ maxLength: MAX_LABEL_LENGTH })) },
  { title: 'TicketPatchBody', additionalProperties: false, examples: [{ label: 'birthday numbers' }] },
);
export type TicketPatchBody = Static<typeof TicketPatchBody>;

export const TicketSummary = Type.Object(
  {
    tickets: Type.Integer(),
    games: Type.Integer(),
    spent: Type.Integer({ description: '1,000 won a game.' }),
    gross: Type.Integer(),
    tax: Type.Integer(),
    net: Type.Integer(),
    result: Type.Integer({ description: 'net − spent.' }),
    checked_games: Type.Integer(),
    pending_games: Type.Integer(),
    amount_pending_games: Type.Integer(),
    tiers: Type.Array(
      Type.Object({
        rank: Type.Integer(),
        won: Type.Integer(),
        expected: Type.Number({ description: 'Wins chance expects from the checked games: games × probability.' }),
        probability: Type.Number({ description: 'Exact chance for one game: 1, 6, 228, 11,115 or 182,780 in 8,145,060.' }),
      }),
    ),
    rounds: Type.Array(
      Type.Object({
        round: Type.Integer(),
        tickets: Type.Integer(),
        games: Type.Integer(),
        spent: Type.Integer(),
        gross: Type.Integer(),
        tax: Type.Integer(),
        net: Type.Integer(),
        result: Type.Integer(),
        cumulative_result: Type.Integer(),
        status: StringEnum(['pending', 'checked'] as const),
        amount_pending_games: Type.Integer(),
      }),
    ),
  },
  { title: 'TicketSummary' },
);
export type TicketSummary = Static<typeof TicketSummary>;

export const CombinationQuery = Type.Object({
  numbers: Type.String({ minLength: 1, maxLength: 64, description: 'Six different numbers 1..45, comma-separated.', examples: ['1,2,3,4,5,6'] }),
});
export type CombinationQuery = Static<typeof CombinationQuery>;

export const CombinationHistory = Type.Object(
  {
    numbers: Type.Array(Type.Integer()),
    rounds_played: Type.Integer({ description: 'Stored rounds: the weeks it would have been played.' }),
    first_round: Nullable(Type.Integer()),
    last_round: Nullable(Type.Integer()),
    wins: Type.Array(
      Type.Object({
        round: Type.Integer(),
        rank: Type.Integer(),
        matches: Type.Integer(),
        bonus_match: Type.Boolean(),
        prize_each: Nullable(Type.Integer({ description: 'That round’s prize per winner; null while not stored (or nobody won the tier).' })),
        prize_net: Nullable(Type.Integer()),
      }),
    ),
    tiers: Type.Array(Type.Object({ rank: Type.Integer(), count: Type.Integer() })),
    ever_first_prize: Type.Boolean(),
    cost: Type.Integer({ description: '1,000 won for every stored round.' }),
    paid_gross: Type.Integer(),
    paid_net: Type.Integer(),
    amount_pending_wins: Type.Integer(),
    result: Type.Integer({ description: 'paid_net − cost.' }),
  },
  { title: 'CombinationHistory' },
);
export type CombinationHistory = Static<typeof CombinationHistory>;

export const TicketCheckResult = Type.Object(
  { checked_rounds: Type.Integer(), checked_games: Type.Integer(), summary: TicketSummary },
  { title: 'TicketCheckResult' },
);
export type TicketCheckResult = Static<typeof TicketCheckResult>;
