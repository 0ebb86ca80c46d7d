// Conditional GETs (ETag, Cache-Control, 304) and response compression, over inject.
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { accessApp, type AccessApp } from './accessFixtures.js';
import { sharedSlice } from './fixtures.js';

let t: AccessApp;
beforeAll(async () => {
  t = await accessApp(
    {},
    {
      rounds: [1000, 1244],
      // A stand-in under /api/backtests, so the rule is tested whether or not the backtest routes exist yet.
      before: (app) =>
        app.register(async (scope) => {
          let n = 0;
          scope.get('/api/backtests/__cache-probe', async (request) => ({ version: (request.query as { v?: string }).v ?? String(n), filler: 'x'.repeat(50) }));
          scope.post('/api/backtests/__cache-probe', async () => ({ n: ++n }));
        }),
    },
  );
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

const CACHED = ['/api/draws', '/api/draws?page=2&page_size=5&machine=2', '/api/draws/1200', '/api/statistics/machine-analysis/1?rounds=30', '/api/statistics/fairness?machine=1', '/api/backtests', '/api/backtests/__cache-probe'];

describe('ETag and Cache-Control', () => {
  it.each(CACHED)('%s carries a weak ETag and no-cache, and answers a matching If-None-Match with an empty 304', async (url) => {
    const first = await get(url);
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await get(url);
    expect(again.headers.etag).toBe(etag);
    for (const inm of [etag, `"other", ${etag}`, etag.slice(2), '*']) {
      const revalidated = await get(url, { 'if-none-match': inm });
      expect(revalidated.statusCode, inm).toBe(304);
      expect(revalidated.body).toBe('');
      expect(revalidated.headers.etag).toBe(etag);
    }
    const stale = await get(url, { 'if-none-match': 'W/"not-this-one"' });
    expect(stale.statusCode).toBe(200);
    expect(stale.body).toBe(first.body);
  });

  it('gives different answers different ETags', async () => {
    const tags = await Promise.all(['/api/draws/1200', '/api/draws/1201', '/api/draws?page_size=3', '/api/statistics/machine-analysis/2'].map(async (u) => (await get(u)).headers.etag));
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('changes the ETag once a new draw is imported, so a client revalidating gets the new data', async () => {
    const urls = ['/api/draws?page_size=5', '/api/statistics/machine-analysis/all?rounds=20'];
    const before = await Promise.all(urls.map((u) => get(u)));
    const next = sharedSlice(1245, 1245);
    expect(next).toHaveLength(1);
    drawsRepo(t.db).upsertMany(next, '2026-02-01T00:00:00.000Z');
    for (const [i, url] of urls.entries()) {
      const res = await get(url, { 'if-none-match': before[i].headers.etag as string });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers.etag).not.toBe(before[i].headers.etag);
    }
    const page = (await get('/api/draws?page_size=5')).json() as { items: Array<{ round: number }> };
    expect(page.items[0].round).toBe(1245);
  });

  it('does not tag errors, POSTs, health or predictions', async () => {
    const missing = await get('/api/draws/99999');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
    const post = await t.app.inject({ method: 'POST', url: '/api/backtests/__cache-probe' });
    expect(post.headers.etag).toBeUndefined();
    expect((await get('/api/monitoring/health')).headers.etag).toBeUndefined();
    const bad = await get('/api/statistics/machine-analysis/9');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers.etag).toBeUndefined();
  });
});

describe('compression', () => {
  const decode: Record<string, (b: Buffer) => Buffer> = { gzip: gunzipSync, br: brotliDecompressSync, deflate: inflateSync };

  it.each(['gzip', 'br', 'deflate'])('sends %s when the client accepts it, with the same content and ETag', async (enc) => {
    const url = '/api/draws?page_size=50';
    const plain = await get(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const packed = await get(url, { 'accept-encoding': enc });
    expect(packed.headers['content-encoding']).toBe(enc);
    expect(String(packed.headers.vary).toLowerCase()).toContain('accept-encoding');
    const raw = packed.rawPayload;
    expect(raw.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(decode[enc](raw).toString('utf8')).toBe(plain.body);
    expect(packed.headers.etag).toBe(plain.headers.etag);
  });

  it('prefers gzip when several are accepted, and leaves small answers (under 1 KB) and 304s uncompressed', async () => {
    const both = await get('/api/draws?page_size=20', { 'accept-encoding': 'br, deflate, gzip' });
    expect(both.headers['content-encoding']).toBe('gzip');
    expect((await get('/api/draws?page_size=20', { 'accept-encoding': 'br' })).headers['content-encoding']).toBe('br');
    const small = await get('/api/draws/1200', { 'accept-encoding': 'gzip, br' });
    expect(small.rawPayload.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    const etag = (await get('/api/draws?page_size=50')).headers.etag as string;
    const notModified = await get('/api/draws?page_size=50', { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.rawPayload.length).toBe(0);
  });

  it('compresses prediction answers too (the ops bench measures their latency)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/predictions/generate', headers: { 'accept-encoding': 'gzip' }, payload: { machine_type: 'all', sets_count: 5, seed: 3 } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    const body = JSON.parse(gunzipSync(res.rawPayload).toString('utf8')) as { predictions: unknown[] };
    expect(body.predictions).toHaveLength(15);
  });
});
