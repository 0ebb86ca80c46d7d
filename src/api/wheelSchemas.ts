/** Schemas of POST /api/wheels (TypeBox: validation, serialization and OpenAPI). */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './schemaHelpers.js';
import { GUARANTEE_NAMES, MAX_FIXED, MAX_POOL, MIN_POOL, WON_PER_TICKET } from '../domain/wheels/index.js';
import { MAX_LABEL_LENGTH, MAX_TICKET_ROUND } from '../domain/tickets/limits.js';
import { TicketView } from './ticketSchemas.js';

const Ball = Type.Integer({ minimum: 1, maximum: 45 });

export const GuaranteeBody = Type.Object(
  {
    match: Type.Integer({ minimum: 3, maximum: 5, description: 'Numbers a ticket is guaranteed to match.' }),
    if: Type.Integer({ minimum: 3, maximum: 6, description: 'How many of the six drawn numbers fall in the pool.' }),
  },
  { description: `m-if-p: one of ${GUARANTEE_NAMES.join(', ')}.`, examples: [{ match: 4, if: 6 }] },
);

export const WheelBody = Type.Object(
  {
    pool: Type.Array(Ball, {
      minItems: MIN_POOL,
      maxItems: MAX_POOL,
      uniqueItems: true,
      description: `The numbers you like: ${MIN_POOL} to ${MAX_POOL} distinct numbers from 1 to 45.`,
      examples: [[3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 42, 45]],
    }),
    guarantee: Type.Optional(GuaranteeBody),
    fixed: Type.Optional(
      Type.Array(Ball, { maxItems: MAX_FIXED, uniqueItems: true, description: `Pool numbers on every ticket (at most ${MAX_FIXED}).`, examples: [[7]] }),
    ),
    budget: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100_000, description: 'Most tickets to buy: the answer is the strongest guarantee whose wheel fits (the requested one if it fits).', examples: [10] }),
    ),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: 'Seed of the search when a wheel is searched for (fixed numbers); the same seed gives the same wheel.' })),
    least_shared: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'Relabel the wheel (trade its free pool numbers\' places; fixed numbers stay) to the labelling whose tickets have the lowest mean predicted tier 1–3 co-winner ratio, ' +
          'where the popularity model can be fitted on the stored prize rounds. Same guarantee, same ticket count, same odds; only the predicted sharing of a win changes. false: keep the ascending labelling.',
      }),
    ),
    lang: Type.Optional(Type.Unsafe<'ko' | 'en'>({ type: 'string', enum: ['ko', 'en'], default: 'ko', description: 'Language of the refusal reasons.' })),
  },
  {
    examples: [
      { pool: [3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 42, 45], guarantee: { match: 4, if: 6 } },
      { pool: [1, 5, 9, 13, 17, 21, 25, 29, 33, 37], guarantee: { match: 3, if: 4 }, fixed: [9] },
      { pool: [2, 4, 8, 16, 20, 24, 28, 32, 36, 40, 44, 45, 10, 12], budget: 10 },
      { pool: [3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 42, 45], guarantee: { match: 4, if: 6 }, least_shared: false },
    ],
  },
);
export type WheelBody = Static<typeof WheelBody>;

const GuaranteeView = Type.Object({
  match: Type.Integer(),
  if: Type.Integer(),
  name: Type.String({ description: 'e.g. 4if6' }),
});

const Words = Type.Object({ ko: Type.String(), en: Type.String() });
const TierFigures = (description: string) =>
  Type.Object({ '1': Type.Number(), '2': Type.Number(), '3': Type.Number(), '4': Type.Number(), '5': Type.Number() }, { description });
const Sharing = Type.Object({
  mean_ratio: TierFigures('Mean over the tickets of the predicted co-winner ratio per tier (1 = an average combination; lower = fewer others predicted to share a win).'),
  mean_prize_if_won: Type.Object({ '1': Type.Integer(), '2': Type.Integer(), '3': Type.Integer() }, { description: 'Mean over the tickets of the expected prize per winner if that ticket wins, won, before tax.' }),
});

export const WheelPopularity = Type.Object(
  {
    requested: Type.Boolean({ description: 'least_shared was on (the default).' }),
    applied: Type.Boolean({ description: 'The wheel was relabelled. False when turned off or when no popularity model can be fitted here (see reason).' }),
    reason: Nullable(Words),
    objective: Type.String(),
    ordering_rule: Words,
    after_round: Nullable(Type.Integer({ description: 'The model is fitted on the stored prize rounds through this round and scores the round after it.' })),
    seed: Nullable(Type.Integer()),
    labels: Nullable(Type.Array(Ball, { description: 'labels[i]: the number that took the place of the i-th smallest pool number.' })),
    before: Nullable(Sharing),
    after: Nullable(Sharing),
    search: Nullable(
      Type.Object({ restarts: Type.Integer(), swaps_kept: Type.Integer(), work: Type.Integer({ description: 'Tickets rescored.' }), converged: Type.Boolean({ description: 'Every start reached a local minimum within the work bound.' }) }),
    ),
    note: Words,
  },
  { description: 'The least-shared labelling: before (ascending labelling) and after figures. It changes how many others are predicted to share a win, never the odds.' },
);

export const WheelResponse = Type.Object({
  pool: Type.Array(Ball, { description: 'The pool, ascending.' }),
  fixed: Type.Array(Ball),
  guarantee: GuaranteeView,
  tickets: Type.Array(Type.Array(Ball), { description: 'Each ticket’s six numbers, ascending.' }),
  ticket_count: Type.Integer(),
  cost: Type.Object({
    tickets: Type.Integer(),
    won_per_ticket: Type.Integer({ description: `${WON_PER_TICKET} won.` }),
    total_won: Type.Integer(),
  }),
  proof: Type.Object(
    {
      draws_checked: Type.Integer({
        description: 'Every way p of the drawn numbers can fall in the pool, C(T, p): each was checked against every ticket. Tickets hold only pool numbers, so the other drawn numbers cannot change a match.',
      }),
      guarantee_held: Type.Boolean({ description: 'Always true: a wheel that fails is never returned.' }),
      failures: Type.Integer(),
      draws_covered: Type.Integer({ description: 'Full 6-of-45 draws with at least p numbers in the pool: on every one of them a ticket matches at least m.' }),
      method: Type.String(),
    },
    { description: 'The verification run on this very wheel before it was returned.' },
  ),
  construction: Type.Object({
    source: Type.Union([Type.Literal('table'), Type.Literal('search'), Type.Literal('exact')], {
      description: 'table: the shipped table (found offline, relabelled onto your pool); search: seeded greedy and annealing now; exact: exhaustive search now.',
    }),
    seed: Nullable(Type.Integer()),
    minimal: Type.Boolean({ description: 'An exhaustive search showed no wheel with fewer tickets exists.' }),
  }),
  budget: Nullable(
    Type.Object({
      limit: Type.Integer(),
      requested: Nullable(Type.String()),
      considered: Type.Array(Type.Object({ guarantee: Type.String(), tickets: Nullable(Type.Integer()), lower_bound: Type.Integer() }), {
        description: 'Guarantees tried, strongest first, with their wheel sizes (null: a counting bound already exceeds the budget).',
      }),
    }),
  ),
  popularity: Nullable(WheelPopularity),
  note: Type.Object({ ko: Type.String(), en: Type.String() }),
});
export type WheelResponse = Static<typeof WheelResponse>;

/** POST /api/wheels/tickets: a wheel (as shown) saved as tickets for one round. */
export const WheelTicketsBody = Type.Object(
  {
    pool: WheelBody.properties.pool,
    guarantee: GuaranteeBody,
    fixed: WheelBody.properties.fixed,
    tickets: Type.Array(Type.Array(Ball, { minItems: 6, maxItems: 6 }), {
      minItems: 1,
      maxItems: 5_000,
      description: 'The wheel’s tickets (as POST /api/wheels returned them). Verified again on the server; a wheel that does not hold its guarantee is refused (422) and nothing is stored.',
    }),
    round: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TICKET_ROUND, description: 'Round (회차) to play. Default: the next round not yet drawn (the draw calendar).' })),
    label: Type.Optional(Nullable(Type.String({ maxLength: MAX_LABEL_LENGTH - 40, description: 'Label of the tickets; each gets its part added (“· 1/3”). Default: the guarantee and pool size.' }))),
    lang: WheelBody.properties.lang,
  },
  {
    additionalProperties: false,
    examples: [
      {
        pool: [3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 42, 45],
        guarantee: { match: 3, if: 6 },
        tickets: [
          [3, 7, 11, 15, 19, 23],
          [27, 31, 35, 39, 42, 45],
        ],
      },
      { pool: [1, 2, 3, 4, 5, 6, 7], guarantee: { match: 5, if: 6 }, tickets: [[1, 2, 3, 4, 5, 6]], round: 1250, label: 'office pool' },
    ],
  },
);
export type WheelTicketsBody = Static<typeof WheelTicketsBody>;

export const WheelTicketsResponse = Type.Object({
  round: Type.Integer(),
  round_source: Type.Union([Type.Literal('next_draw'), Type.Literal('given')], { description: 'next_draw: the calendar’s next undrawn round; given: the request’s round.' }),
  games: Type.Integer({ description: 'Wheel tickets saved (each a game on a slip).' }),
  ticket_ids: Type.Array(Type.Integer(), { description: 'The saved tickets (five games each, as on a paper slip).' }),
  cost: Type.Object({ games: Type.Integer(), won_per_game: Type.Integer(), total_won: Type.Integer() }),
  guarantee: GuaranteeView,
  proof: Type.Object({ draws_checked: Type.Integer(), guarantee_held: Type.Boolean(), failures: Type.Integer() }),
  tickets: Type.Array(TicketView),
});
export type WheelTicketsResponse = Static<typeof WheelTicketsResponse>;
