// Request metrics: the recorder against known latencies and a fake clock, then the JSON and
// Prometheus endpoints against the requests a test actually made.
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { parsePeriod, RequestMetrics } from '../../src/service/metrics.js';
import type { FastifyInstance } from 'fastify';
import { sharedSlice } from './fixtures.js';

function fakeRecorder(startIso = '2026-11-24T09:00:00Z') {
  const state = { t: Date.parse(startIso), cpuUser: 0, cpuSystem: 0, rss: 100 * 1048576 };
  const metrics = new RequestMetrics({
    now: () => state.t,
    cpuUsage: () => ({ user: state.cpuUser, system: state.cpuSystem }),
    memoryUsage: () => ({ rss: state.rss, heapUsed: 10 * 1048576, heapTotal: 20 * 1048576, external: 1048576, arrayBuffers: 0 }),
    cores: 2,
  });
  return { metrics, state };
}

/** Nearest-rank percentile of exact values (the reference the histogram is held to). */
const exactPct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1];

describe('request metrics recorder', () => {
  it('reports counts by outcome, the exact mean and max, and percentiles within the histogram resolution', () => {
    const { metrics } = fakeRecorder();
    const latencies: number[] = [];
    // A skewed mix: mostly ~1 ms, a tail up to 250 ms.
    for (let i = 1; i <= 1000; i++) latencies.push(i % 50 === 0 ? 50 + (i % 200) : 0.2 + (i % 37) * 0.05);
    latencies.forEach((ms, i) => metrics.recordRequest('GET /x', i % 100 === 0 ? 500 : i % 10 === 0 ? 404 : 200, ms));
    const s = metrics.summary(3600_000, '1h');
    const fails5 = latencies.filter((_, i) => i % 100 === 0).length;
    const fails4 = latencies.filter((_, i) => i % 10 === 0 && i % 100 !== 0).length;
    expect(s.requests).toMatchObject({ total: 1000, server_errors: fails5, client_errors: fails4, failed: fails4 + fails5, successful: 1000 - fails4 - fails5 });
    expect(s.latency_ms.avg).toBeCloseTo(latencies.reduce((a, b) => a + b, 0) / 1000, 3);
    expect(s.latency_ms.max).toBeCloseTo(Math.max(...latencies), 3);
    for (const p of [50, 95, 99] as const) {
      const exact = exactPct(latencies, p);
      const got = s.latency_ms[`p${p}`]!;
      // Bins are 2^(1/4) wide and the middle is reported: within a factor 2^(1/8) (±9 %).
      expect(got / exact).toBeGreaterThan(2 ** -0.126);
      expect(got / exact).toBeLessThan(2 ** 0.126);
    }
    expect(s.routes).toEqual([{ route: 'GET /x', requests: 1000, failures: fails4 + fails5, avg_ms: expect.any(Number) }]);
  });

  it('keeps each period to its own buckets: old requests leave a 5m window but stay in 1h and 24h', () => {
    const { metrics, state } = fakeRecorder();
    for (let i = 0; i < 30; i++) metrics.recordRequest('GET /old', 200, 5);
    state.t += 20 * 60_000;
    for (let i = 0; i < 7; i++) metrics.recordRequest('GET /new', 200, 1);
    metrics.recordPrediction('miss');
    metrics.recordPrediction('hit');
    metrics.recordPrediction('hit');
    expect(metrics.summary(300_000).requests.total).toBe(7);
    expect(metrics.summary(300_000).latency_ms.max).toBe(1);
    expect(metrics.summary(3600_000).requests.total).toBe(37);
    expect(metrics.summary(86_400_000).requests.total).toBe(37);
    expect(metrics.summary(300_000).predictions).toEqual({ generated: 1, cache_hits: 2, cache_misses: 1, cache_hit_rate: 0.667 });
    // 25 hours later the ring has wrapped: nothing of that is left, totals since start remain.
    state.t += 25 * 3600_000;
    expect(metrics.summary(86_400_000).requests.total).toBe(0);
    expect(metrics.summary(86_400_000).latency_ms.p95).toBeNull();
    expect(metrics.totals().requests).toBe(37);
  });

  it('measures CPU over the period from process CPU time, and reports memory', () => {
    const { metrics, state } = fakeRecorder();
    state.t += 60_000;
    metrics.sample();
    // 30 s of CPU over the next 60 s of wall time: 50 % of one core.
    state.t += 60_000;
    state.cpuUser += 20e6;
    state.cpuSystem += 10e6;
    state.rss = 150 * 1048576;
    const s = metrics.summary(60_000, '1m');
    expect(s.cpu).toEqual({ percent: 50, user_seconds: 20, system_seconds: 10, cores: 2 });
    expect(s.memory).toMatchObject({ rss_mb: 150, heap_used_mb: 10, heap_total_mb: 20, external_mb: 1, max_rss_mb: 150 });
  });

  it('accepts periods from one bucket to 24 h', () => {
    expect(parsePeriod('5m')).toBe(300_000);
    expect(parsePeriod('1h')).toBe(3600_000);
    expect(parsePeriod('24h')).toBe(86_400_000);
    expect(parsePeriod('10s')).toBe(10_000);
    for (const bad of ['5s', '25h', '1d', 'h', '-1m', '1.5h', '']) expect(parsePeriod(bad)).toBeNull();
  });
});

let app: FastifyInstance | null = null;
let db: Db | null = null;
afterEach(async () => {
  await app?.close();
  db?.close();
  app = null;
  db = null;
});

async function appWithRecorder() {
  db = openDb(':memory:');
  drawsRepo(db).upsertMany(sharedSlice(1001, 1100), '2026-01-01T00:00:00.000Z');
  const fake = fakeRecorder();
  app = buildApp({ db, metrics: fake.metrics });
  await app.ready();
  return { app, ...fake };
}

/** The value of one Prometheus sample line, e.g. hogi_http_requests_total{outcome="success",...}. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  if (!line) throw new Error(`no sample ${name} ${JSON.stringify(labels)}`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /api/monitoring/metrics and GET /metrics', () => {
  it('count the requests actually served, by outcome and route', async () => {
    const t = await appWithRecorder();
    for (let i = 0; i < 5; i++) expect((await t.app.inject({ url: '/api/draws/1050' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/draws/7' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/draws?page=0' })).statusCode).toBe(422);
    expect((await t.app.inject({ url: '/nope' })).statusCode).toBe(404);
    const res = await t.app.inject({ url: '/api/monitoring/metrics?period=5m' });
    expect(res.statusCode).toBe(200);
    const m = res.json() as { period: string; requests: Record<string, number>; latency_ms: Record<string, number | null>; routes: Array<{ route: string; requests: number; failures: number }> };
    expect(m.period).toBe('5m');
    // The metrics request itself is recorded when it finishes, after its own answer.
    expect(m.requests).toMatchObject({ total: 8, successful: 5, client_errors: 3, server_errors: 0, failed: 3 });
    expect(m.routes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ route: 'GET /api/draws/:round', requests: 6, failures: 1 }),
        expect.objectContaining({ route: 'GET /api/draws', requests: 1, failures: 1 }),
        expect.objectContaining({ route: 'unmatched', requests: 1, failures: 1 }),
      ]),
    );
    expect(m.latency_ms.p95).toBeGreaterThan(0);
    expect(m.latency_ms.max! >= m.latency_ms.p99!).toBe(true);

    const prom = await t.app.inject({ url: '/metrics' });
    expect(prom.statusCode).toBe(200);
    expect(prom.headers['content-type']).toMatch(/text\/plain/);
    // Now the metrics request is counted too (successful).
    expect(sample(prom.body, 'hogi_http_requests_total', { outcome: 'success' })).toBe(6);
    expect(sample(prom.body, 'hogi_http_requests_total', { outcome: 'client_error' })).toBe(3);
    expect(sample(prom.body, 'hogi_http_requests_total', { outcome: 'server_error' })).toBe(0);
    expect(sample(prom.body, 'hogi_predictions_generated_total')).toBe(0);
    expect(sample(prom.body, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1048576);
    expect(prom.body).toMatch(/hogi_http_request_duration_ms\{[^}]*period="5m"[^}]*stat="p95"/);
  });

  it('refuse a malformed or too long period with a 422 envelope naming the field', async () => {
    const t = await appWithRecorder();
    for (const period of ['2d', '25h', 'abc', '1s']) {
      const res = await t.app.inject({ url: `/api/monitoring/metrics?period=${period}` });
      expect(res.statusCode).toBe(422);
      expect((res.json() as { error: { field: string } }).error.field).toBe('period');
    }
  });

  it('give each app its own Prometheus registry', async () => {
    const t = await appWithRecorder();
    const other = buildApp({ db: db! });
    await other.ready();
    await other.inject({ url: '/api/draws/1050' });
    await other.inject({ url: '/api/draws/1050' });
    const mine = await t.app.inject({ url: '/metrics' });
    const theirs = await other.inject({ url: '/metrics' });
    expect(sample(mine.body, 'hogi_http_requests_total', { outcome: 'success' })).toBe(0);
    expect(sample(theirs.body, 'hogi_http_requests_total', { outcome: 'success' })).toBe(2);
    await other.close();
  });
});
