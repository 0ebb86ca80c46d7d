/** Schemas of /api/monitoring (health and metrics): validation, serialization and OpenAPI in one place. */
import { Type, type Static } from '@sinclair/typebox';
import { FAMILIES } from '../models/families.js';
import { HEALTH_REASON_CODES } from '../service/health.js';

// Re-exported: the dashboard's Korean wording is checked against the same list.
export { HEALTH_REASON_CODES };
import { Nullable, StringEnum } from './schemaHelpers.js';

export const DataFreshness = Type.Object(
  {
    expected_latest_round: Type.Integer({ minimum: 0, description: 'The newest round drawn by now by the calendar (every Saturday 20:35 KST; round N on 2002-12-07 + 7·(N−1) days).' }),
    stored_latest_round: Nullable(Type.Integer({ minimum: 1 })),
    missing_rounds: Type.Integer({ minimum: 0, description: 'Drawn rounds newer than the newest stored one.' }),
    stale: Type.Boolean({ description: 'A drawn round is still missing more than 12 hours after its draw (health is then degraded with DATA_STALE).' }),
    next_round: Type.Integer({ minimum: 1, description: 'The next round to be drawn: the one predictions are for.' }),
    next_draw_at: Type.String({ format: 'date-time', description: 'When next_round is drawn (UTC).' }),
    next_draw_at_kst: Type.String({ examples: ['2026-12-12 20:35 KST'] }),
    sales_close_at: Type.String({ format: 'date-time', description: 'When ticket sales for next_round close (20:00 KST).' }),
  },
  { description: 'How current the stored history is by the draw calendar; null when the database cannot be read.' },
);

export const DatabaseHealth = Type.Object({
  status: StringEnum(['ok', 'empty', 'error'] as const),
  response_time_ms: Type.Number({ minimum: 0, description: 'Measured time of the health queries.' }),
  latest_round: Nullable(Type.Integer()),
  total_draws: Type.Integer({ minimum: 0 }),
  data_version: Type.Integer({ minimum: 0, description: 'Increments on every write; caches key on it.' }),
  freshness: Nullable(DataFreshness),
  error: Type.Optional(Type.String()),
});

const FamilyHealth = Type.Object({
  status: Type.String({ description: 'ok, or why the family is not used (absent, failed, timeout...): the machine then falls back.' }),
  model: Nullable(Type.String({ description: 'Model key, e.g. ensemble-m1-small (a pooled model serves as *-all-*).' })),
  // No `format` inside a nullable union: the serializer would validate it (models carry their own createdAt text).
  last_training: Nullable(Type.String({ description: 'createdAt of the model (ISO time).' })),
  trained_through_round: Nullable(Type.Integer()),
  source: Nullable(StringEnum(['computed', 'stored'] as const, { description: 'Vector computed now, or read back from the stored forecast of the same data and model.' })),
  reason: Nullable(Type.String()),
  runtime: Type.Optional(
    Nullable(StringEnum(['onnx', 'tfjs'] as const, { description: 'What computed the vector: onnxruntime-node (the exported ONNX file) or tfjs; null when read back or not computed.' })),
  ),
  runtime_note: Type.Optional(Nullable(Type.String({ description: 'Why the ONNX runtime was asked for but tfjs answered (export missing, of an earlier training, or unloadable).' }))),
});

export const ModelsHealth = Type.Object({
  status: StringEnum(['ok', 'fallback', 'warming', 'error'] as const, {
    description: 'ok: every machine uses both model families; fallback: some machine serves a fallback (missing or failed model); warming: vectors not computed yet.',
  }),
  config: Type.String(),
  runtime: Type.Optional(StringEnum(['onnx', 'tfjs'] as const, { description: 'Inference runtime asked for (hogi serve --runtime, HOGI_RUNTIME).' })),
  models_loaded: Type.Integer({ minimum: 0, description: 'Distinct models that answered for the current vectors.' }),
  memory_usage_mb: Type.Number({ minimum: 0, description: 'Stored size of those models (weights + manifest); they are held by the inference workers.' }),
  last_training: Nullable(Type.String({ description: 'Newest training time (ISO) among the models in use.' })),
  last_prediction: Nullable(Type.String({ format: 'date-time' })),
  vectors_computed_at: Nullable(Type.String({ format: 'date-time' })),
  target_round: Nullable(Type.Integer()),
  machines: Type.Array(Type.Object({ machine_type: Type.String(), fallback: Type.Boolean(), transformer: FamilyHealth, ensemble: FamilyHealth })),
});

export const CacheHealth = Type.Object({
  status: StringEnum(['ok', 'disabled'] as const),
  hit_rate: Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'Prediction response cache: hits / (hits + misses) since start.' })),
  hits: Type.Integer({ minimum: 0 }),
  misses: Type.Integer({ minimum: 0 }),
  entries: Type.Integer({ minimum: 0 }),
  memory_bytes: Type.Integer({ minimum: 0, description: 'Approximate: the cached answers\' JSON size.' }),
  ttl_seconds: Type.Number({ minimum: 0 }),
});

const CycleRun = Type.Object(
  {
    started_at: Type.String({ format: 'date-time' }),
    finished_at: Type.String({ format: 'date-time' }),
    outcome: StringEnum(['updated', 'no_models', 'retrain_failed', 'no_new_draw'] as const),
    expected_round: Nullable(Type.Integer()),
    latest_round: Nullable(Type.Integer()),
    sync_attempts: Type.Integer({ minimum: 0 }),
    last_sync_error: Nullable(Type.String()),
    scored: Nullable(Type.Object({ sets: Type.Integer(), forecasts: Type.Integer() })),
    retrained: Type.Array(Type.String()),
    failed: Type.Array(Type.Object({ key: Type.String(), error: Type.String() })),
    message: Type.String(),
  },
  { description: 'The last weekly cycle (kept in the database across restarts).' },
);

const TrainingProgress = Type.Object(
  {
    running: Type.Literal(true),
    models_total: Type.Integer({ minimum: 0, description: 'Models this retrain trains (every stored model of the served config).' }),
    models_done: Type.Integer({ minimum: 0, description: 'Models finished so far, trained or failed.' }),
    current: Nullable(
      Type.Object(
        {
          key: Type.String({ examples: ['transformer-m1-small'] }),
          family: StringEnum(FAMILIES),
          machine: Type.Union([Type.Integer({ minimum: 1, maximum: 3 }), Type.Literal('all')], { description: 'Draw machine (호기) 1-3, or all for a pooled model.' }),
          value: Type.Number({ minimum: 0, description: 'Epochs (Transformer) or steps (ensemble: 6) done.' }),
          total: Type.Number({ minimum: 0, description: 'Epochs or steps in all; a Transformer\'s total shrinks when early stopping can end sooner.' }),
        },
        { description: 'The model training now; null between models.' },
      ),
    ),
    fraction: Type.Number({ minimum: 0, maximum: 1, description: 'Overall progress: (models_done + current value/total) / models_total.' }),
    started_at: Type.String({ format: 'date-time', description: 'When this retrain started.' }),
  },
  { description: 'Progress of the weekly retrain while it runs (phase training); null otherwise.' },
);

export const SyncHealth = Type.Object({
  status: StringEnum(['ok', 'failed', 'never'] as const, { description: 'failed: the last sync attempt failed after the last success.' }),
  last_success: Nullable(Type.String({ format: 'date-time' })),
  last_success_round: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  last_error_at: Nullable(Type.String({ format: 'date-time' })),
  scheduler: StringEnum(['on', 'off'] as const, { description: 'off under `hogi serve --no-schedule` (and in apps built without it).' }),
  schedule: Nullable(Type.String({ examples: ['Saturdays 21:00 KST'] })),
  phase: Nullable(Type.String({ description: 'idle, syncing, waiting_for_draw, scoring, training, swapping.' })),
  next_run: Nullable(Type.String({ format: 'date-time', description: 'Next weekly run or sync retry (UTC).' })),
  next_run_kst: Nullable(Type.String({ examples: ['2026-11-28 21:00 KST'] })),
  last_cycle: Nullable(CycleRun),
  training: Nullable(TrainingProgress),
});

export const HealthReasonCode = StringEnum(HEALTH_REASON_CODES);
export type HealthReasonCode = Static<typeof HealthReasonCode>;

export const Health = Type.Object({
  status: StringEnum(['healthy', 'degraded', 'unhealthy'] as const, {
    description:
      'healthy: data and every model in use; degraded: serving, but see `reasons` (empty database, stale data, a fallback, no trained models, last sync failed); unhealthy: the database failed (HTTP 503).',
  }),
  timestamp: Type.String({ format: 'date-time' }),
  reasons: Type.Array(Type.String(), { description: 'Why the status is not healthy, in plain words; empty when healthy.' }),
  reason_codes: Type.Array(HealthReasonCode, { description: 'The same reasons as codes, in the same order, for clients that word them in another language.' }),
  database: Type.Object(DatabaseHealth.properties, { description: 'Same as components.database (kept at the top level for existing clients).' }),
  components: Type.Object({
    database: DatabaseHealth,
    ml_models: Nullable(ModelsHealth),
    cache: Nullable(CacheHealth),
    sync: Nullable(SyncHealth),
  }),
  hint: Nullable(Type.String({ description: 'What to do next, e.g. how to load data into an empty database.' })),
});
export type Health = Static<typeof Health>;
export type ModelsHealth = Static<typeof ModelsHealth>;
export type SyncHealth = Static<typeof SyncHealth>;

export const MetricsQuery = Type.Object({
  period: Type.String({ default: '1h', pattern: '^[0-9]{1,5}[smh]$', description: 'Trailing window: 10s..24h, e.g. 5m, 1h, 24h.' }),
});
export type MetricsQuery = Static<typeof MetricsQuery>;

const NullableMs = Nullable(Type.Number({ minimum: 0 }));

export const MetricsReport = Type.Object({
  period: Type.String(),
  period_seconds: Type.Number(),
  bucket_seconds: Type.Number({ description: 'Resolution: the period is whole buckets of this size, the current one included.' }),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  uptime_seconds: Type.Integer({ minimum: 0 }),
  requests: Type.Object({
    total: Type.Integer({ minimum: 0 }),
    successful: Type.Integer({ minimum: 0, description: 'Status < 400.' }),
    client_errors: Type.Integer({ minimum: 0, description: '4xx.' }),
    server_errors: Type.Integer({ minimum: 0, description: '5xx.' }),
    failed: Type.Integer({ minimum: 0, description: 'client_errors + server_errors.' }),
    per_second: Type.Number({ minimum: 0 }),
  }),
  latency_ms: Type.Object(
    { avg: NullableMs, p50: NullableMs, p95: NullableMs, p99: NullableMs, max: NullableMs },
    { description: 'Server-side time per request (fastify elapsed time); percentiles from a log-scale histogram (bins 19 % wide, ±9 %); null without requests.' },
  ),
  predictions: Type.Object({
    generated: Type.Integer({ minimum: 0, description: 'New predictions made and stored (cache misses).' }),
    cache_hits: Type.Integer({ minimum: 0 }),
    cache_misses: Type.Integer({ minimum: 0 }),
    cache_hit_rate: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
  }),
  cpu: Type.Object({
    percent: Type.Number({ minimum: 0, description: 'Process CPU time over the period (from process.cpuUsage), percent of one core; up to cores × 100.' }),
    user_seconds: Type.Number({ minimum: 0 }),
    system_seconds: Type.Number({ minimum: 0 }),
    cores: Type.Integer({ minimum: 1 }),
  }),
  memory: Type.Object({
    rss_mb: Type.Number({ minimum: 0 }),
    heap_used_mb: Type.Number({ minimum: 0 }),
    heap_total_mb: Type.Number({ minimum: 0 }),
    external_mb: Type.Number({ minimum: 0 }),
    max_rss_mb: Type.Number({ minimum: 0, description: 'Highest RSS sampled in the period (sampled once per bucket).' }),
  }),
  routes: Type.Array(
    Type.Object({ route: Type.String({ examples: ['POST /api/predictions/generate'] }), requests: Type.Integer(), failures: Type.Integer(), avg_ms: Type.Number() }),
    { description: 'Per route pattern, busiest first; "unmatched" for unknown paths.' },
  ),
});
