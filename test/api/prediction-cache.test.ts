// The prediction response cache over inject: what a hit means (the same stored prediction, no
// new row), Cache-Control: no-cache, seeds, and invalidation by new data, new models and time.
import { rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { PredictionService } from '../../src/service/predictions/service.js';
import { E_SPEC, T_SPEC, fakeLoader, saveFake, tempModelsDir } from '../service/predictionFakes.js';
import { sharedSlice } from './fixtures.js';
import { afterDraw } from '../helpers/clock.js';

let db: Db;
let dir: string;
let app: FastifyInstance;
let service: PredictionService;
let clock: number;

interface Answer {
  request_id: string;
  cache_status: 'hit' | 'miss';
  generated_at: string;
  predictions: Array<{ numbers: number[] }>;
  metadata: { seed: number; target_round: number };
}

beforeEach(async () => {
  db = openDb(':memory:');
  drawsRepo(db).upsertMany(sharedSlice(1, 600), '2026-01-01T00:00:00.000Z');
  dir = tempModelsDir();
  saveFake(dir, 'transformer', 'all', T_SPEC, { createdAt: 'v1' });
  saveFake(dir, 'ensemble', 'all', E_SPEC, { createdAt: 'v1' });
  clock = afterDraw(600).getTime();
  service = new PredictionService({
    db,
    modelsDir: dir,
    runner: 'in-process',
    loaders: fakeLoader().loaders,
    modelsCheckMs: 0,
    now: () => new Date(clock),
    responseCache: { ttlMs: 60_000 },
  });
  app = buildApp({ db, predictions: service });
  await app.ready();
});
afterEach(async () => {
  await app.close();
  await service.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const generate = async (payload: object, headers: Record<string, string> = {}, url = '/api/predictions/generate'): Promise<Answer> => {
  const res = await app.inject({ method: 'POST', url, payload, headers });
  expect(res.statusCode).toBe(200);
  return res.json() as Answer;
};
const stored = async () => (await app.inject({ url: '/api/predictions?page_size=100' })).json() as { total: number; items: Array<{ request_id: string }> };

describe('prediction response cache', () => {
  it('answers an identical unseeded request with the same stored prediction, storing no new row', async () => {
    const body = { machine_type: 2, sets_count: 4 };
    const first = await generate(body);
    expect(first.cache_status).toBe('miss');
    const second = await generate(body);
    expect(second.cache_status).toBe('hit');
    expect(second.request_id).toBe(first.request_id);
    expect(second.generated_at).toBe(first.generated_at);
    expect(second.predictions).toEqual(first.predictions);
    const list = await stored();
    expect(list.total).toBe(1);
    // The stored record is what the client got; it does not carry the cache status, nor each set's
    // popularity figures (a forecast made at generation time, not stored with the prediction).
    const one = (await app.inject({ url: `/api/predictions/${first.request_id}` })).json() as Record<string, unknown>;
    expect(one.predictions).toMatchObject((first.predictions as Array<Record<string, unknown>>).map(({ popularity: _, ...rest }) => rest));
    expect(one).not.toHaveProperty('cache_status');
  });

  it('makes fresh sets under Cache-Control: no-cache, and a later identical request gets those', async () => {
    const body = { machine_type: 1, sets_count: 3 };
    const first = await generate(body);
    const fresh = await generate(body, { 'cache-control': 'no-cache' });
    expect(fresh.cache_status).toBe('miss');
    expect(fresh.request_id).not.toBe(first.request_id);
    expect(fresh.metadata.seed).not.toBe(first.metadata.seed);
    const again = await generate(body);
    expect(again).toMatchObject({ cache_status: 'hit', request_id: fresh.request_id });
    expect((await stored()).total).toBe(2);
  });

  it('never caches a request with a seed: each is made and stored, with the same sets', async () => {
    const body = { machine_type: 3, sets_count: 2, seed: 42 };
    const a = await generate(body);
    const b = await generate(body);
    expect([a.cache_status, b.cache_status]).toEqual(['miss', 'miss']);
    expect(b.request_id).not.toBe(a.request_id);
    expect(b.predictions).toEqual(a.predictions);
    expect((await stored()).total).toBe(2);
  });

  it('keeps requests that differ in any field, or come through the ensemble route, apart', async () => {
    const base = await generate({ machine_type: 1, sets_count: 3 });
    const variants = [
      { machine_type: 1, sets_count: 4 },
      { machine_type: 2, sets_count: 3 },
      { machine_type: 1, sets_count: 3, algorithm: 'basic' },
      { machine_type: 1, sets_count: 3, lang: 'en' },
      { machine_type: 1, sets_count: 3, include: [7] },
      { machine_type: 1, sets_count: 3, analysis_window: 30 },
    ];
    for (const v of variants) expect((await generate(v)).cache_status).toBe('miss');
    const viaEnsemble = await generate({ machine_type: 1, sets_count: 3 }, {}, '/api/ensemble/predictions');
    expect(viaEnsemble.cache_status).toBe('miss');
    expect((await generate({ machine_type: 1, sets_count: 3 })).request_id).toBe(base.request_id);
  });

  it('misses after new data, after retrained models and after the TTL', async () => {
    const body = { machine_type: 2, sets_count: 2 };
    const a = await generate(body);
    drawsRepo(db).upsertMany(sharedSlice(601, 601), '2026-11-24T09:00:00.000Z');
    const b = await generate(body);
    expect(b.cache_status).toBe('miss');
    expect(b.metadata.target_round).toBe(a.metadata.target_round + 1);
    expect((await generate(body)).cache_status).toBe('hit');

    saveFake(dir, 'ensemble', 'all', E_SPEC, { createdAt: 'v2' });
    const c = await generate(body);
    expect(c.cache_status).toBe('miss');
    expect((await generate(body)).request_id).toBe(c.request_id);

    clock += 61_000;
    const d = await generate(body);
    expect(d.cache_status).toBe('miss');
    expect(d.request_id).not.toBe(c.request_id);
  });

  it('counts hits and misses in health and metrics', async () => {
    const body = { machine_type: 1, sets_count: 1 };
    await generate(body);
    await generate(body);
    await generate(body);
    await generate(body, { 'cache-control': 'no-cache' });
    const hr = await app.inject({ url: '/api/monitoring/health' });
    expect(hr.statusCode, hr.body).toBe(200);
    const h = hr.json() as { components: { cache: Record<string, unknown> } };
    expect(h.components.cache).toMatchObject({ status: 'ok', hits: 2, misses: 2, hit_rate: 0.5, entries: 1, ttl_seconds: 60 });
    expect(h.components.cache.memory_bytes).toBeGreaterThan(500);
    const m = (await app.inject({ url: '/api/monitoring/metrics?period=5m' })).json() as { predictions: Record<string, unknown> };
    expect(m.predictions).toEqual({ generated: 2, cache_hits: 2, cache_misses: 2, cache_hit_rate: 0.5 });
  });
});
