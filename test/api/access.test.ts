// API keys, tiers, rate and in-flight limits, the premium gate, CORS and the OpenAPI security
// description, over inject against a fresh in-memory database with the real migrations.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { requestLogView } from '../../src/api/plugins/access.js';
import { startServer, keyRequired, isLoopbackHost } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/env.js';
import { apiKeysRepo } from '../../src/data/apiKeysRepo.js';
import { revokeApiKey, TIER_LIMITS, type ApiKeyTier } from '../../src/service/apiKeys.js';
import { accessApp, type AccessApp } from './accessFixtures.js';
import { envelopeOf } from './fixtures.js';

let t: AccessApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const get = (app: FastifyInstance, url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('without required keys (loopback default)', () => {
  it('serves unkeyed requests with no limit and no rate-limit headers', async () => {
    t = await accessApp();
    for (let i = 0; i < 40; i++) {
      const res = await get(t.app, '/api/draws?page_size=1');
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  it('still checks a key that is sent, and applies its tier', async () => {
    t = await accessApp();
    expect(envelopeOf(await get(t.app, '/api/draws', { 'x-api-key': 'hogi_not-a-real-key' })).error.code).toBe('INVALID_API_KEY');
    const res = await get(t.app, '/api/draws', { 'x-api-key': t.keys.free });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBe(String(TIER_LIMITS.free.perMinute));
  });
});

describe('with required keys', () => {
  it('answers 401 API_KEY_REQUIRED without a key and 401 INVALID_API_KEY for an unknown one', async () => {
    t = await accessApp({ access: { requireKey: true } });
    const missing = await get(t.app, '/api/draws');
    expect(missing.statusCode).toBe(401);
    expect(envelopeOf(missing).error).toMatchObject({ code: 'API_KEY_REQUIRED', field: 'X-API-Key' });
    // Right shape, wrong key; wrong shape; a repeated query parameter.
    const forged = 'hogi_' + 'A'.repeat(32);
    for (const headers of [{ 'x-api-key': forged }, { 'x-api-key': 'x' }]) {
      const res = await get(t.app, '/api/statistics/machine-analysis/1', headers);
      expect(res.statusCode).toBe(401);
      expect(envelopeOf(res).error.code).toBe('INVALID_API_KEY');
    }
    const twice = await get(t.app, `/api/draws?api_key=${t.keys.free}&api_key=${t.keys.free}`);
    expect(twice.statusCode).toBe(401);
    const post = await t.app.inject({ method: 'POST', url: '/api/predictions/generate', payload: { machine_type: 1 } });
    expect(envelopeOf(post).error.code).toBe('API_KEY_REQUIRED');
  });

  it('accepts a key in the X-API-Key header or the api_key query parameter', async () => {
    t = await accessApp({ access: { requireKey: true } });
    const byHeader = await get(t.app, '/api/draws/1245', { 'x-api-key': t.keys.premium });
    expect(byHeader.statusCode).toBe(200);
    expect((byHeader.json() as { round: number }).round).toBe(1245);
    const byQuery = await get(t.app, `/api/draws?page_size=2&api_key=${encodeURIComponent(t.keys.premium)}`);
    expect(byQuery.statusCode).toBe(200);
    expect((byQuery.json() as { items: unknown[] }).items).toHaveLength(2);
  });

  it('answers 403 API_KEY_REVOKED once a key is revoked, at once, and records when a key was last used', async () => {
    t = await accessApp({ access: { requireKey: true } });
    const repo = apiKeysRepo(t.db);
    const before = repo.list().find((k) => k.tier === 'free');
    expect(before?.lastUsedAt).toBeNull();
    expect((await get(t.app, '/api/draws', { 'x-api-key': t.keys.free })).statusCode).toBe(200);
    expect(repo.get(before!.id)?.lastUsedAt).not.toBeNull();
    revokeApiKey(repo, String(before!.id));
    const res = await get(t.app, '/api/draws', { 'x-api-key': t.keys.free });
    expect(res.statusCode).toBe(403);
    expect(envelopeOf(res).error.code).toBe('API_KEY_REVOKED');
    // Other keys are untouched.
    expect((await get(t.app, '/api/draws', { 'x-api-key': t.keys.premium })).statusCode).toBe(200);
  });

  it('leaves health, the docs, the OpenAPI document, /api and the dashboard open', async () => {
    t = await accessApp({ access: { requireKey: true } });
    for (const url of ['/api/monitoring/health', '/openapi.json', '/docs', '/api', '/']) {
      const res = await get(t.app, url);
      expect(res.statusCode, url).toBeLessThan(400);
    }
  });

  it('does not ask CORS preflights for a key (browsers never send one there)', async () => {
    t = await accessApp({ access: { requireKey: true, corsOrigins: ['https://app.example'] } });
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/draws',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('x-api-key');
  });
});

describe('rate limits per tier', () => {
  it.each(['free', 'premium', 'enterprise'] as ApiKeyTier[])('%s: the documented requests a minute, then 429 RATE_LIMIT_EXCEEDED with Retry-After', async (tier) => {
    t = await accessApp({ access: { requireKey: true } });
    const max = TIER_LIMITS[tier].perMinute;
    const key = t.keys[tier];
    for (let i = 1; i <= max; i++) {
      const res = await get(t.app, '/api/draws/1245', { 'x-api-key': key });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe(String(max));
      expect(res.headers['x-ratelimit-remaining']).toBe(String(max - i));
      const reset = Number(res.headers['x-ratelimit-reset']);
      expect(reset).toBeGreaterThan(0);
      expect(reset).toBeLessThanOrEqual(60);
    }
    const over = await get(t.app, '/api/draws/1245', { 'x-api-key': key });
    expect(over.statusCode).toBe(429);
    const body = envelopeOf(over).error as unknown as { code: string; retry_after_seconds: number };
    expect(body.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(body.retry_after_seconds).toBeGreaterThan(0);
    expect(body.retry_after_seconds).toBeLessThanOrEqual(60);
    expect(over.headers['retry-after']).toBe(String(body.retry_after_seconds));
    expect(over.headers['x-ratelimit-remaining']).toBe('0');
    // Limits are per key: another key of the same server is unaffected.
    const other = tier === 'free' ? t.keys.premium : t.keys.free;
    expect((await get(t.app, '/api/draws/1245', { 'x-api-key': other })).statusCode).toBe(200);
  });

  it('counts the header and the query parameter as the same key, and opens again after the window', async () => {
    // A fake clock: the window passes without waiting for it.
    let now = Date.parse('2026-12-05T12:00:00Z');
    t = await accessApp({ access: { requireKey: true, clock: () => new Date(now) } });
    for (let i = 0; i < 5; i++) expect((await get(t.app, '/api/draws/1245', { 'x-api-key': t.keys.free })).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await get(t.app, `/api/draws/1245?api_key=${t.keys.free}`)).statusCode).toBe(200);
    expect((await get(t.app, '/api/draws/1245', { 'x-api-key': t.keys.free })).statusCode).toBe(429);
    now += 59_000;
    const still = await get(t.app, '/api/draws/1245', { 'x-api-key': t.keys.free });
    expect(still.statusCode).toBe(429);
    expect(still.headers['retry-after']).toBe('1');
    now += 1_000;
    expect((await get(t.app, '/api/draws/1245', { 'x-api-key': t.keys.free })).statusCode).toBe(200);
  });
});

/** An app requiring keys, with GET /api/slow-probe answering only once `gate()` resolves. */
function slowProbeApp(gate: () => Promise<void>) {
  return accessApp(
    { access: { requireKey: true } },
    {
      before: (app) =>
        app.register(async (scope) => {
          scope.get('/api/slow-probe', async () => {
            await gate();
            return { ok: true };
          });
        }),
    },
  );
}

/** A gate for GET /api/slow-probe that also says when `n` requests are waiting at it. */
function gateFor(n: number) {
  let release: () => void = () => undefined;
  let open = new Promise<void>((r) => (release = r));
  let arrived = 0;
  let allIn: () => void = () => undefined;
  const waiting = new Promise<void>((r) => (allIn = r));
  return {
    gate: () => {
      if (++arrived === n) allIn();
      return open;
    },
    /** Resolves once n requests have reached the handler (they hold their slots). */
    waiting,
    release: () => release(),
    openForGood: () => (open = Promise.resolve()),
  };
}

/** Let pending I/O callbacks and hooks run (a few turns of the event loop, not a clock wait). */
async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

describe('requests in flight per key', () => {
  it('allows the tier\'s concurrent requests and refuses one more with 429 until one finishes', async () => {
    const g = gateFor(2);
    t = await slowProbeApp(g.gate);
    const app = t.app;
    const key = t.keys.free;
    const slow = [get(app, '/api/slow-probe', { 'x-api-key': key }), get(app, '/api/slow-probe', { 'x-api-key': key })];
    await g.waiting;
    const third = await get(app, '/api/draws/1245', { 'x-api-key': key });
    expect(third.statusCode).toBe(429);
    const err = envelopeOf(third).error as unknown as { code: string; retry_after_seconds: number; concurrent_limit: number };
    expect(err).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', concurrent_limit: TIER_LIMITS.free.concurrent });
    expect(third.headers['retry-after']).toBe(String(err.retry_after_seconds));
    expect(third.headers['x-ratelimit-limit']).toBe(String(TIER_LIMITS.free.perMinute));
    // A different key has its own slots.
    expect((await get(app, '/api/draws/1245', { 'x-api-key': t.keys.premium })).statusCode).toBe(200);
    g.release();
    expect((await Promise.all(slow)).map((r) => r.statusCode)).toEqual([200, 200]);
    g.openForGood();
    expect((await get(app, '/api/draws/1245', { 'x-api-key': key })).statusCode).toBe(200);
  });
});

describe('requests in flight over real sockets', () => {
  it('a client that hangs up frees its slots (no slot leaks when fastify never answers a closed socket)', async () => {
    const g = gateFor(2);
    let hungUp = 0;
    let allHungUp: () => void = () => undefined;
    const bothHungUp = new Promise<void>((r) => (allHungUp = r));
    t = await accessApp(
      { access: { requireKey: true } },
      {
        before: (app) => {
          app.register(async (scope) => {
            scope.get('/api/slow-probe', async () => {
              await g.gate();
              return { ok: true };
            });
          });
          // Runs after the access plugin's own abort hook (registered first), so its slot is free by then.
          app.addHook('onRequestAbort', async (_request) => void (++hungUp === 2 && allHungUp()));
        },
      },
    );
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const key = t.keys.free;
    // Fill both free-tier slots, then hang up on them.
    const aborts = [new AbortController(), new AbortController()];
    const pending = aborts.map((a) => fetch(`${address}/api/slow-probe`, { headers: { 'x-api-key': key }, signal: a.signal }).catch(() => null));
    await g.waiting;
    expect((await fetch(`${address}/api/draws/1245`, { headers: { 'x-api-key': key } })).status).toBe(429);
    for (const a of aborts) a.abort();
    await Promise.all(pending);
    await bothHungUp;
    // Hung up: the slots are free again at once, and stay free once the handlers finish.
    const during = await Promise.all([1, 2].map(() => fetch(`${address}/api/draws/1245`, { headers: { 'x-api-key': key } })));
    expect(during.map((r) => r.status)).toEqual([200, 200]);
    g.release();
    await settle();
    const after = await Promise.all([1, 2].map(() => fetch(`${address}/api/draws/1245`, { headers: { 'x-api-key': key } })));
    expect(after.map((r) => r.status)).toEqual([200, 200]);
  });
});

describe('premium features', () => {
  it('lets only premium and enterprise keys ask for algorithm "premium"; unkeyed local requests may', async () => {
    t = await accessApp({ access: { requireKey: false } });
    const body = { machine_type: 1, algorithm: 'premium', sets_count: 1, seed: 5 };
    const free = await t.app.inject({ method: 'POST', url: '/api/predictions/generate', headers: { 'x-api-key': t.keys.free }, payload: body });
    expect(free.statusCode).toBe(403);
    expect(envelopeOf(free).error).toMatchObject({ code: 'TIER_REQUIRED', field: 'algorithm' });
    const basic = await t.app.inject({ method: 'POST', url: '/api/predictions/generate', headers: { 'x-api-key': t.keys.free }, payload: { ...body, algorithm: 'basic' } });
    expect(basic.statusCode).toBe(200);
    for (const headers of [{ 'x-api-key': t.keys.premium }, { 'x-api-key': t.keys.enterprise }, {}]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/predictions/generate', headers, payload: body });
      expect(res.statusCode).toBe(200);
      expect((res.json() as { metadata: { algorithm: string } }).metadata.algorithm).toBe('premium');
    }
  });
});

describe('CORS', () => {
  it('is closed to other origins by default and open to the server\'s own', async () => {
    t = await accessApp();
    const foreign = await get(t.app, '/api/draws/1245', { origin: 'https://evil.example' });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const own = await get(t.app, '/api/draws/1245', { origin: 'http://localhost:80', host: 'localhost:80' });
    expect(own.headers['access-control-allow-origin']).toBe('http://localhost:80');
    expect(String(own.headers['access-control-expose-headers'])).toContain('X-RateLimit-Remaining');
  });

  it('opens to configured origins only, or to any with "*"', async () => {
    t = await accessApp({ access: { corsOrigins: ['https://app.example'] } });
    expect((await get(t.app, '/api/draws/1245', { origin: 'https://app.example' })).headers['access-control-allow-origin']).toBe('https://app.example');
    expect((await get(t.app, '/api/draws/1245', { origin: 'https://other.example' })).headers['access-control-allow-origin']).toBeUndefined();
    await t.close();
    t = await accessApp({ access: { corsOrigins: ['*'] } });
    expect((await get(t.app, '/api/draws/1245', { origin: 'https://other.example' })).headers['access-control-allow-origin']).toBe('*');
  });
});

describe('OpenAPI', () => {
  it('documents the apiKey schemes (header and query) and the 401/403/429 answers of keyed routes, not of health', async () => {
    t = await accessApp();
    const spec = (await get(t.app, '/openapi.json')).json() as {
      components: { securitySchemes: Record<string, { type: string; in: string; name: string }> };
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    const schemes = Object.values(spec.components.securitySchemes);
    expect(schemes).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }), expect.objectContaining({ type: 'apiKey', in: 'query', name: 'api_key' })]));
    for (const [path, ops] of Object.entries(spec.paths)) {
      if (!path.startsWith('/api/')) continue;
      for (const op of Object.values(ops)) {
        if (path === '/api/monitoring/health') {
          expect(op.security).toBeUndefined();
          continue;
        }
        expect(op.security, path).toBeDefined();
        expect(Object.keys(op.responses), path).toEqual(expect.arrayContaining(['401', '403', '429']));
      }
    }
  });
});

describe('hogi serve decides when keys are required', () => {
  it('always beyond loopback; on loopback only when asked (HOGI_REQUIRE_KEY=1 or --require-key)', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('192.168.0.10')).toBe(false);
    expect(keyRequired('127.0.0.1', undefined, loadConfig({}).requireKey)).toBe(false);
    expect(keyRequired('127.0.0.1', undefined, loadConfig({ HOGI_REQUIRE_KEY: '1' }).requireKey)).toBe(true);
    expect(keyRequired('127.0.0.1', true, loadConfig({}).requireKey)).toBe(true);
    expect(keyRequired('0.0.0.0', undefined, loadConfig({}).requireKey)).toBe(true);
    expect(keyRequired('0.0.0.0', false, loadConfig({ HOGI_REQUIRE_KEY: '0' }).requireKey)).toBe(true);
    expect(() => keyRequired('127.0.0.1', undefined, loadConfig({ HOGI_REQUIRE_KEY: 'yes please' }).requireKey)).toThrow(/HOGI_REQUIRE_KEY/);
  });

  it('a real server with HOGI_REQUIRE_KEY=1 refuses unkeyed API calls over the socket but serves health', async () => {
    const server = await startServer({ dbPath: ':memory:', host: '127.0.0.1', port: 0, logger: false, handleSignals: false, warmPredictions: false, snapshot: false, startupTraining: false }, loadConfig({ HOGI_REQUIRE_KEY: '1' }));
    try {
      expect((await fetch(`${server.url}/api/draws`)).status).toBe(401);
      expect((await fetch(`${server.url}/api/monitoring/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('logs', () => {
  it('never contain a key sent in the query string (the server\'s logger redacts api_key)', async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString('utf8');
        done();
      },
    });
    // The same logger options as startServer uses.
    const logger = pino({ level: 'info', serializers: { req: requestLogView } }, sink);
    t = await accessApp({ logger, access: { requireKey: true } });
    const res = await get(t.app, `/api/draws/1245?api_key=${t.keys.premium}&x=1`);
    expect(res.statusCode).toBe(200);
    expect(logged).toContain('api_key=[redacted]&x=1');
    expect(logged).not.toContain(t.keys.premium);
    expect(logged).not.toContain(t.keys.premium.slice(5));
  });
});

