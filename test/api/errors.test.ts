import { afterEach, describe, expect, it } from 'vitest';
import { appWith, closeApp, envelopeOf, sharedSlice, type TestApp } from './fixtures.js';

let t: TestApp | null = null;
afterEach(async () => {
  if (t) await closeApp(t);
  t = null;
});

describe('error envelope and request ids', () => {
  it('answers unknown routes with 404 NOT_FOUND in the envelope', async () => {
    t = await appWith(sharedSlice(1, 5));
    for (const url of ['/api/nothing', '/api/draws/1/extra', '/api/statistics/machine-analysis']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(envelopeOf(res).error).toMatchObject({ code: 'NOT_FOUND', field: null });
    }
  });

  it('echoes a plain X-Request-Id and uses it as request_id', async () => {
    t = await appWith(sharedSlice(1, 5));
    const res = await t.app.inject({ url: '/api/draws/999', headers: { 'x-request-id': 'client-42.a' } });
    expect(res.headers['x-request-id']).toBe('client-42.a');
    expect(envelopeOf(res).request_id).toBe('client-42.a');
    const ok = await t.app.inject({ url: '/api/draws/1', headers: { 'x-request-id': 'client-43' } });
    expect(ok.headers['x-request-id']).toBe('client-43');
  });

  it('replaces a missing or unsafe X-Request-Id with a fresh id per request', async () => {
    t = await appWith(sharedSlice(1, 5));
    const a = await t.app.inject({ url: '/api/draws/1' });
    const b = await t.app.inject({ url: '/api/draws/1', headers: { 'x-request-id': 'bad id with spaces\u0007' } });
    const idA = String(a.headers['x-request-id']);
    const idB = String(b.headers['x-request-id']);
    expect(idA).toMatch(/^[0-9a-f-]{36}$/);
    expect(idB).toMatch(/^[0-9a-f-]{36}$/);
    expect(idA).not.toBe(idB);
  });

  it('turns an unexpected failure into 500 INTERNAL_ERROR without leaking the cause or a stack', async () => {
    t = await appWith(sharedSlice(1, 5));
    t.db.close(); // every query now throws inside better-sqlite3
    const res = await t.app.inject({ url: '/api/draws' });
    expect(res.statusCode).toBe(500);
    const env = envelopeOf(res);
    expect(env.error).toEqual({ code: 'INTERNAL_ERROR', message: 'internal server error', field: null });
    expect(res.body).not.toMatch(/database|sqlite|\.ts|\n\s+at /i);
  });
});

describe('an empty database', () => {
  it('lists no draws, 404s a round and answers machine analysis with NO_DATA and a load hint', async () => {
    t = await appWith([]);
    const list = await t.app.inject({ url: '/api/draws' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ items: [], total: 0, page: 1, page_size: 20, total_pages: 0 });

    const one = await t.app.inject({ url: '/api/draws/1' });
    expect(one.statusCode).toBe(404);
    expect(envelopeOf(one).error.code).toBe('NOT_FOUND');

    for (const m of ['3', 'all']) {
      const res = await t.app.inject({ url: `/api/statistics/machine-analysis/${m}?rounds=50` });
      expect(res.statusCode, m).toBe(409);
      const env = envelopeOf(res);
      expect(env.error.code).toBe('NO_DATA');
      expect(env.error.hint).toContain('hogi sync');
      expect(env.error.hint).toContain('hogi import');
    }
  });

  it('answers NO_DATA for a known machine with no labelled draws while other draws exist', async () => {
    t = await appWith(sharedSlice(1, 100)); // before round 262: no machine labels
    const res = await t.app.inject({ url: '/api/statistics/machine-analysis/2' });
    expect(res.statusCode).toBe(409);
    expect(envelopeOf(res).error.message).toContain('2호기');
  });
});
