// Route schemas compile on first use (src/api/lazySchemas.ts) rather than at start-up. These
// tests hold that to what eager compilation guaranteed: every schema compiles, and requests get
// the same answers (validation errors, coercion, defaults, serialization) either way.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hogiApp, serverOptions } from '../../src/api/app.js';
import { eagerCompilersFactory, lazySchemaStats } from '../../src/api/lazySchemas.js';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { sharedSlice } from './fixtures.js';

/** The app with every route's schemas compiled while getting ready (same validation rules). */
async function eagerApp(db: Db): Promise<FastifyInstance> {
  const app = Fastify({ ...serverOptions(), schemaController: { compilersFactory: eagerCompilersFactory } });
  await app.register(hogiApp, { db, compression: false });
  await app.ready();
  return app;
}

async function lazyApp(db: Db): Promise<FastifyInstance> {
  const app = Fastify(serverOptions());
  await app.register(hogiApp, { db, compression: false });
  await app.ready();
  return app;
}

/** The answer without what differs per request anyway. */
function comparable(res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  const type = String(res.headers['content-type'] ?? '');
  const body: unknown = type.includes('json') ? JSON.parse(res.body) : res.body;
  if (body && typeof body === 'object' && 'timestamp' in body) delete (body as { timestamp?: unknown }).timestamp;
  return { status: res.statusCode, type, body };
}

describe('route schemas compiled on first use', () => {
  let db: Db;
  let eager: FastifyInstance;
  let lazy: FastifyInstance;
  let compiledAtStart: { validators: number; serializers: number };

  beforeAll(async () => {
    db = openDb(':memory:');
    drawsRepo(db).upsertMany(sharedSlice(1100, 1200), '2026-01-01T00:00:00.000Z');
    // Every route's request and response schemas compile here (a broken schema rejects ready()).
    eager = await eagerApp(db);
    const before = { ...lazySchemaStats };
    lazy = await lazyApp(db);
    compiledAtStart = { validators: lazySchemaStats.validators - before.validators, serializers: lazySchemaStats.serializers - before.serializers };
  });

  afterAll(async () => {
    await lazy.close();
    await eager.close();
    db.close();
  });

  it('start-up compiles no route schema; a route compiles on its first request and reuses it after', async () => {
    expect(compiledAtStart).toEqual({ validators: 0, serializers: 0 });
    const url = '/api/statistics/machine-analysis/2?rounds=30';
    const before = { ...lazySchemaStats };
    expect((await lazy.inject({ method: 'GET', url })).statusCode).toBe(200);
    const afterFirst = { ...lazySchemaStats };
    // params and querystring validators, the 200 serializer
    expect(afterFirst.validators - before.validators).toBe(2);
    expect(afterFirst.serializers - before.serializers).toBe(1);
    expect((await lazy.inject({ method: 'GET', url: '/api/statistics/machine-analysis/3?rounds=40' })).statusCode).toBe(200);
    expect({ ...lazySchemaStats }).toEqual(afterFirst);
  });

  it('answers exactly as eagerly compiled schemas do: errors, coercion, defaults, serialization', async () => {
    const requests: Array<{ method: 'GET' | 'POST'; url: string; payload?: Record<string, unknown> }> = [
      { method: 'GET', url: '/api/draws' }, // defaults page=1, page_size=20, order=desc
      { method: 'GET', url: '/api/draws?page=2&page_size=5&order=asc&machine=2' }, // coercion from strings
      { method: 'GET', url: '/api/draws?page=abc' }, // 400 with the field
      { method: 'GET', url: '/api/draws?page_size=1000' },
      { method: 'GET', url: '/api/draws?colour=red' },
      { method: 'GET', url: '/api/draws/1150' },
      { method: 'GET', url: '/api/draws/0' },
      { method: 'GET', url: '/api/statistics/machine-analysis/1호기' },
      { method: 'GET', url: '/api/statistics/machine-analysis/7' },
      { method: 'GET', url: '/api/statistics/machine-analysis/all?rounds=0' },
      { method: 'GET', url: '/api/backtests/nope' },
      { method: 'POST', url: '/api/predictions/generate', payload: { machine_type: 1, sets_count: 0 } },
      { method: 'POST', url: '/api/predictions/generate', payload: { machine_type: 9, sets_count: 5 } },
      { method: 'POST', url: '/api/predictions/generate', payload: { sets_count: 'five' } },
      { method: 'GET', url: '/api' },
      { method: 'GET', url: '/api/nowhere' },
    ];
    for (const r of requests) {
      const headers = { 'x-request-id': 'same-id' };
      const a = comparable(await eager.inject({ ...r, headers }));
      const b = comparable(await lazy.inject({ ...r, headers }));
      expect(b, `${r.method} ${r.url}`).toEqual(a);
    }
    // The list really was coerced and defaulted (not merely equal in failing).
    const page = comparable(await lazy.inject({ method: 'GET', url: '/api/draws?page=2&page_size=5&order=asc&machine=2' }));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ page: 2, page_size: 5 });
  });
});
