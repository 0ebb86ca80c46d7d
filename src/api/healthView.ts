/** The health report (service/health.ts) in the wire shape of GET /api/monitoring/health. */
import { formatKst, type Freshness } from '../domain/calendar.js';
import { formatMachine } from '../domain/machine.js';
import type { DatabaseHealthReport, FamilyHealthReport, HealthHint, HealthReport, ModelsHealthReport, SyncHealthReport } from '../service/health.js';
import type { ResponseCacheStats } from '../service/predictions/responseCache.js';
import { LOAD_DATA_HINT, STALE_DATA_HINT } from './errors.js';
import type { Health, ModelsHealth, SyncHealth } from './monitoringSchemas.js';

const HINTS: Record<HealthHint, string> = {
  load_data: LOAD_DATA_HINT,
  stale_data: STALE_DATA_HINT,
  check_database: 'Check the database file (--db / HOGI_DB) and the server log.',
};

function freshnessView(f: Freshness) {
  return {
    expected_latest_round: f.expectedLatestRound,
    stored_latest_round: f.storedLatestRound,
    missing_rounds: f.missingRounds,
    stale: f.stale,
    next_round: f.nextRound,
    next_draw_at: f.nextDrawAt.toISOString(),
    next_draw_at_kst: formatKst(f.nextDrawAt),
    sales_close_at: f.nextSalesCloseAt.toISOString(),
  };
}

function databaseView(d: DatabaseHealthReport): Health['database'] {
  return {
    status: d.status,
    response_time_ms: d.responseTimeMs,
    latest_round: d.latestRound,
    total_draws: d.totalDraws,
    data_version: d.dataVersion,
    freshness: d.freshness ? freshnessView(d.freshness) : null,
    ...(d.error !== undefined ? { error: d.error } : {}),
  };
}

function familyView(f: FamilyHealthReport): ModelsHealth['machines'][number]['transformer'] {
  return {
    status: f.status,
    model: f.model,
    last_training: f.lastTraining,
    trained_through_round: f.trainedThroughRound,
    source: f.source,
    reason: f.reason,
    runtime: f.runtime,
    runtime_note: f.runtimeNote,
  };
}

function modelsView(m: ModelsHealthReport): ModelsHealth {
  return {
    status: m.status,
    config: m.config,
    runtime: m.runtime,
    models_loaded: m.modelsLoaded,
    memory_usage_mb: m.memoryUsageMb,
    last_training: m.lastTraining,
    last_prediction: m.lastPrediction,
    vectors_computed_at: m.vectorsComputedAt,
    target_round: m.targetRound,
    machines: m.machines.map((x) => ({ machine_type: formatMachine(x.machine), fallback: x.fallback, transformer: familyView(x.transformer), ensemble: familyView(x.ensemble) })),
  };
}

function cacheView(c: ResponseCacheStats): NonNullable<Health['components']['cache']> {
  return { status: c.enabled ? 'ok' : 'disabled', hit_rate: c.hit_rate, hits: c.hits, misses: c.misses, entries: c.entries, memory_bytes: c.bytes, ttl_seconds: c.ttl_seconds };
}

function syncView(s: SyncHealthReport): SyncHealth {
  const cycle = s.cycle;
  return {
    status: s.status,
    last_success: s.lastSuccess,
    last_success_round: s.lastSuccessRound,
    last_error: s.lastError,
    last_error_at: s.lastErrorAt,
    scheduler: cycle?.enabled ? 'on' : 'off',
    schedule: cycle?.schedule ?? null,
    phase: cycle?.phase ?? null,
    next_run: cycle?.next_run ?? null,
    next_run_kst: cycle?.next_run_kst ?? null,
    last_cycle: cycle?.last_run ?? null,
    training: cycle?.training ?? null,
  };
}

export function healthView(r: HealthReport): Health {
  const database = databaseView(r.database);
  return {
    status: r.status,
    timestamp: r.at.toISOString(),
    reasons: r.reasons.map((x) => x.text),
    reason_codes: r.reasons.map((x) => x.code),
    database,
    components: {
      database,
      ml_models: r.models ? modelsView(r.models) : null,
      cache: r.cache ? cacheView(r.cache) : null,
      sync: r.sync ? syncView(r.sync) : null,
    },
    hint: r.hint === null ? null : HINTS[r.hint],
  };
}
