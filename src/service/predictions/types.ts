/**
 * What the prediction service takes and answers: the request, the response as stored and
 * served (its field names are the API's; the two families are named by family, as stored
 * since issue 11 — older stored rows hold the design's wire names, and the API maps both to
 * the wire names in src/api/wireNames.ts), and the stored predictions with their results.
 */
import type { Machine } from '../../domain/machine.js';
import type { Lang } from '../../strategies/constraints.js';
import type { SetPopularity } from '../popularity/sharing.js';
import type { ModelFamily } from '../../models/families.js';
import type { Algorithm, CombinationMethod, MemberWeights, ModelUse } from '../combining/combine.js';

export const ALGORITHMS: readonly Algorithm[] = ['basic', 'enhanced', 'premium'];
export const COMBINATION_METHODS: readonly CombinationMethod[] = ['weighted_voting', 'stacking', 'blending'];
/** The `models` problem of a stacking request naming fewer than both families (the API renders it in its own names). */
export const STACKING_NEEDS_BOTH = 'both transformer and ensemble: stacking combines the two';
export const MIN_WINDOW = 10;
export const MAX_WINDOW = 100;
export const DEFAULT_WINDOW = 50;
export const DEFAULT_INFERENCE_TIMEOUT_MS = 30_000;

export type PredictionSource = 'api-generate' | 'api-ensemble' | 'cli';

export interface PredictionRequest {
  /** 1, 2, 3, or 'all' for the three machines side by side. */
  machine: Machine | 'all';
  /** Sets per machine, 1..20. */
  count: number;
  algorithm?: Algorithm;
  /** An explicit combination (the ensemble endpoint, `hogi predict --method`); not with basic or premium. */
  method?: CombinationMethod;
  /** Model families allowed (default both). */
  models?: readonly ModelFamily[];
  /** Draws of the machine the baseline and the 1호기 reweighting look at, 10..100. */
  window?: number;
  seed?: number;
  include?: readonly number[];
  exclude?: readonly number[];
  lang?: Lang;
  /** Drop sets whose confidence_score (model percentile) is below this, 0..1. */
  confidenceThreshold?: number;
  source?: PredictionSource;
  /** The API key asking (stored with the prediction; lists are scoped to it). */
  apiKeyId?: number | null;
  /** Keep only sets the popularity model predicts to be shared little (ratio ≤ 0.85 in tiers 1–3). */
  avoidSharing?: boolean;
}

export interface PredictionItem {
  set_number: number;
  machine_type: string;
  numbers: number[];
  /** Percentile of the set under the model among all C(45,6) combinations: a ranking, not a chance of winning. */
  confidence_score: number;
  /** Σ p over the six numbers; chance is 0.8. */
  expected_matches: number;
  algorithm_used: string;
  explanation: string[];
  /** Predicted co-winner ratio per tier and expected prize if won; null while the prize tiers are not stored. Answered when made; GET of the stored prediction leaves it out. */
  popularity?: SetPopularity | null;
}

export interface MachineMetadata {
  machine_type: string;
  strategy: string;
  combination_method: string;
  models_used: string[];
  models: ModelUse[];
  fallback: boolean;
  fallback_reasons: string[];
  weights: MemberWeights | null;
  stacking_coefficients: { transformer: number; ensemble: number; intercept: number } | null;
  blending_scored_draws: number | null;
  analysis_window_draws: number;
  sets_generated: number;
  sets_dropped: number;
}

export interface PredictionMetadata {
  algorithm: Algorithm;
  combination_method: string;
  analysis_window: number;
  model_version: string;
  features_used: string[];
  models_used: string[];
  fallback: boolean;
  fallback_reasons: string[];
  target_round: number;
  chance_expected_matches: number;
  seed: number;
  data_version: number;
  cache_key: string;
  lang: Lang;
  /** Why premium uses the method it uses. */
  method_reason: string | null;
  /** The weights of a single-machine request (per machine in `machines`). */
  weights: MemberWeights | null;
  machines: MachineMetadata[];
  differentiation: DifferentiationReport | null;
  requested_sets: number;
  confidence_threshold: number | null;
  dropped_below_threshold: number;
  /** Whether avoid_sharing was asked for. */
  avoid_sharing?: boolean;
  /** An average combination's popularity figures, to read each set's next to (null while the prize tiers are not stored). */
  average_combination_popularity?: SetPopularity | null;
}

/** How different the machines' sets are (strategies' `differentiation`), in the API's snake_case. */
export interface DifferentiationReport {
  /** 1 − (numbers used by ≥ 2 machines) / (distinct numbers in all sets). */
  score: number;
  distinct_numbers: number;
  shared_numbers: number[];
  per_machine: Array<{ machine_type: string; distinct: number; exclusive: number }>;
  claim: string;
}

export type CacheStatus = 'hit' | 'miss';

export interface PredictionResponse {
  request_id: string;
  machine_type: string;
  predictions: PredictionItem[];
  metadata: PredictionMetadata;
  generated_at: string;
}

/** What `generate` answers: the prediction and whether it came from the response cache. */
export interface GeneratedPrediction extends PredictionResponse {
  /** Set on answers of `generate`: 'hit' = the stored prediction of an identical earlier request, 'miss' = made and stored now. Not stored. */
  cache_status: CacheStatus;
}

export interface GenerateOptions {
  /** Never answer from the response cache (Cache-Control: no-cache); the new answer replaces the cached one. */
  fresh?: boolean;
}

export interface SetResult {
  matches: number | null;
  bonus_match: boolean | null;
  prize_rank: number | null;
}

export interface StoredPrediction extends Omit<PredictionResponse, 'predictions'> {
  status: 'pending' | 'scored';
  draw: { round: number; numbers: number[]; bonus: number; machine_type: string | null } | null;
  /** Each set with its result; without `popularity` (answered when made, not on look-up). */
  predictions: Array<Omit<PredictionItem, 'popularity'> & SetResult>;
}

export interface StoredPredictionSummary {
  request_id: string;
  machine_type: string;
  target_round: number;
  algorithm: string;
  combination_method: string;
  source: string;
  created_at: string;
  status: 'pending' | 'scored';
  sets: Array<{ set_number: number; machine_type: string; numbers: number[]; confidence_score: number } & SetResult>;
}
