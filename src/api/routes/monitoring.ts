import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { performance } from 'node:perf_hooks';
import { SYNC_META_ERROR, SYNC_META_SUCCESS } from '../../data/sync/syncService.js';
import { formatKst, freshness as dataFreshness } from '../../domain/calendar.js';
import { formatMachine } from '../../domain/machine.js';
import { modelStore } from '../../service/modelStore.js';
import { parsePeriod } from '../../service/metrics.js';
import type { FamilyVector } from '../../service/predictions/parallel.js';
import { ApiError, ErrorCode, LOAD_DATA_HINT, STALE_DATA_HINT } from '../errors.js';
import { Health, MetricsQuery, MetricsReport, type HealthReasonCode, type ModelsHealth, type SyncHealth } from '../monitoringSchemas.js';
import { errorResponses } from '../schemas.js';

const elapsed = (started: number) => Math.round((performance.now() - started) * 1000) / 1000;

function parseJson<T>(raw: string | null): T | null {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

/** /api/monitoring: health of every component, and the measured request metrics. */
async function monitoringRoutes(app: FastifyInstance): Promise<void> {
  // Stored model sizes, read once per model version (health is polled; manifests do not change in place).
  const sizes = new Map<string, number>();
  const modelSize = (key: string, createdAt: string): number => {
    const id = `${key}@${createdAt}`;
    let size = sizes.get(id);
    if (size === undefined) {
      try {
        size = modelStore(app.predictions.modelsDir).readManifest(key).sizeBytes;
      } catch {
        size = 0;
      }
      sizes.set(id, size);
    }
    return size;
  };

  function modelsHealth(nextDrawRound: number): ModelsHealth {
    const p = app.predictions;
    const snap = p.peekVectors();
    if (!snap) {
      return { status: 'warming', config: p.config, models_loaded: 0, memory_usage_mb: 0, last_training: null, last_prediction: p.lastPredictionAt, vectors_computed_at: null, target_round: null, machines: [] };
    }
    const used = new Map<string, string>();
    let lastTraining: string | null = null;
    let anyFallback = false;
    const family = (v: FamilyVector) => {
      if (v.status === 'ok' && v.model) {
        used.set(v.model.key, v.model.createdAt);
        if (lastTraining === null || v.model.createdAt > lastTraining) lastTraining = v.model.createdAt;
      }
      return {
        status: v.status,
        model: v.model?.key ?? null,
        last_training: v.model?.createdAt ?? null,
        trained_through_round: v.model?.trainedThroughRound ?? null,
        source: v.source,
        reason: v.reason,
      };
    };
    const machines = [...snap.machines.values()].map((m) => {
      const fallback = m.transformer.status !== 'ok' || m.ensemble.status !== 'ok';
      anyFallback ||= fallback;
      return { machine_type: formatMachine(m.machine), fallback, transformer: family(m.transformer), ensemble: family(m.ensemble) };
    });
    let bytes = 0;
    for (const [key, createdAt] of used) bytes += modelSize(key, createdAt);
    return {
      status: anyFallback ? 'fallback' : 'ok',
      config: p.config,
      models_loaded: used.size,
      memory_usage_mb: Math.round((bytes / 1048576) * 100) / 100,
      last_training: lastTraining,
      last_prediction: p.lastPredictionAt,
      vectors_computed_at: snap.computedAt,
      // The round predictions are made for: the calendar's next draw (the service does the same).
      target_round: snap.targetRound === null ? null : Math.max(snap.targetRound, nextDrawRound),
      machines,
    };
  }

  function syncHealth(): SyncHealth {
    const success = parseJson<{ at: string; latestRound: number | null }>(app.draws.meta(SYNC_META_SUCCESS));
    const error = parseJson<{ at: string; message: string }>(app.draws.meta(SYNC_META_ERROR));
    const failed = error !== null && (success === null || error.at > success.at);
    const cycle = app.cycle?.status() ?? null;
    return {
      status: failed ? 'failed' : success ? 'ok' : 'never',
      last_success: success?.at ?? null,
      last_success_round: success?.latestRound ?? null,
      last_error: error?.message ?? null,
      last_error_at: error?.at ?? null,
      scheduler: cycle?.enabled ? 'on' : 'off',
      schedule: cycle?.schedule ?? null,
      phase: cycle?.phase ?? null,
      next_run: cycle?.next_run ?? null,
      next_run_kst: cycle?.next_run_kst ?? null,
      last_cycle: cycle?.last_run ?? null,
      training: cycle?.training ?? null,
    };
  }

  app.get(
    '/health',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Health of the server and its components (database, models, cache, sync)',
        description:
          'HTTP 200 when healthy or degraded (the reasons say why: empty database, stale data (DATA_STALE: a drawn round missing 12 h after its draw), a machine served by a fallback, no trained models, last sync failed); ' +
          '`components.database.freshness` compares the stored rounds with the draw calendar and gives the next draw. ' +
          '503 unhealthy when the database cannot be read. Never requires an API key.',
        response: { 200: Health, 503: Health, ...errorResponses() },
      },
    },
    async (request, reply): Promise<Health> => {
      const started = performance.now();
      const now = app.clock();
      const timestamp = now.toISOString();
      let database: Health['database'];
      let fresh: ReturnType<typeof dataFreshness>;
      try {
        const s = app.draws.summary();
        fresh = dataFreshness(s.latestRound, now);
        database = {
          status: s.totalDraws === 0 ? 'empty' : 'ok',
          response_time_ms: elapsed(started),
          latest_round: s.latestRound,
          total_draws: s.totalDraws,
          data_version: s.dataVersion,
          freshness: {
            expected_latest_round: fresh.expectedLatestRound,
            stored_latest_round: fresh.storedLatestRound,
            missing_rounds: fresh.missingRounds,
            stale: fresh.stale,
            next_round: fresh.nextRound,
            next_draw_at: fresh.nextDrawAt.toISOString(),
            next_draw_at_kst: formatKst(fresh.nextDrawAt),
            sales_close_at: fresh.nextSalesCloseAt.toISOString(),
          },
        };
      } catch (err) {
        request.log.error({ err }, 'health check: database failed');
        reply.code(503);
        const db = { status: 'error' as const, response_time_ms: elapsed(started), latest_round: null, total_draws: 0, data_version: 0, freshness: null, error: 'database query failed' };
        return {
          status: 'unhealthy',
          timestamp,
          reasons: ['the database cannot be read'],
          reason_codes: ['database_unreadable' as const],
          database: db,
          components: { database: db, ml_models: null, cache: null, sync: null },
          hint: 'Check the database file (--db / HOGI_DB) and the server log.',
        };
      }
      // Codes let clients word the reasons in their own language (the dashboard does, in Korean).
      const reasons: string[] = [];
      const reasonCodes: HealthReasonCode[] = [];
      const because = (code: HealthReasonCode, text: string) => {
        reasonCodes.push(code);
        reasons.push(text);
      };
      if (database.status === 'empty') because('no_draws', 'no draws stored yet');
      if (fresh.stale) {
        const n = fresh.missingRounds;
        because(
          'DATA_STALE',
          `the stored history is ${n} round${n === 1 ? '' : 's'} behind: round ${fresh.expectedLatestRound} has been drawn but the newest stored is ${fresh.storedLatestRound}; ` +
            'run `hogi sync` (or `hogi import FILE` offline) to fetch the missing draws',
        );
      }
      const models = modelsHealth(fresh.nextRound);
      if (models.status === 'fallback') {
        if (models.models_loaded === 0) because('no_models', 'no trained models: every machine is served by the frequency baseline (run `hogi train`)');
        else because('fallback', 'some machine is served by a fallback (see components.ml_models)');
      }
      const sync = syncHealth();
      if (sync.status === 'failed') because('sync_failed', `the last sync failed: ${sync.last_error}`);
      if (sync.last_cycle?.outcome === 'retrain_failed') because('retrain_failed', 'the last weekly retrain failed for some model (the previous one keeps serving)');
      const c = app.predictions.cacheStats();
      return {
        status: reasons.length ? 'degraded' : 'healthy',
        timestamp,
        reasons,
        reason_codes: reasonCodes,
        database,
        components: {
          database,
          ml_models: models,
          cache: { status: c.enabled ? 'ok' : 'disabled', hit_rate: c.hit_rate, hits: c.hits, misses: c.misses, entries: c.entries, memory_bytes: c.bytes, ttl_seconds: c.ttl_seconds },
          sync,
        },
        hint: database.status === 'empty' ? LOAD_DATA_HINT : fresh.stale ? STALE_DATA_HINT : null,
      };
    },
  );

  app.get<{ Querystring: MetricsQuery }>(
    '/metrics',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Request counts, latency percentiles, predictions, cache hit rate, CPU and memory over a trailing period',
        description:
          'Measured by this process: every response is timed into 10-second buckets kept for 24 h; CPU from process.cpuUsage, memory from process.memoryUsage. ' +
          'The same figures are at GET /metrics in Prometheus format.',
        querystring: MetricsQuery,
        response: { 200: MetricsReport, ...errorResponses() },
      },
    },
    async (request) => {
      const ms = parsePeriod(request.query.period, app.metrics.bucketMs);
      if (ms === null) throw new ApiError(422, ErrorCode.VALIDATION_ERROR, `period must be 10s..24h, e.g. 5m, 1h, 24h; got ${JSON.stringify(request.query.period)}`, 'period');
      return app.metrics.summary(ms, request.query.period);
    },
  );
}

export default fp(monitoringRoutes, { name: 'hogi-routes-monitoring', dependencies: ['hogi-services', 'hogi-errors', 'hogi-metrics', 'hogi-cycle'], encapsulate: true });
