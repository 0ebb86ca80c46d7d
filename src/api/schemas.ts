/**
 * Every request and response schema of the API, in TypeBox. The same objects drive request
 * validation (ajv), response serialization (fast-json-stringify) and the OpenAPI document.
 */
import { Type, type Static, type TNumber, type TSchema } from '@sinclair/typebox';
import { Nullable, StringEnum } from './schemaHelpers.js';
import { KNOWN_MACHINES, formatMachine } from '../domain/machine.js';
import { MAX_NUMBER } from '../domain/draw.js';
import { PerformanceMetrics } from './backtestSchemas.js';



// ---- shared ------------------------------------------------------------------------------------

/** Every accepted spelling of a machine plus "all", as listed in INVALID_MACHINE_TYPE answers. */
export const MACHINE_TYPE_VALUES: readonly string[] = [
  ...KNOWN_MACHINES.map(String),
  ...KNOWN_MACHINES.map(formatMachine),
  'all',
];

const MachineType = Type.String({
  minLength: 1,
  maxLength: 32,
  description: 'A draw machine (호기) as 1, "1" or "1호기" (URL-encode the Korean form), or "all" for every draw.',
  examples: ['3', '3호기', 'all'],
});

export const ErrorEnvelope = Type.Object(
  {
    status: Type.Literal('error'),
    error: Type.Object(
      {
        code: Type.String({ description: 'Stable machine-readable code, e.g. VALIDATION_ERROR, INVALID_MACHINE_TYPE, NOT_FOUND, NO_DATA.' }),
        message: Type.String(),
        field: Nullable(Type.String({ description: 'The request field at fault, when one is.' })),
        valid_values: Type.Optional(Type.Array(Type.String())),
        hint: Type.Optional(Type.String()),
      },
      { additionalProperties: true },
    ),
    timestamp: Type.String({ format: 'date-time' }),
    request_id: Type.String(),
  },
  { description: 'The error envelope every route uses.' },
);
/** The envelope's type, from the schema (api/errors.ts adds the detail keys to `error`). */
export type ErrorEnvelope = Static<typeof ErrorEnvelope>;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request (e.g. INVALID_MACHINE_TYPE, listing valid values).',
  404: 'Not found (NOT_FOUND).',
  409: 'No data stored yet (NO_DATA, with a hint on how to load it).',
  422: 'A parameter failed validation (VALIDATION_ERROR, naming the field).',
  500: 'Unexpected failure (INTERNAL_ERROR).',
};

/** Response entries for the given error statuses; 422 and 500 apply to every route. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of [...statuses, 422, 500]) out[s] = { ...ErrorEnvelope, description: ERROR_DESCRIPTIONS[s] ?? 'Error.' };
  return out;
}

// ---- draws -------------------------------------------------------------------------------------

export const MAX_PAGE_SIZE = 100;

export const DrawListQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1, description: '1-based page number.' }),
  page_size: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20, description: `Draws per page (1..${MAX_PAGE_SIZE}).` }),
  machine: Type.Optional(MachineType),
  from: Type.Optional(Type.Integer({ minimum: 1, description: 'First round (inclusive).' })),
  to: Type.Optional(Type.Integer({ minimum: 1, description: 'Last round (inclusive).' })),
  order: StringEnum(['desc', 'asc'] as const, { default: 'desc', description: 'desc = newest first.' }),
});
export type DrawListQuery = Static<typeof DrawListQuery>;

export const RoundParams = Type.Object({ round: Type.Integer({ minimum: 1, description: 'Draw round (회차).' }) });
export type RoundParams = Static<typeof RoundParams>;

export const DrawPrize = Type.Object(
  {
    rank: Type.Integer({ minimum: 1, maximum: 5, description: 'Prize tier: 1 = six numbers, 2 = five plus the bonus, 3 = five, 4 = four, 5 = three.' }),
    winners: Nullable(Type.Integer({ minimum: 0, description: 'Winning tickets (games) in this tier; null when not known.' })),
    prize_each: Nullable(Type.Integer({ minimum: 0, description: 'KRW paid per winning ticket; null when not known.' })),
  },
  { description: 'One prize tier of a round.' },
);
export type DrawPrize = Static<typeof DrawPrize>;

export const FirstPrizeSplit = Type.Object(
  {
    auto: Type.Integer({ minimum: 0, description: '자동: numbers chosen by the terminal.' }),
    manual: Type.Integer({ minimum: 0, description: '수동: numbers chosen by the buyer.' }),
    semi_auto: Type.Integer({ minimum: 0, description: '반자동: some chosen by the buyer, the rest by the terminal.' }),
  },
  { description: 'How the first-prize winning tickets were bought; the three add up to the first-prize winners.' },
);
export type FirstPrizeSplit = Static<typeof FirstPrizeSplit>;

export const DrawItem = Type.Object({
  round: Type.Integer({ minimum: 1 }),
  date: Type.String({ format: 'date' }),
  numbers: Type.Array(Type.Integer({ minimum: 1, maximum: MAX_NUMBER }), { minItems: 6, maxItems: 6, description: 'Sorted ascending.' }),
  bonus: Type.Integer({ minimum: 1, maximum: MAX_NUMBER }),
  machine: Nullable(Type.Integer({ minimum: 1, description: '호기 number; null when unknown (before round 262 or not yet labelled).' })),
  machine_label: Nullable(Type.String({ examples: ['3호기'] })),
  first_prize_each: Nullable(Type.Integer({ minimum: 0, description: 'KRW per first-prize ticket.' })),
  first_prize_winners: Nullable(Type.Integer({ minimum: 0 })),
  total_sales: Nullable(Type.Integer({ minimum: 0, description: 'KRW.' })),
  prizes: Type.Array(DrawPrize, {
    minItems: 5,
    maxItems: 5,
    description:
      'All five prize tiers, rank 1 first. Always five entries; a figure not known for this round (not published yet, or no source ' +
      'had it: tiers 2–5 of rounds 1239–1245 in the shipped history) is null, never 0. Rank 1 repeats first_prize_winners / first_prize_each.',
  }),
  first_prize_split: Type.Union([FirstPrizeSplit, Type.Null()], {
    description: 'How the first-prize tickets were bought (published from round 262); null when unknown: before round 262, not published yet, or a round nobody won.',
  }),
  odd_even: Type.String({ description: '"odd:even" counts, e.g. "4:2".' }),
  high_low: Type.String({ description: '"high:low" counts; high is 23..45.' }),
  ac_value: Type.Integer({ minimum: 0, maximum: 10, description: 'Standard AC value: distinct pairwise differences minus 5.' }),
  last_digit_sum: Type.Integer({ minimum: 0 }),
  total_sum: Type.Integer({ minimum: 0 }),
});
export type DrawItem = Static<typeof DrawItem>;

export const DrawPage = Type.Object({
  items: Type.Array(DrawItem),
  total: Type.Integer({ minimum: 0, description: 'Draws matching the filters, over all pages.' }),
  page: Type.Integer({ minimum: 1 }),
  page_size: Type.Integer({ minimum: 1 }),
  total_pages: Type.Integer({ minimum: 0 }),
});
export type DrawPage = Static<typeof DrawPage>;

// ---- statistics --------------------------------------------------------------------------------

export const MAX_ANALYSIS_ROUNDS = 2000;

export const MachineTypeParams = Type.Object({ machine_type: MachineType });
export type MachineTypeParams = Static<typeof MachineTypeParams>;

export const AnalysisQuery = Type.Object({
  rounds: Type.Integer({ minimum: 1, maximum: MAX_ANALYSIS_ROUNDS, default: 50, description: 'Window: the last N draws of that machine.' }),
});
export type AnalysisQuery = Static<typeof AnalysisQuery>;

// Typed as numbers (not TSchema) so Static<typeof MachineAnalysis> gives the dashboard number values.
const shareByNumber: Record<string, TNumber> = {};
for (let n = 1; n <= MAX_NUMBER; n++) shareByNumber[String(n)] = Type.Number({ minimum: 0, maximum: 1 });

export const MachineAnalysis = Type.Object({
  machine_type: Type.String({ description: '"1호기".."3호기" or "all".' }),
  analysis_period: Type.Object({
    total_rounds: Type.Integer({ minimum: 0 }),
    start_round: Nullable(Type.Integer()),
    end_round: Nullable(Type.Integer()),
  }),
  number_frequency: Type.Object({
    most_frequent: Type.Array(Type.Integer(), { maxItems: 5, description: 'Highest counts; ties go to the lower number.' }),
    least_frequent: Type.Array(Type.Integer(), { maxItems: 5, description: 'Lowest counts; ties go to the lower number.' }),
    frequency_distribution: Type.Object(shareByNumber, { description: 'Number → share of the window\'s draws that contained it (0..1, 4 decimals).' }),
  }),
  pattern_analysis: Type.Object({
    avg_odd_count: Type.Number(),
    avg_even_count: Type.Number(),
    avg_high_count: Type.Number(),
    avg_low_count: Type.Number(),
    avg_ac_value: Type.Number(),
    avg_last_digit_sum: Type.Number(),
    avg_total_sum: Type.Number(),
  }),
  performance_metrics: PerformanceMetrics,
});

// ---- root --------------------------------------------------------------------------------------

export const RootInfo = Type.Object({
  name: Type.String(),
  version: Type.String(),
  docs: Type.String(),
  openapi: Type.String(),
  health: Type.String(),
  dashboard: Type.String(),
});
