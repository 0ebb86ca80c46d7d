import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built dashboard (Vite output). This file sits two levels below the repository root both as
 * src/web/dashboard.ts (tsx) and as dist/web/dashboard.js (built), so one relative path serves both.
 */
export const DEFAULT_DASHBOARD_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/web/client');

export interface DashboardOptions {
  /** Folder holding index.html and assets/ (default: dist/web/client). */
  root?: string;
}

const NOT_BUILT = `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>hogi</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1d23}code{background:#eef1f5;padding:.1rem .35rem;border-radius:4px}</style>
</head><body>
<h1>hogi</h1>
<p>대시보드가 아직 빌드되지 않았습니다. 저장소 폴더에서 <code>npm run build</code>를 실행한 뒤 서버를 다시 시작하세요.</p>
<p>The dashboard has not been built yet. Run <code>npm run build</code> in the repository, then restart the server.</p>
<p>API: <a href="/docs">/docs</a> · <a href="/openapi.json">/openapi.json</a> · <a href="/api/monitoring/health">/api/monitoring/health</a></p>
</body></html>`;

/**
 * Serves the dashboard at `/` from the same origin as the API. Files are looked up per request
 * (a rebuild while the server runs is served at once); a path that is no file falls through to
 * the app's not-found handler, so unknown paths keep the API's JSON 404 envelope. The client
 * routes by hash (#/history), so `/` is the only page the server has to know.
 */
export const dashboard = fp(
  async (app: FastifyInstance, opts: DashboardOptions) => {
    const root = opts.root ?? DEFAULT_DASHBOARD_DIR;
    if (!existsSync(resolve(root, 'index.html'))) {
      app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(NOT_BUILT));
      return;
    }
    await app.register(fastifyStatic, {
      root,
      index: 'index.html',
      schemaHide: true,
      cacheControl: false,
      setHeaders(res, path) {
        // Vite puts a content hash in every asset name, so assets never change; index.html does.
        const immutable = /[\\/]assets[\\/]/.test(path);
        res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  },
  { name: 'hogi-dashboard', fastify: '5.x' },
);
