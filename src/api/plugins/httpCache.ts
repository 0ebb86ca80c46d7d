// Conditional GETs for data that changes only when draws are imported or a backtest finishes:
// a weak ETag from a hash of the serialized answer, Cache-Control, and 304 for a matching
// If-None-Match. Hashing the payload (≈ tens of µs) is right whatever a route reads (draws,
// backtests, model-derived fields) and needs no knowledge of the routes, including later ones.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface HttpCacheOptions {
  /** Route-path prefixes whose GET answers carry an ETag (default draws, statistics, backtests). */
  prefixes?: readonly string[];
  /**
   * Cache-Control for them (default "no-cache": a client may keep the answer but revalidates
   * every time, so a new import shows at once and an unchanged one costs a 304).
   */
  cacheControl?: string;
}

export const DEFAULT_CACHED_PREFIXES: readonly string[] = ['/api/draws', '/api/statistics', '/api/backtests'];

export const etagOf = (payload: string | Buffer): string => `W/"${createHash('sha1').update(payload).digest('base64url')}"`;

/** If-None-Match against one ETag: "*", or any listed tag with weak comparison (W/ ignored). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
}

function routePath(request: FastifyRequest): string | undefined {
  return request.routeOptions.url;
}

export const httpCache = fp(
  async (app: FastifyInstance, opts: HttpCacheOptions) => {
    const prefixes = opts.prefixes ?? DEFAULT_CACHED_PREFIXES;
    const cacheControl = opts.cacheControl ?? 'no-cache';
    const applies = (path: string | undefined) => path !== undefined && prefixes.some((p) => path === p || path.startsWith(`${p}/`));

    app.addHook('onSend', async (request, reply, payload) => {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return payload;
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      if (!applies(routePath(request))) return payload;
      const etag = etagOf(payload);
      reply.header('etag', etag);
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', cacheControl);
      const inm = request.headers['if-none-match'];
      if (matchesIfNoneMatch(Array.isArray(inm) ? inm.join(',') : inm, etag)) {
        reply.code(304);
        reply.removeHeader('content-type');
        reply.removeHeader('content-length');
        return '';
      }
      return payload;
    });
  },
  { name: 'hogi-http-cache', fastify: '5.x' },
);
