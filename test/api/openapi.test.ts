import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appWith, closeApp, type TestApp } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await appWith([]);
});
afterAll(() => closeApp(t));

describe('API documentation', () => {
  it('publishes an OpenAPI document at /openapi.json listing every API route', async () => {
    const res = await t.app.inject({ url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string }[]; responses: Record<string, unknown> }>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/draws',
        '/api/draws/{round}',
        '/api/monitoring/health',
        '/api/monitoring/metrics',
        '/metrics',
        '/api/statistics/machine-analysis/{machine_type}',
        '/api/statistics/fairness',
        '/api/predictions',
        '/api/predictions/generate',
        '/api/predictions/{request_id}',
        '/api/ensemble/predictions',
        '/api/backtests',
        '/api/backtests/{id}',
        '/api/backtests/{id}/rounds',
        '/api/wheels',
        '/api/wheels/tickets',
        '/api/tickets',
        '/api/tickets/summary',
        '/api/tickets/check',
        '/api/tickets/{id}',
        '/api/combinations/history',
        '/api/popularity/score',
        '/api/popularity/evidence',
      ].sort(),
    );
    const list = doc.paths['/api/draws'].get;
    expect(list.parameters?.map((p) => p.name).sort()).toEqual(['from', 'machine', 'order', 'page', 'page_size', 'to']);
    const analysis = doc.paths['/api/statistics/machine-analysis/{machine_type}'].get;
    expect(analysis.parameters?.map((p) => p.name).sort()).toEqual(['machine_type', 'rounds']);
    expect(Object.keys(analysis.responses)).toEqual(expect.arrayContaining(['200', '400', '409', '422']));
  });

  it('serves Swagger UI as HTML at /docs', async () => {
    const res = await t.app.inject({ url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/swagger-ui/i);
  });

  it('answers /api with pointers to the docs, health and the dashboard', async () => {
    const res = await t.app.inject({ url: '/api' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ docs: '/docs', openapi: '/openapi.json', health: '/api/monitoring/health', dashboard: '/' });
  });
});
