// The dashboard plugin through inject: files at `/`, API 404s unchanged, a hint when unbuilt.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openDb } from '../../src/data/db.js';

const dir = mkdtempSync(join(tmpdir(), 'hogi-web-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function appServing(root: string) {
  const db = openDb(':memory:');
  const app = buildApp({ db, dashboard: { root } });
  await app.ready();
  return { app, close: async () => (await app.close(), db.close()) };
}

describe('dashboard serving', () => {
  it('serves index.html at / and hashed assets as immutable, leaving unknown paths to the JSON 404', async () => {
    const root = join(dir, 'built');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>hogi test page</title>');
    writeFileSync(join(root, 'assets', 'main-abc123.js'), 'console.log(1)');
    const { app, close } = await appServing(root);
    try {
      const index = await app.inject({ url: '/' });
      expect(index.statusCode).toBe(200);
      expect(index.headers['content-type']).toMatch(/text\/html/);
      expect(index.body).toContain('hogi test page');
      expect(index.headers['cache-control']).toBe('no-cache');

      const asset = await app.inject({ url: '/assets/main-abc123.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toMatch(/immutable/);

      const missing = await app.inject({ url: '/api/nothing-here' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ status: 'error', error: { code: 'NOT_FOUND' } });

      const api = await app.inject({ url: '/api' });
      expect(api.json()).toMatchObject({ dashboard: '/', docs: '/docs' });
    } finally {
      await close();
    }
  });

  it('explains how to build the dashboard when it has not been built', async () => {
    const { app, close } = await appServing(join(dir, 'never-built'));
    try {
      const res = await app.inject({ url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('npm run build');
    } finally {
      await close();
    }
  });
});
