import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { SYNC_META_ERROR, SYNC_META_SUCCESS } from '../../src/data/sync/syncService.js';
import { modelStore } from '../../src/service/modelStore.js';
import { PredictionService } from '../../src/service/predictions/service.js';
import { E_SPEC, T_SPEC, fakeLoader, saveFake, tempModelsDir } from '../service/predictionFakes.js';
import { afterDraw, clockAfterDraw } from '../helpers/clock.js';
import { appWith, closeApp, sharedSlice, type TestApp } from './fixtures.js';

interface Health {
  status: string;
  timestamp: string;
  database: { status: string; response_time_ms: number; latest_round: number | null; total_draws: number; data_version: number; error?: string };
  hint: string | null;
}

let t: TestApp | null = null;
afterEach(async () => {
  if (t) await closeApp(t);
  t = null;
});

describe('GET /api/monitoring/health', () => {
  it('reports a healthy database with its latest round, draw count and data version', async () => {
    const draws = sharedSlice(1001, 1200);
    t = await appWith(draws);
    const res = await t.app.inject({ url: '/api/monitoring/health' });
    expect(res.statusCode).toBe(200);
    const h = res.json() as Health;
    expect(h.status).toBe('healthy');
    expect(Number.isNaN(Date.parse(h.timestamp))).toBe(false);
    expect(h.database.status).toBe('ok');
    expect(h.database.latest_round).toBe(1200);
    expect(h.database.total_draws).toBe(200);
    expect(h.database.data_version).toBe(1);
    expect(typeof h.database.response_time_ms).toBe('number');
    expect(h.database.response_time_ms).toBeGreaterThanOrEqual(0);
    expect(h.hint).toBeNull();
  });

  it('reports the history 8 rounds behind with DATA_STALE on 2026-12-05 after the draw, with the next draw and how to fix it', async () => {
    const at = new Date('2026-12-05T21:10:00+09:00');
    t = await appWith(sharedSlice(1200, 1245), () => at);
    const res = await t.app.inject({ url: '/api/monitoring/health' });
    expect(res.statusCode).toBe(200);
    const h = res.json() as Health & { reasons: string[]; reason_codes: string[]; components: { database: { freshness: Record<string, unknown> } } };
    expect(h.status).toBe('degraded');
    expect(h.reason_codes).toEqual(['DATA_STALE']);
    expect(h.reasons[0]).toMatch(/8 rounds behind.*1253.*1245.*hogi sync.*hogi import/);
    expect(h.hint).toMatch(/hogi sync/);
    expect(h.components.database.freshness).toEqual({
      expected_latest_round: 1253,
      stored_latest_round: 1245,
      missing_rounds: 8,
      stale: true,
      next_round: 1254,
      next_draw_at: '2026-12-12T11:35:00.000Z',
      next_draw_at_kst: '2026-12-12 20:35 KST',
      sales_close_at: '2026-12-12T11:00:00.000Z',
    });
  });

  it('is not stale while the newest drawn round is stored, nor within 12 hours of a draw', async () => {
    t = await appWith(sharedSlice(1200, 1245), () => new Date(afterDraw(1246).getTime() + 10 * 3_600_000));
    let h = (await t.app.inject({ url: '/api/monitoring/health' })).json() as Health & { reason_codes: string[]; components: { database: { freshness: { stale: boolean; missing_rounds: number } } } };
    expect(h.components.database.freshness).toMatchObject({ stale: false, missing_rounds: 1 });
    expect(h.reason_codes).not.toContain('DATA_STALE');
    await closeApp(t);
    t = await appWith(sharedSlice(1200, 1245), () => new Date(afterDraw(1246).getTime() + 12 * 3_600_000));
    h = (await t.app.inject({ url: '/api/monitoring/health' })).json() as typeof h;
    expect(h.components.database.freshness).toMatchObject({ stale: true, missing_rounds: 1 });
    expect(h.reason_codes).toContain('DATA_STALE');
  });

  it('says how to load data when the database is empty', async () => {
    t = await appWith([]);
    const h = (await t.app.inject({ url: '/api/monitoring/health' })).json() as Health;
    expect(h.status).toBe('degraded');
    expect(h.database).toMatchObject({ status: 'empty', latest_round: null, total_draws: 0, data_version: 0 });
    expect(h.hint).toContain('hogi sync');
    expect(h.hint).toContain('hogi import');
  });

  it('answers 503 unhealthy, without internals, when the database cannot be read', async () => {
    t = await appWith(sharedSlice(1, 10));
    t.db.close();
    const res = await t.app.inject({ url: '/api/monitoring/health' });
    expect(res.statusCode).toBe(503);
    const h = res.json() as Health;
    expect(h.status).toBe('unhealthy');
    expect(h.database.status).toBe('error');
    expect(res.body).not.toMatch(/connection is not open|at .*\.ts:\d+/);
  });
});

interface Components {
  status: string;
  reasons: string[];
  reason_codes: string[];
  components: {
    ml_models: {
      status: string;
      models_loaded: number;
      memory_usage_mb: number;
      last_training: string | null;
      last_prediction: string | null;
      target_round: number | null;
      machines: Array<{ machine_type: string; fallback: boolean; transformer: { status: string; model: string | null }; ensemble: { status: string; model: string | null } }>;
    };
    cache: { status: string };
    sync: { status: string; last_success: string | null; last_error: string | null; scheduler: string };
  };
}

describe('GET /api/monitoring/health components', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function served(models: 'all' | 'none') {
    const db = openDb(':memory:');
    drawsRepo(db).upsertMany(sharedSlice(1, 400), '2026-01-01T00:00:00.000Z');
    const dir = tempModelsDir();
    if (models === 'all') {
      for (const m of [1, 2, 3] as const) {
        saveFake(dir, 'transformer', m, T_SPEC, { createdAt: `2026-11-0${m}T00:00:00.000Z` });
        saveFake(dir, 'ensemble', m, E_SPEC, { createdAt: '2026-10-01T00:00:00.000Z' });
      }
    }
    const now = clockAfterDraw(400);
    const service = new PredictionService({ db, modelsDir: dir, runner: 'in-process', loaders: fakeLoader().loaders, modelsCheckMs: 0, now });
    const app = buildApp({ db, predictions: service, clock: now });
    await app.ready();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => void db.close(), () => service.close(), () => app.close());
    return { app, db, dir, service };
  }
  const health = async (app: Awaited<ReturnType<typeof served>>['app']) => (await app.inject({ url: '/api/monitoring/health' })).json() as Components;

  it('is healthy with every machine on its own two models, reporting them, their size and the last prediction', async () => {
    const { app, dir } = await served('all');
    const before = await health(app);
    expect(before.components.ml_models.status).toBe('warming');
    const res = await app.inject({ method: 'POST', url: '/api/predictions/generate', payload: { machine_type: 1, sets_count: 1 } });
    expect(res.statusCode).toBe(200);
    const h = await health(app);
    expect(h.status).toBe('healthy');
    expect(h.reasons).toEqual([]);
    expect(h.reason_codes).toEqual([]);
    const m = h.components.ml_models;
    expect(m.status).toBe('ok');
    expect(m.models_loaded).toBe(6);
    const bytes = modelStore(dir).list().reduce((a, e) => a + (e.manifest?.sizeBytes ?? 0), 0);
    expect(m.memory_usage_mb).toBeCloseTo(bytes / 1048576, 2);
    expect(m.last_training).toBe('2026-11-03T00:00:00.000Z');
    expect(m.last_prediction).toBe((res.json() as { generated_at: string }).generated_at);
    expect(m.target_round).toBe(401);
    expect(m.machines.map((x) => [x.machine_type, x.fallback, x.transformer.model, x.ensemble.model])).toEqual([
      ['1호기', false, 'transformer-m1-small', 'ensemble-m1-small'],
      ['2호기', false, 'transformer-m2-small', 'ensemble-m2-small'],
      ['3호기', false, 'transformer-m3-small', 'ensemble-m3-small'],
    ]);
    expect(h.components.sync).toMatchObject({ status: 'never', scheduler: 'off' });
  });

  it('is degraded, saying why, when no models are trained and every machine serves the baseline', async () => {
    const { app, service } = await served('none');
    await service.warm();
    const h = await health(app);
    expect(h.status).toBe('degraded');
    expect(h.components.ml_models.status).toBe('fallback');
    expect(h.components.ml_models.models_loaded).toBe(0);
    expect(h.components.ml_models.machines.every((x) => x.fallback && x.transformer.status !== 'ok')).toBe(true);
    expect(h.reasons.join(' ')).toMatch(/no trained models.*hogi train/);
    expect(h.reason_codes).toEqual(['no_models']);
  });

  it('is degraded while the last sync attempt failed after the last success, and healthy again after a success', async () => {
    const { app, db } = await served('all');
    const repo = drawsRepo(db);
    repo.setMeta(SYNC_META_SUCCESS, JSON.stringify({ at: '2026-11-21T12:00:00.000Z', latestRound: 400 }));
    repo.setMeta(SYNC_META_ERROR, JSON.stringify({ at: '2026-11-22T12:00:00.000Z', kind: 'offline', host: 'dhlottery.co.kr', message: 'dhlottery.co.kr is unreachable' }));
    let h = await health(app);
    expect(h.status).toBe('degraded');
    expect(h.components.sync).toMatchObject({ status: 'failed', last_error: 'dhlottery.co.kr is unreachable', last_success: '2026-11-21T12:00:00.000Z' });
    expect(h.reasons).toContain('the last sync failed: dhlottery.co.kr is unreachable');
    expect(h.reason_codes).toEqual(['sync_failed']);
    repo.setMeta(SYNC_META_SUCCESS, JSON.stringify({ at: '2026-11-23T12:00:00.000Z', latestRound: 400 }));
    h = await health(app);
    expect(h.components.sync.status).toBe('ok');
    expect(h.status).toBe('healthy');
  });
});
