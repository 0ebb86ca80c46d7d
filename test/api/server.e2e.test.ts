import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/env.js';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { clockAfterDraw } from '../helpers/clock.js';
import { sharedSlice } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'hogi-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('startServer over a real socket', () => {
  it('serves a file database on 127.0.0.1 and stops listening once closed', async () => {
    const dbPath = join(dir, 'hogi.db');
    const seed = openDb(dbPath);
    drawsRepo(seed).upsertMany(sharedSlice(1200, 1245), 'now');
    seed.close();

    // Not warmed: no models are trained here, and a computed fallback would (rightly) make health 'degraded'.
    const server = await startServer({ dbPath, host: '127.0.0.1', port: 0, logger: false, handleSignals: false, warmPredictions: false, schedule: false, snapshot: false, startupTraining: false, clock: clockAfterDraw(1245) }, loadConfig({}));
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);

      const health = await fetch(`${server.url}/api/monitoring/health`);
      expect(health.status).toBe(200);
      expect(health.headers.get('x-request-id')).toBeTruthy();
      const h = (await health.json()) as { status: string; database: { latest_round: number; total_draws: number } };
      expect(h.status).toBe('healthy');
      expect(h.database).toMatchObject({ latest_round: 1245, total_draws: 46 });

      const draw = await fetch(`${server.url}/api/draws/1240`);
      expect(((await draw.json()) as { round: number; machine_label: string | null }).round).toBe(1240);

      const missing = await fetch(`${server.url}/api/draws/7`, { headers: { 'x-request-id': 'e2e-1' } });
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { request_id: string }).request_id).toBe('e2e-1');
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/api/monitoring/health`)).rejects.toThrow();
    expect(server.db.open).toBe(false);
  });
});
