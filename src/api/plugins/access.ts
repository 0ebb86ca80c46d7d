// Who may call the API and how often: API keys (X-API-Key header or api_key query parameter),
// per-tier rate limits (@fastify/rate-limit) and in-flight limits, the premium algorithm gate,
// and CORS (@fastify/cors). Hooks sit at the app level, so routes added later by other plugins
// (backtests, fairness, the dashboard) are covered without knowing them.
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../data/db.js';
import { apiKeysRepo } from '../../data/apiKeysRepo.js';
import { ApiKeyVerifier, PREMIUM_TIERS, TIER_LIMITS, type ApiKeyRecord, type ApiKeyTier, type TierLimits } from '../../service/apiKeys.js';
import { ApiError, ErrorCode } from '../errors.js';
import { clockedRateLimitStore } from './rateLimitStore.js';
import { ErrorEnvelope } from '../schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The verified key of this request; null (or undefined in contexts created before this
     * plugin, e.g. the Swagger UI) when none was sent, allowed only when keys are not required.
     */
    apiKey: ApiKeyRecord | null | undefined;
  }
}

export interface AccessOptions {
  /**
   * Every /api route except the open ones (health, /api) needs a key. The server turns this on
   * when it binds beyond loopback or HOGI_REQUIRE_KEY=1; default false.
   */
  requireKey?: boolean;
  /**
   * Origins allowed to call the API from a browser besides the server's own ("*" for any).
   * Default: none (same origin only).
   */
  corsOrigins?: readonly string[];
  /** Per-tier limits (default TIER_LIMITS: 10/100/1000 a minute, 2/10/100 at once). */
  limits?: Partial<Record<ApiKeyTier, TierLimits>>;
  /** Rate-limit window in ms (default one minute). */
  windowMs?: number;
  /** Clock for last_used_at and the rate-limit windows (tests; default real time). */
  clock?: () => Date;
  /**
   * Host names (the Host header without its port) this server answers; "*" for any. Default:
   * loopback names only (localhost, 127.x.x.x, ::1), so a web page whose domain re-resolves to
   * 127.0.0.1 (DNS rebinding) cannot reach the key-less loopback API. A deployment reached by
   * name lists its names (`hogi serve --allowed-hosts`, HOGI_ALLOWED_HOSTS).
   */
  allowedHosts?: readonly string[];
}

/** The host name of a Host header: lower-cased, without the port, IPv6 brackets kept off. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.indexOf(':');
  return (colon === -1 ? h : h.slice(0, colon)).replace(/\.$/, '');
}

/** Names only this machine resolves to. */
export function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(name);
}

/** Whether a request with this Host header is for this server (see AccessOptions.allowedHosts). */
export function hostAllowed(header: string | undefined, allowed: readonly string[] | undefined): boolean {
  // HTTP/1.0 clients may omit Host; browsers (the rebinding threat) always send it.
  if (header === undefined || header === '') return true;
  const name = hostName(header);
  if (allowed === undefined) return isLoopbackName(name);
  return allowed.includes('*') || isLoopbackName(name) || allowed.some((a) => hostName(a) === name);
}

export interface AccessPluginOptions extends AccessOptions {
  db: Db;
}

/** Routes that never need a key: health for probes, /api for the pointers to the docs. */
export const OPEN_API_ROUTES: readonly string[] = ['/api', '/api/monitoring/health'];

const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/');

/** The route pattern when the request matched one (immune to encoded paths), else the raw path. */
function routePath(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  if (pattern !== undefined) return pattern;
  const q = request.url.indexOf('?');
  return q === -1 ? request.url : request.url.slice(0, q);
}

function presentedKey(request: FastifyRequest): string | string[] | undefined {
  const header = request.headers['x-api-key'];
  if (header !== undefined) return header;
  const query = request.query as Record<string, unknown> | undefined;
  const q = query?.api_key;
  if (q === undefined) return undefined;
  return typeof q === 'string' ? q : [];
}

const RATE_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After'];

const RESPONSES: Record<number, string> = {
  401: 'API key missing (API_KEY_REQUIRED) or not recognised (INVALID_API_KEY); only when keys are required or a key is sent.',
  403: 'API key revoked (API_KEY_REVOKED), or the tier does not include the feature (TIER_REQUIRED).',
  429: 'Over the tier\'s requests per minute or requests at once (RATE_LIMIT_EXCEEDED, with retry_after_seconds and a Retry-After header).',
};

/**
 * Security and the 401/403/429 answers in the OpenAPI of every keyed route. A server that
 * requires keys documents the two ways of sending one; one that does not also lists "no key".
 */
const documentAccess = (requireKey: boolean) => (route: RouteOptions): void => {
  const schema = route.schema as (Record<string, unknown> & { hide?: boolean; response?: Record<string, TSchema> }) | undefined;
  if (!schema || schema.hide || !isApiPath(route.url) || OPEN_API_ROUTES.includes(route.url)) return;
  schema.security ??= requireKey ? [{ apiKeyHeader: [] }, { apiKeyQuery: [] }] : [{ apiKeyHeader: [] }, { apiKeyQuery: [] }, {}];
  if (schema.response) {
    for (const [status, description] of Object.entries(RESPONSES)) schema.response[status] ??= { ...ErrorEnvelope, description };
  }
};

/** OpenAPI components for the two ways of sending a key; app.ts passes them to @fastify/swagger. */
export const API_KEY_SECURITY_SCHEMES = {
  apiKeyHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'Required when the server binds beyond 127.0.0.1 or runs with HOGI_REQUIRE_KEY=1 (create one with `hogi keys create`).',
  },
  apiKeyQuery: { type: 'apiKey', in: 'query', name: 'api_key', description: 'The same key as a query parameter.' },
} as const;

/** A URL with the value of any api_key query parameter replaced, for logs. */
export function redactApiKey(url: string): string {
  return url.replace(/([?&]api_key=)[^&#]*/gi, '$1[redacted]');
}

/** pino `req` serializer like fastify's own, without API keys passed in the query string. */
export function requestLogView(req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) {
  return { method: req.method, url: redactApiKey(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

const released = Symbol('hogi.inflightReleased');

export const access = fp(
  async (app: FastifyInstance, opts: AccessPluginOptions) => {
    const requireKey = opts.requireKey ?? false;
    const limits: Record<ApiKeyTier, TierLimits> = { ...TIER_LIMITS, ...opts.limits };
    const verifier = new ApiKeyVerifier(apiKeysRepo(opts.db), opts.clock);
    const origins = new Set(opts.corsOrigins ?? []);
    const inflight = new Map<number, number>();

    app.decorateRequest('apiKey', null);
    app.addHook('onRoute', documentAccess(requireKey));

    // First of all hooks: a request for another host name gets nothing else of this server.
    const allowedHosts = opts.allowedHosts;
    app.addHook('onRequest', async (request) => {
      const host = request.headers.host;
      if (hostAllowed(host, allowedHosts)) return;
      throw new ApiError(
        421,
        ErrorCode.HOST_NOT_ALLOWED,
        `this server does not answer for host ${JSON.stringify(hostName(host ?? '').slice(0, 100))}; ` +
          'it answers loopback names unless started with --allowed-hosts (HOGI_ALLOWED_HOSTS)',
        'Host',
      );
    });

    await app.register(cors, {
      hook: 'onRequest',
      delegator: (req, cb) => {
        const origin = req.headers.origin;
        // Same origin (the dashboard) is always allowed; others only when configured.
        const own = origin !== undefined && req.headers.host !== undefined && (origin === `http://${req.headers.host}` || origin === `https://${req.headers.host}`);
        const allowed = origin !== undefined && (own || origins.has('*') || origins.has(origin));
        cb(null, {
          origin: allowed ? (origins.has('*') && !own ? '*' : origin) : false,
          methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
          allowedHeaders: ['Content-Type', 'X-API-Key', 'X-Request-Id', 'If-None-Match', 'Cache-Control'],
          exposedHeaders: ['X-Request-Id', 'ETag', ...RATE_HEADERS],
          maxAge: 600,
          // A bare OPTIONS (no Access-Control-Request-Method) gets 204 rather than the plugin's text/plain 400.
          strictPreflight: false,
        });
      },
    });

    app.addHook('onRequest', async (request) => {
      if (request.method === 'OPTIONS') return; // CORS preflights carry no key by design
      const path = routePath(request);
      if (!isApiPath(path) || OPEN_API_ROUTES.includes(path)) return;
      const raw = presentedKey(request);
      if (raw === undefined) {
        if (!requireKey) return;
        throw new ApiError(401, ErrorCode.API_KEY_REQUIRED, 'this server requires an API key: send it as the X-API-Key header or the api_key query parameter', 'X-API-Key');
      }
      const check = typeof raw === 'string' ? verifier.check(raw) : ({ status: 'invalid' } as const);
      if (check.status === 'invalid') throw new ApiError(401, ErrorCode.INVALID_API_KEY, 'the API key is not recognised', 'X-API-Key');
      if (check.status === 'revoked') throw new ApiError(403, ErrorCode.API_KEY_REVOKED, `the API key ${check.record.prefix}… was revoked`, 'X-API-Key');
      request.apiKey = check.record;
    });

    const clock = opts.clock;
    await app.register(rateLimit, {
      global: true,
      hook: 'onRequest',
      timeWindow: opts.windowMs ?? 60_000,
      store: clockedRateLimitStore(clock ? () => clock().getTime() : Date.now),
      // Unkeyed requests reach here only when keys are not required (loopback): no limit.
      allowList: (req) => !req.apiKey,
      keyGenerator: (req) => `key:${req.apiKey?.id ?? 'none'}`,
      max: (req) => (req.apiKey ? limits[req.apiKey.tier].perMinute : 0),
      errorResponseBuilder: (req, ctx) => {
        const seconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
        return new ApiError(
          429,
          ErrorCode.RATE_LIMIT_EXCEEDED,
          `more than ${ctx.max} requests a minute for this ${req.apiKey?.tier ?? ''} key; retry in ${seconds} s`,
          null,
          { retry_after_seconds: seconds, limit: ctx.max, tier: req.apiKey?.tier ?? null },
        );
      },
    });

    // In-flight counting starts after the rate limit (preParsing runs after every onRequest), so a
    // refused request still shows the rate-limit headers and no slot is held by rejected ones.
    const release = (request: FastifyRequest) => {
      const r = request as FastifyRequest & { [released]?: boolean };
      if (r[released] !== false || !request.apiKey) return;
      r[released] = true;
      const n = (inflight.get(request.apiKey.id) ?? 1) - 1;
      if (n <= 0) inflight.delete(request.apiKey.id);
      else inflight.set(request.apiKey.id, n);
    };
    app.addHook('preParsing', async (request: FastifyRequest, reply: FastifyReply) => {
      const key = request.apiKey;
      if (!key) return;
      const max = limits[key.tier].concurrent;
      const n = inflight.get(key.id) ?? 0;
      if (n >= max) {
        reply.header('retry-after', 1);
        throw new ApiError(429, ErrorCode.RATE_LIMIT_EXCEEDED, `more than ${max} requests at once for this ${key.tier} key; retry when one finishes`, null, {
          retry_after_seconds: 1,
          concurrent_limit: max,
          tier: key.tier,
        });
      }
      inflight.set(key.id, n + 1);
      (request as FastifyRequest & { [released]?: boolean })[released] = false;
    });
    // A client that hangs up may never get an onResponse (fastify does not answer a closed
    // socket), so its slot is freed when it goes away.
    app.addHook('onResponse', async (request) => release(request));
    app.addHook('onRequestAbort', async (request) => release(request));

    // Premium features: with a key, algorithm "premium" needs a premium or enterprise tier.
    app.addHook('preHandler', async (request) => {
      const key = request.apiKey;
      if (!key || PREMIUM_TIERS.includes(key.tier)) return;
      const body = request.body as Record<string, unknown> | null | undefined;
      if (typeof body === 'object' && body !== null && body.algorithm === 'premium') {
        throw new ApiError(403, ErrorCode.TIER_REQUIRED, `algorithm "premium" needs a premium or enterprise key; this key is ${key.tier}`, 'algorithm', {
          tier: key.tier,
          required_tiers: [...PREMIUM_TIERS],
        });
      }
    });
  },
  { name: 'hogi-access', fastify: '5.x', dependencies: ['hogi-errors'] },
);
