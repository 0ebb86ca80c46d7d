import { afterEach, describe, expect, it } from 'vitest';
import { appWith, closeApp, sharedSlice, type TestApp } from './fixtures.js';

interface Health {
  status: string;
  timestamp: string;
  database: { status: string; response_time_ms: number; latest_round: number | null; total_draws: number; data_version: number; error?: string };
  hint: string | null;
}

let t: TestApp | null = null;
afterEach(async () => {
  if (t) await closeApp(t);
  t = null;
});

describe('GET /api/monitoring/health', () => {
  it('reports a healthy database with its latest round, draw count and data version', async () => {
    const draws = sharedSlice(1001, 1200);
    t = await appWith(draws);
    const res = await t.app.inject({ url: '/api/monitoring/health' });
    expect(res.statusCode).toBe(200);
    const h = res.json() as Health;
    expect(h.status).toBe('healthy');
    expect(Number.isNaN(Date.parse(h.timestamp))).toBe(false);
    expect(h.database.status).toBe('ok');
    expect(h.database.latest_round).toBe(1200);
    expect(h.database.total_draws).toBe(200);
    expect(h.database.data_version).toBe(1);
    expect(typeof h.database.response_time_ms).toBe('number');
    expect(h.database.response_time_ms).toBeGreaterThanOrEqual(0);
    expect(h.hint).toBeNull();
  });

  it('says how to load data when the database is empty', async () => {
    t = await appWith([]);
    const h = (await t.app.inject({ url: '/api/monitoring/health' })).json() as Health;
    expect(h.status).toBe('degraded');
    expect(h.database).toMatchObject({ status: 'empty', latest_round: null, total_draws: 0, data_version: 0 });
    expect(h.hint).toContain('hogi sync');
    expect(h.hint).toContain('hogi import');
  });

  it('answers 503 unhealthy, without internals, when the database cannot be read', async () => {
    t = await appWith(sharedSlice(1, 10));
    t.db.close();
    const res = await t.app.inject({ url: '/api/monitoring/health' });
    expect(res.statusCode).toBe(503);
    const h = res.json() as Health;
    expect(h.status).toBe('unhealthy');
    expect(h.database.status).toBe('error');
    expect(res.body).not.toMatch(/connection is not open|at .*\.ts:\d+/);
  });
});
