/** Schemas of POST /api/wheels (TypeBox: validation, serialization and OpenAPI). */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './schemaHelpers.js';
import { GUARANTEE_NAMES, MAX_FIXED, MAX_POOL, MIN_POOL, WON_PER_TICKET } from '../domain/wheels/index.js';

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
    lang: Type.Optional(Type.Unsafe<'ko' | 'en'>({ type: 'string', enum: ['ko', 'en'], default: 'ko', description: 'Language of the refusal reasons.' })),
  },
  {
    examples: [
      { pool: [3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 42, 45], guarantee: { match: 4, if: 6 } },
      { pool: [1, 5, 9, 13, 17, 21, 25, 29, 33, 37], guarantee: { match: 3, if: 4 }, fixed: [9] },
      { pool: [2, 4, 8, 16, 20, 24, 28, 32, 36, 40, 44, 45, 10, 12], budget: 10 },
    ],
  },
);
export type WheelBody = Static<typeof WheelBody>;

const GuaranteeView = Type.Object({
  match: Type.Integer(),
  if: Type.Integer(),
  name: Type.String({ description: 'e.g. 4if6' }),
});

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
  note: Type.Object({ ko: Type.String(), en: Type.String() }),
});
export type WheelResponse = Static<typeof WheelResponse>;
