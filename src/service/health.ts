/**
 * The health of the server and its components (database, models, response cache, sync and the
 * weekly cycle), as one report: what GET /api/monitoring/health answers (api/healthView.ts
 * turns it into the wire shape). Reads only: a summary query, the vectors computed last (never
 * a refresh), stored model sizes (once per model version) and the sync bookkeeping.
 */
import { performance } from 'node:perf_hooks';
import { SYNC_META_ERROR, SYNC_META_SUCCESS } from '../data/sync/syncService.js';
import { freshness as dataFreshness, type Freshness } from '../domain/calendar.js';
import type { Machine } from '../domain/machine.js';
import type { DrawsService } from './drawsService.js';
import { modelStore } from './modelStore.js';
import type { FamilyVector } from './combining/snapshot.js';
import type { PredictionService } from './predictions/service.js';
import type { ResponseCacheStats } from './predictions/responseCache.js';
import type { CycleStatus } from './weeklyCycle.js';

/** Why the status is not healthy, as stable codes (clients word them in their own language). */
export const HEALTH_REASON_CODES = ['database_unreadable', 'no_draws', 'DATA_STALE', 'no_models', 'fallback', 'sync_failed', 'retrain_failed'] as const;
export type HealthReasonCode = (typeof HEALTH_REASON_CODES)[number];

/** What to do next: loading data, fetching the missing draws, or checking the database. */
export type HealthHint = 'load_data' | 'stale_data' | 'check_database';

export interface DatabaseHealthReport {
  status: 'ok' | 'empty' | 'error';
  /** Measured time of the health queries, ms (3 decimals). */
  responseTimeMs: number;
  latestRound: number | null;
  totalDraws: number;
  dataVersion: number;
  /** null when the database cannot be read. */
  freshness: Freshness | null;
  error?: string;
}

export interface FamilyHealthReport {
  status: FamilyVector['status'];
  model: string | null;
  lastTraining: string | null;
  trainedThroughRound: number | null;
  source: FamilyVector['source'];
  reason: string | null;
  runtime: NonNullable<FamilyVector['runtime']> | null;
  runtimeNote: string | null;
}

export interface ModelsHealthReport {
  status: 'ok' | 'fallback' | 'warming';
  config: string;
  runtime: PredictionService['runtime'];
  modelsLoaded: number;
  /** Stored size of the models in use, MB (2 decimals). */
  memoryUsageMb: number;
  lastTraining: string | null;
  lastPrediction: string | null;
  vectorsComputedAt: string | null;
  targetRound: number | null;
  machines: Array<{ machine: Machine; fallback: boolean; transformer: FamilyHealthReport; ensemble: FamilyHealthReport }>;
}

export interface SyncHealthReport {
  status: 'ok' | 'failed' | 'never';
  lastSuccess: string | null;
  lastSuccessRound: number | null;
  lastError: string | null;
  lastErrorAt: string | null;
  /** The weekly cycle's own status; null in apps built without one. */
  cycle: CycleStatus | null;
}

export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  at: Date;
  reasons: Array<{ code: HealthReasonCode; text: string }>;
  database: DatabaseHealthReport;
  /** null when the database cannot be read (nothing else is checked then). */
  models: ModelsHealthReport | null;
  cache: ResponseCacheStats | null;
  sync: SyncHealthReport | null;
  hint: HealthHint | null;
}

export interface HealthServiceOptions {
  draws: Pick<DrawsService, 'summary' | 'meta'>;
  predictions: Pick<PredictionService, 'modelsDir' | 'config' | 'runtime' | 'peekVectors' | 'lastPredictionAt' | 'cacheStats'>;
  /** The weekly cycle's status, or null without one. */
  cycle: () => CycleStatus | null;
  clock: () => Date;
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 1000) / 1000;

function parseJson<T>(raw: string | null): T | null {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

function familyHealth(v: FamilyVector): FamilyHealthReport {
  return {
    status: v.status,
    model: v.model?.key ?? null,
    lastTraining: v.model?.createdAt ?? null,
    trainedThroughRound: v.model?.trainedThroughRound ?? null,
    source: v.source,
    reason: v.reason,
    runtime: v.runtime ?? null,
    runtimeNote: v.runtimeNote ?? null,
  };
}

export class HealthService {
  // Stored model sizes, read once per model version (health is polled; manifests do not change in place).
  private readonly sizes = new Map<string, number>();

  constructor(private readonly options: HealthServiceOptions) {}

  /** The report now; `onDatabaseError` hears why the database could not be read. */
  report(onDatabaseError: (err: unknown) => void = () => undefined): HealthReport {
    const started = performance.now();
    const at = this.options.clock();
    let database: DatabaseHealthReport;
    let fresh: Freshness;
    try {
      const s = this.options.draws.summary();
      fresh = dataFreshness(s.latestRound, at);
      database = {
        status: s.totalDraws === 0 ? 'empty' : 'ok',
        responseTimeMs: elapsed(started),
        latestRound: s.latestRound,
        totalDraws: s.totalDraws,
        dataVersion: s.dataVersion,
        freshness: fresh,
      };
    } catch (err) {
      onDatabaseError(err);
      const db: DatabaseHealthReport = { status: 'error', responseTimeMs: elapsed(started), latestRound: null, totalDraws: 0, dataVersion: 0, freshness: null, error: 'database query failed' };
      return {
        status: 'unhealthy',
        at,
        reasons: [{ code: 'database_unreadable', text: 'the database cannot be read' }],
        database: db,
        models: null,
        cache: null,
        sync: null,
        hint: 'check_database',
      };
    }
    const reasons: HealthReport['reasons'] = [];
    const because = (code: HealthReasonCode, text: string) => reasons.push({ code, text });
    if (database.status === 'empty') because('no_draws', 'no draws stored yet');
    if (fresh.stale) {
      const n = fresh.missingRounds;
      because(
        'DATA_STALE',
        `the stored history is ${n} round${n === 1 ? '' : 's'} behind: round ${fresh.expectedLatestRound} has been drawn but the newest stored is ${fresh.storedLatestRound}; ` +
          'run `hogi sync` (or `hogi import FILE` offline) to fetch the missing draws',
      );
    }
    const models = this.models(fresh.nextRound);
    if (models.status === 'fallback') {
      if (models.modelsLoaded === 0) because('no_models', 'no trained models: every machine is served by the frequency baseline (run `hogi train`)');
      else because('fallback', 'some machine is served by a fallback (see components.ml_models)');
    }
    const sync = this.sync();
    if (sync.status === 'failed') because('sync_failed', `the last sync failed: ${sync.lastError}`);
    if (sync.cycle?.last_run?.outcome === 'retrain_failed') because('retrain_failed', 'the last weekly retrain failed for some model (the previous one keeps serving)');
    return {
      status: reasons.length ? 'degraded' : 'healthy',
      at,
      reasons,
      database,
      models,
      cache: this.options.predictions.cacheStats(),
      sync,
      hint: database.status === 'empty' ? 'load_data' : fresh.stale ? 'stale_data' : null,
    };
  }

  private modelSize(key: string, createdAt: string): number {
    const id = `${key}@${createdAt}`;
    let size = this.sizes.get(id);
    if (size === undefined) {
      try {
        size = modelStore(this.options.predictions.modelsDir).readManifest(key).sizeBytes;
      } catch {
        size = 0;
      }
      this.sizes.set(id, size);
    }
    return size;
  }

  private models(nextDrawRound: number): ModelsHealthReport {
    const p = this.options.predictions;
    const snap = p.peekVectors();
    if (!snap) {
      return { status: 'warming', config: p.config, runtime: p.runtime, modelsLoaded: 0, memoryUsageMb: 0, lastTraining: null, lastPrediction: p.lastPredictionAt, vectorsComputedAt: null, targetRound: null, machines: [] };
    }
    const used = new Map<string, string>();
    let lastTraining: string | null = null;
    let anyFallback = false;
    const family = (v: FamilyVector) => {
      if (v.status === 'ok' && v.model) {
        used.set(v.model.key, v.model.createdAt);
        if (lastTraining === null || v.model.createdAt > lastTraining) lastTraining = v.model.createdAt;
      }
      return familyHealth(v);
    };
    const machines = [...snap.machines.values()].map((m) => {
      const fallback = m.transformer.status !== 'ok' || m.ensemble.status !== 'ok';
      anyFallback ||= fallback;
      return { machine: m.machine, fallback, transformer: family(m.transformer), ensemble: family(m.ensemble) };
    });
    let bytes = 0;
    for (const [key, createdAt] of used) bytes += this.modelSize(key, createdAt);
    return {
      status: anyFallback ? 'fallback' : 'ok',
      config: p.config,
      runtime: p.runtime,
      modelsLoaded: used.size,
      memoryUsageMb: Math.round((bytes / 1048576) * 100) / 100,
      lastTraining,
      lastPrediction: p.lastPredictionAt,
      vectorsComputedAt: snap.computedAt,
      // The round predictions are made for: the calendar's next draw (the service does the same).
      targetRound: snap.targetRound === null ? null : Math.max(snap.targetRound, nextDrawRound),
      machines,
    };
  }

  private sync(): SyncHealthReport {
    const success = parseJson<{ at: string; latestRound: number | null }>(this.options.draws.meta(SYNC_META_SUCCESS));
    const error = parseJson<{ at: string; message: string }>(this.options.draws.meta(SYNC_META_ERROR));
    const failed = error !== null && (success === null || error.at > success.at);
    return {
      status: failed ? 'failed' : success ? 'ok' : 'never',
      lastSuccess: success?.at ?? null,
      lastSuccessRound: success?.latestRound ?? null,
      lastError: error?.message ?? null,
      lastErrorAt: error?.at ?? null,
      cycle: this.options.cycle(),
    };
  }
}
