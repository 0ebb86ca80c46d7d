/**
 * Request and response schemas of the prediction routes, in TypeBox: the same objects drive
 * validation, serialization and the OpenAPI document (as src/api/schemas.ts for the others).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Nullable, StringEnum } from './schemaHelpers.js';
import { MAX_NUMBER } from '../domain/draw.js';
import { MAX_EXCLUDE, MAX_INCLUDE, MAX_SETS } from '../strategies/sets.js';
import {
  ALGORITHMS,
  COMBINATION_METHODS,
  DEFAULT_WINDOW,
  MAX_WINDOW,
  MIN_WINDOW,
  type GeneratedPrediction as PredictionResponseModel,
  type StoredPrediction as StoredPredictionModel,
  type StoredPredictionSummary,
} from '../service/predictions/service.js';
import { ErrorEnvelope } from './schemas.js';
import { DEFAULT_WIRE_MODELS, WIRE_MEMBER_NAMES, WIRE_MODEL_NAMES, type PredictionOnWire } from './wireNames.js';


const Ball = Type.Integer({ minimum: 1, maximum: MAX_NUMBER });

const MachineTypeValue = Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 1, maxLength: 32 })], {
  description: 'A draw machine (호기) as 1, "1" or "1호기", or "all" for the three machines side by side.',
  examples: [1, '2호기', 'all'],
});

const common = {
  machine_type: MachineTypeValue,
  sets_count: Type.Integer({ minimum: 1, maximum: MAX_SETS, default: 5, description: `Sets per machine (1..${MAX_SETS}).` }),
  analysis_window: Type.Integer({
    minimum: MIN_WINDOW,
    maximum: MAX_WINDOW,
    default: DEFAULT_WINDOW,
    description: "The machine's last N draws used by the frequency baseline (basic, fallback) and 1호기's top-30% reweighting.",
  }),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, description: 'Makes the sets reproducible; drawn at random (and reported) when absent.' })),
  include: Type.Optional(Type.Array(Ball, { maxItems: MAX_INCLUDE, uniqueItems: true, description: `Numbers every set must contain (at most ${MAX_INCLUDE}).` })),
  exclude: Type.Optional(Type.Array(Ball, { maxItems: MAX_EXCLUDE, uniqueItems: true, description: `Numbers no set may contain (at most ${MAX_EXCLUDE}).` })),
  lang: StringEnum(['ko', 'en'] as const, { default: 'ko', description: 'Language of explanations and reasons.' }),
  avoid_sharing: Type.Boolean({
    default: false,
    description:
      'Keep only sets the popularity model predicts to be shared little if they win (co-winner ratio ≤ 0.85 in tiers 1, 2 and 3), among those meeting the machine rules and fixed/excluded numbers; ' +
      'the model vector ranks the rest. The chance of winning is unchanged. 422 IMPOSSIBLE_CONSTRAINTS when no such set is found, 409 NO_DATA while the prize tiers are not stored.',
  }),
};

export const GenerateBody = Type.Object(
  {
  ...common,
  algorithm: StringEnum(ALGORITHMS, {
    default: 'enhanced',
    description:
      'basic: frequency baseline + machine strategy; enhanced: Transformer and ensemble by weighted voting (0.55/0.45) + strategy; ' +
      'premium: the combination method the latest completed backtest ranks best by log-loss (weighted voting until one exists); metadata.method_reason says which, why, and whether it beats chance.',
  }),
  },
  // What Swagger UI's "Try it out" sends: a request that succeeds (its own example would combine include and exclude of the same number).
  { examples: [{ machine_type: 1, sets_count: 5, algorithm: 'enhanced', lang: 'ko' }] },
);
export type GenerateBody = Static<typeof GenerateBody>;

export const EnsembleBody = Type.Object(
  {
  ...common,
  ensemble_method: StringEnum(COMBINATION_METHODS, {
    default: 'weighted_voting',
    description: 'weighted_voting (0.55/0.45), stacking (409 STACKING_NOT_TRAINED until `hogi train --stacking`), blending (weights from recent per-draw log-likelihood).',
  }),
  models: Type.Array(StringEnum(WIRE_MODEL_NAMES), {
    minItems: 1,
    uniqueItems: true,
    default: [...DEFAULT_WIRE_MODELS],
    description: `Families to combine; ${WIRE_MODEL_NAMES[2]} is the design's class name of the scikit-learn ensemble (same as ${WIRE_MEMBER_NAMES[1]}).`,
  }),
  confidence_threshold: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0.7,
    description: 'Sets whose confidence_score (model percentile) is below this are dropped; metadata.dropped_below_threshold counts them.',
  }),
  },
  { examples: [{ machine_type: 'all', sets_count: 3, ensemble_method: 'weighted_voting', models: [...DEFAULT_WIRE_MODELS], confidence_threshold: 0, lang: 'ko' }] },
);
export type EnsembleBody = Static<typeof EnsembleBody>;

const Weights = Nullable(
  Type.Object(
    { [WIRE_MEMBER_NAMES[0]]: Type.Optional(Type.Number()), [WIRE_MEMBER_NAMES[1]]: Type.Optional(Type.Number()) },
    { description: 'Weights applied to the families (sum 1).' },
  ),
);

const ModelUse = Type.Object({
  name: Type.String({ description: `${WIRE_MEMBER_NAMES.join(' or ')}.` }),
  status: StringEnum(['ok', 'absent', 'failed', 'timeout', 'not_requested'] as const),
  key: Nullable(Type.String({ description: 'Stored model key, e.g. transformer-m1-small or transformer-all-small (pooled).' })),
  created_at: Nullable(Type.String()),
  trained_through_round: Nullable(Type.Integer()),
  source: Nullable(StringEnum(['computed', 'stored'] as const, { description: 'Vector computed for this data version, or read back from its stored forecast.' })),
  reason: Nullable(Type.String({ description: 'Why the family was not used (absent, failed, timed out).' })),
});

const MachineMetadata = Type.Object({
  machine_type: Type.String(),
  strategy: Type.String({ description: 'enhanced_ml_premium (1호기), enhanced_ml_balanced (2호기), enhanced_ml_creative (3호기).' }),
  combination_method: Type.String({ description: 'weighted_voting, stacking, blending or frequency_baseline: what actually produced the vector.' }),
  models_used: Type.Array(Type.String()),
  models: Type.Array(ModelUse),
  fallback: Type.Boolean(),
  fallback_reasons: Type.Array(Type.String()),
  weights: Weights,
  stacking_coefficients: Nullable(Type.Object({ transformer: Type.Number(), ensemble: Type.Number(), intercept: Type.Number() })),
  blending_scored_draws: Nullable(Type.Integer({ description: 'Scored draws behind the blending weights (0: default 0.5/0.5 until 10).' })),
  analysis_window_draws: Type.Integer({ minimum: 0 }),
  sets_generated: Type.Integer({ minimum: 0 }),
  sets_dropped: Type.Integer({ minimum: 0 }),
});

const Differentiation = Type.Object({
  score: Type.Number({ minimum: 0, maximum: 1, description: 'Share of numbers not shared between machines: 1 − shared / distinct.' }),
  distinct_numbers: Type.Integer(),
  shared_numbers: Type.Array(Type.Integer()),
  per_machine: Type.Array(Type.Object({ machine_type: Type.String(), distinct: Type.Integer(), exclusive: Type.Integer() })),
  claim: Type.String(),
});

const PredictionItemFields = {
  set_number: Type.Integer({ minimum: 1 }),
  machine_type: Type.String(),
  numbers: Type.Array(Ball, { minItems: 6, maxItems: 6, description: 'Six distinct numbers, ascending.' }),
  confidence_score: Type.Number({
    minimum: 0,
    maximum: 1,
    description: "The set's percentile under the model among all C(45,6) combinations (0.87: it scores above 87% of them). A ranking, not a chance of winning.",
  }),
  expected_matches: Type.Number({ minimum: 0, maximum: 6, description: 'Expected matching numbers under the model; chance is 0.8.' }),
  algorithm_used: Type.String({ description: 'The machine strategy applied.' }),
  explanation: Type.Array(Type.String()),
};

const ByTier = Type.Object({ '1': Type.Number(), '2': Type.Number(), '3': Type.Number(), '4': Type.Number(), '5': Type.Number() });
/** Each generated set's predicted sharing; not stored with the prediction. */
const SetPopularity = Nullable(
  Type.Object(
    {
      ratio: ByTier,
      expected_prize_if_won: Type.Object({ '1': Type.Number(), '2': Type.Number(), '3': Type.Number() }),
    },
    { description: 'Predicted co-winner ratio per tier (average combination = 1) and expected prize per winner if the set wins (won, before tax). null while the prize tiers are not stored. Never a chance of winning.' },
  ),
);

const Metadata = Type.Object({
  algorithm: StringEnum(ALGORITHMS),
  combination_method: Type.String(),
  analysis_window: Type.Integer(),
  model_version: Type.String({ description: 'Config and a hash of the models used (or frequency_baseline).' }),
  features_used: Type.Array(Type.String()),
  models_used: Type.Array(Type.String()),
  fallback: Type.Boolean({ description: 'True when a requested model family could not be used.' }),
  fallback_reasons: Type.Array(Type.String()),
  target_round: Type.Integer({ minimum: 1, description: 'The draw predicted: the next round not yet drawn by the calendar (every Saturday 20:35 KST), or the stored latest + 1 if that is later.' }),
  chance_expected_matches: Type.Number({ description: 'Expected matches of any set under pure chance: 6 × 6/45 = 0.8.' }),
  seed: Type.Integer(),
  data_version: Type.Integer(),
  cache_key: Type.String({ description: 'Hash of the data version and models the vectors came from.' }),
  lang: Type.String(),
  method_reason: Nullable(Type.String()),
  weights: Weights,
  machines: Type.Array(MachineMetadata),
  differentiation: Nullable(Differentiation),
  requested_sets: Type.Integer(),
  confidence_threshold: Nullable(Type.Number()),
  dropped_below_threshold: Type.Integer({ minimum: 0 }),
  avoid_sharing: Type.Optional(Type.Boolean()),
  average_combination_popularity: Type.Optional(SetPopularity),
});

export const PredictionResponse = Type.Object({
  request_id: Type.String({ description: 'Id of the stored prediction (GET /api/predictions/{request_id}).' }),
  machine_type: Type.String(),
  predictions: Type.Array(Type.Object({ ...PredictionItemFields, popularity: Type.Optional(SetPopularity) })),
  metadata: Metadata,
  generated_at: Type.String({ format: 'date-time' }),
  cache_status: Type.Unsafe<'hit' | 'miss'>({
    type: 'string',
    enum: ['hit', 'miss'],
    description:
      'miss: sets made and stored now. hit: an identical unseeded request was answered within the cache TTL with the same data and models, so this is that ' +
      'stored prediction again (same request_id, generated_at and sets; no new row). Send `Cache-Control: no-cache` for fresh sets; requests with a seed are never cached.',
  }),
});

const SetResultFields = {
  matches: Nullable(Type.Integer({ minimum: 0, maximum: 6 })),
  bonus_match: Nullable(Type.Boolean()),
  prize_rank: Nullable(Type.Integer({ minimum: 1, maximum: 5, description: '1: 6; 2: 5 + bonus; 3: 5; 4: 4; 5: 3 matches; null below or while pending.' })),
};

const Status = StringEnum(['pending', 'scored'] as const, { description: 'scored once the target draw is stored.' });

export const StoredPrediction = Type.Object({
  request_id: Type.String(),
  machine_type: Type.String(),
  status: Status,
  draw: Nullable(Type.Object({ round: Type.Integer(), numbers: Type.Array(Ball), bonus: Ball, machine_type: Nullable(Type.String()) })),
  predictions: Type.Array(Type.Object({ ...PredictionItemFields, ...SetResultFields })),
  metadata: Metadata,
  generated_at: Type.String({ format: 'date-time' }),
});

export const PredictionIdParams = Type.Object({ request_id: Type.String({ minLength: 1, maxLength: 64 }) });
export type PredictionIdParams = Static<typeof PredictionIdParams>;

export const PredictionListQuery = Type.Object({
  machine: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: '1, "1호기" … or "all" (the three-machine requests).' })),
  round: Type.Optional(Type.Integer({ minimum: 1, description: 'Target round.' })),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type PredictionListQuery = Static<typeof PredictionListQuery>;

export const PredictionList = Type.Object({
  items: Type.Array(
    Type.Object({
      request_id: Type.String(),
      machine_type: Type.String(),
      target_round: Type.Integer(),
      algorithm: Type.String(),
      combination_method: Type.String(),
      source: Type.String({ description: 'api-generate, api-ensemble or cli.' }),
      created_at: Type.String({ format: 'date-time' }),
      status: Status,
      sets: Type.Array(
        Type.Object({
          set_number: Type.Integer(),
          machine_type: Type.String(),
          numbers: Type.Array(Ball),
          confidence_score: Type.Number(),
          ...SetResultFields,
        }),
      ),
    }),
  ),
  total: Type.Integer({ minimum: 0 }),
  page: Type.Integer(),
  page_size: Type.Integer(),
});

const PREDICTION_ERRORS: Record<number, string> = {
  400: 'INVALID_MACHINE_TYPE (listing valid values).',
  404: 'NOT_FOUND: no stored prediction with that id.',
  409: 'NO_DATA (no draws stored yet) or STACKING_NOT_TRAINED (run `hogi train --stacking`).',
  422: 'VALIDATION_ERROR (naming the field), or IMPOSSIBLE_CONSTRAINTS / TOO_FEW_DISTINCT_SETS with the plain-words reason.',
  500: 'INTERNAL_ERROR.',
};

export function predictionErrors(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of [...statuses, 422, 500]) out[s] = { ...ErrorEnvelope, description: PREDICTION_ERRORS[s] ?? 'Error.' };
  return out;
}

// ---- the wire types, from the schemas ----------------------------------------------------------
/** What POST /api/predictions/generate and /api/ensemble/predictions answer. */
export type PredictionResponseDto = Static<typeof PredictionResponse>;
/** What GET /api/predictions/{request_id} answers. */
export type StoredPredictionDto = Static<typeof StoredPrediction>;
/** What GET /api/predictions answers. */
export type PredictionListDto = Static<typeof PredictionList>;

/**
 * The keys of A (deeply, through arrays and nullables) that B lacks. The response serializer
 * drops any field its schema does not name, silently; the checks below make such a field a
 * type error instead, so the service's answer and the wire schema cannot drift apart.
 */
type MissingKeys<A, B> = A extends readonly (infer X)[]
  ? B extends readonly (infer Y)[]
    ? MissingKeys<X, Y>
    : never
  : A extends object
    ? { [K in keyof A]-?: K extends keyof B ? MissingKeys<NonNullable<A[K]>, NonNullable<B[K]>> : K }[keyof A]
    : never;
type Covers<Service, Dto> = [MissingKeys<Service, Dto>] extends [never] ? (Service extends Dto ? true : false) : false;

export const SERVICE_ANSWERS_FIT_THE_SCHEMAS: [
  Covers<PredictionOnWire<PredictionResponseModel>, PredictionResponseDto>,
  Covers<PredictionOnWire<StoredPredictionModel>, StoredPredictionDto>,
  Covers<{ items: StoredPredictionSummary[]; total: number; page: number; page_size: number }, PredictionListDto>,
] = [true, true, true];
