// Property: whatever arrives (random and malformed paths, query strings, bodies, content types
// and headers, to every route the app has, including ones added by later plugins), the server
// answers with a 2xx/3xx, or a 4xx in the error envelope; never a 5xx, never a crash.
// Seeded and bounded: the same 10,000 cases on every run.
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeysRepo } from '../../src/data/apiKeysRepo.js';
import { createApiKey, revokeApiKey } from '../../src/service/apiKeys.js';
import { accessApp, type AccessApp } from './accessFixtures.js';
import { collectRoutes, integerSlots, NON_DECIMAL_NUMBERS, requestFor, slotRequest, type FuzzRequest, type RouteInfo } from './fuzzRoutes.js';

function bodyText(res: LightMyRequestResponse): string {
  const raw = res.rawPayload;
  switch (res.headers['content-encoding']) {
    case 'gzip':
      return gunzipSync(raw).toString('utf8');
    case 'br':
      return brotliDecompressSync(raw).toString('utf8');
    case 'deflate':
      return inflateSync(raw).toString('utf8');
    default:
      return raw.toString('utf8');
  }
}

/** Why this answer breaks the contract, or null. */
function violation(req: FuzzRequest, res: LightMyRequestResponse): string | null {
  if (res.statusCode >= 500) return `status ${res.statusCode}: ${bodyText(res).slice(0, 300)}`;
  if (res.statusCode < 400 || req.method === 'HEAD') return null;
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) return `a ${res.statusCode} that is not JSON (${type})`;
  let body: { status?: string; error?: { code?: unknown; message?: unknown }; request_id?: unknown };
  try {
    body = JSON.parse(bodyText(res)) as typeof body;
  } catch {
    return `a ${res.statusCode} whose body does not parse`;
  }
  if (body.status !== 'error' || typeof body.error?.code !== 'string' || typeof body.error.message !== 'string') return `not an envelope: ${JSON.stringify(body).slice(0, 200)}`;
  if (body.request_id !== res.headers['x-request-id']) return 'request_id differs from X-Request-Id';
  return null;
}

async function fuzz(app: FastifyInstance, routes: RouteInfo[], keys: string[], numRuns: number, seed: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(requestFor(routes, keys), async (req) => {
      const res = await app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, ...(req.payload !== undefined ? { payload: req.payload } : {}) });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const why = violation(req, res);
      if (why) throw new Error(`${req.method} ${req.url.slice(0, 200)} → ${why}`);
    }),
    { numRuns, seed, endOnFailure: true },
  );
  return statuses;
}

describe('fuzzing every route', () => {
  let open: AccessApp;
  let keyed: AccessApp;
  let openRoutes: RouteInfo[] = [];
  let keyedRoutes: RouteInfo[] = [];
  let keyedKeys: string[] = [];

  beforeAll(async () => {
    open = await accessApp({}, { rounds: [1200, 1245], before: (app) => (openRoutes = collectRoutes(app)) });
    keyed = await accessApp(
      { access: { requireKey: true, limits: { enterprise: { perMinute: 1_000_000, concurrent: 100 } } } },
      { rounds: [1200, 1245], before: (app) => (keyedRoutes = collectRoutes(app)) },
    );
    const repo = apiKeysRepo(keyed.db);
    const revoked = createApiKey(repo, { tier: 'premium', label: 'revoked' });
    revokeApiKey(repo, String(revoked.record.id));
    keyedKeys = [keyed.keys.enterprise, keyed.keys.enterprise, keyed.keys.free, revoked.key];
  });
  afterAll(async () => {
    await open.close();
    await keyed.close();
  });

  it('knows the routes, including the API, the docs and the OpenAPI document', () => {
    const urls = new Set(openRoutes.map((r) => r.url));
    for (const u of ['/api/draws', '/api/draws/:round', '/api/statistics/machine-analysis/:machine_type', '/api/predictions/generate', '/api/monitoring/health', '/openapi.json']) {
      expect(urls.has(u), u).toBe(true);
    }
  });

  it('answers 8,000 random and malformed requests without a key requirement with 2xx/3xx or a 4xx envelope, never a 5xx', async () => {
    const statuses = await fuzz(open.app, openRoutes, [], 8000, 20261124);
    // The run reached handlers, not only the validators.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(800);
    expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThan(3);
  }, 60_000);

  it('answers 2,000 more with keys required (valid, free, revoked and forged keys) the same way', async () => {
    const statuses = await fuzz(keyed.app, keyedRoutes, keyedKeys, 2000, 7);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
    for (const s of [401, 403]) expect(statuses.get(s) ?? 0, String(s)).toBeGreaterThan(0);
  }, 60_000);

  it('answers 422 in the envelope, never a 5xx, to non-finite and non-decimal numbers in every integer path and query parameter of every route', async () => {
    const slots = integerSlots(openRoutes);
    // The draws, statistics, predictions, backtests and fairness parameters are all reached.
    expect(new Set(slots.map((s) => s.route.url)).size).toBeGreaterThanOrEqual(6);
    expect(slots.some((s) => s.where === 'path' && s.name === 'round')).toBe(true);
    for (const slot of slots) {
      for (const value of NON_DECIMAL_NUMBERS) {
        const url = slotRequest(slot, value);
        const method = slot.route.method as 'GET' | 'POST';
        const res = await open.app.inject({ method, url, ...(method === 'POST' ? { payload: { machine_type: 1 } } : {}) });
        const why = violation({ method, url, headers: {} }, res);
        if (why) throw new Error(`${method} ${url} → ${why}`);
        // An empty path segment is another route (404); every other spelling is refused by validation.
        const expected = value === '' && slot.where === 'path' ? [404, 422] : [422];
        expect(expected, `${method} ${url}: ${res.body.slice(0, 200)}`).toContain(res.statusCode);
        if (res.statusCode === 422) expect((res.json() as { error: { field: string } }).error.field).toBe(slot.name);
      }
    }
  }, 60_000);

  it('still serves normal requests afterwards', async () => {
    const res = await open.app.inject({ method: 'GET', url: '/api/draws/1245' });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { round: number }).round).toBe(1245);
  });
});
