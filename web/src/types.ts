/** Response shapes of the hogi API as the dashboard reads them (see src/api/schemas.ts, predictionSchemas.ts). */

export interface DrawItem {
  round: number;
  date: string;
  numbers: number[];
  bonus: number;
  machine: number | null;
  machine_label: string | null;
  first_prize_each: number | null;
  first_prize_winners: number | null;
  total_sales: number | null;
  odd_even: string;
  high_low: string;
  ac_value: number;
  last_digit_sum: number;
  total_sum: number;
}

export interface DrawPage {
  items: DrawItem[];
  total: number;
  page: number;
  page_size: number;
  total_pages: number;
}

export interface MachineAnalysis {
  machine_type: string;
  analysis_period: { total_rounds: number; start_round: number | null; end_round: number | null };
  number_frequency: { most_frequent: number[]; least_frequent: number[]; frequency_distribution: Record<string, number> };
  pattern_analysis: Record<string, number>;
  performance_metrics?: unknown;
}

export interface Differentiation {
  score: number;
  distinct_numbers: number;
  shared_numbers: number[];
  per_machine: Array<{ machine_type: string; distinct: number; exclusive: number }>;
  claim: string;
}

export interface PredictionItem {
  set_number: number;
  machine_type: string;
  numbers: number[];
  confidence_score: number;
  expected_matches: number;
  algorithm_used: string;
  explanation: string[];
}

export interface MachineMetadata {
  machine_type: string;
  strategy: string;
  combination_method: string;
  models_used: string[];
  fallback: boolean;
  fallback_reasons: string[];
  weights: Record<string, number> | null;
}

export interface PredictionMetadata {
  algorithm: string;
  combination_method: string;
  model_version: string;
  models_used: string[];
  fallback: boolean;
  fallback_reasons: string[];
  target_round: number;
  chance_expected_matches: number;
  seed: number;
  lang: string;
  method_reason: string | null;
  machines: MachineMetadata[];
  differentiation: Differentiation | null;
  requested_sets: number;
  dropped_below_threshold: number;
}

export interface PredictionResponse {
  request_id: string;
  machine_type: string;
  predictions: PredictionItem[];
  metadata: PredictionMetadata;
  generated_at: string;
  cache_status?: string;
}

export interface SetResult {
  matches: number | null;
  bonus_match: boolean | null;
  prize_rank: number | null;
}

export interface StoredPrediction {
  request_id: string;
  machine_type: string;
  status: 'pending' | 'scored';
  draw: { round: number; numbers: number[]; bonus: number; machine_type: string | null } | null;
  predictions: Array<PredictionItem & SetResult>;
  metadata: PredictionMetadata;
  generated_at: string;
}

export interface PredictionListItem {
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

export interface PredictionList {
  items: PredictionListItem[];
  total: number;
  page: number;
  page_size: number;
}

/** Health grows components as the server gains them; everything past `database` is optional. */
export interface Health {
  status: 'healthy' | 'degraded' | 'unhealthy';
  timestamp: string;
  database?: { status: string; response_time_ms: number; latest_round: number | null; total_draws: number; data_version?: number; error?: string };
  hint?: string | null;
  components?: Record<string, unknown>;
  [k: string]: unknown;
}
