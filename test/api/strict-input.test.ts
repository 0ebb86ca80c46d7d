// Holes an outside check found: numbers in the path and query string read loosely (1e3 as 1000,
// 0x10 as 16, Infinity reaching SQLite as a 500) and JSON bodies coerced (true as 1, 5 as [5]).
// Every integer path/query value must be a plain decimal; bodies are taken as sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessApp, type AccessApp } from './accessFixtures.js';
import { envelopeOf } from './fixtures.js';

let t: AccessApp;
beforeAll(async () => {
  t = await accessApp({}, { rounds: [1200, 1245] });
});
afterAll(async () => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });

describe('integer path and query values', () => {
  const NON_DECIMAL = ['Infinity', '-Infinity', '1e309', '1e3', '0x10', '%201', '1.0', 'NaN', '1%20', '0b1', '１'];

  it.each(NON_DECIMAL)('/api/draws/%s is 422 naming round', async (v) => {
    const res = await get(`/api/draws/${v}`);
    expect(res.statusCode).toBe(422);
    const e = envelopeOf(res).error;
    expect(e.code).toBe('VALIDATION_ERROR');
    expect(e.field).toBe('round');
  });

  const QUERIES: Array<[string, string]> = [
    ['/api/draws', 'page'],
    ['/api/draws', 'page_size'],
    ['/api/draws', 'from'],
    ['/api/draws', 'to'],
    ['/api/predictions', 'page'],
    ['/api/predictions', 'round'],
    ['/api/statistics/machine-analysis/1', 'rounds'],
    ['/api/statistics/fairness', 'seed'],
    ['/api/statistics/fairness', 'from'],
    ['/api/backtests', 'page_size'],
  ];
  it.each(QUERIES)('%s?%s=Infinity, -Infinity, 1e309, 1e3 and 0x10 are 422 naming the parameter, never 500', async (path, param) => {
    for (const v of ['Infinity', '-Infinity', '1e309', '1e3', '0x10']) {
      const res = await get(`${path}?${param}=${encodeURIComponent(v)}`);
      expect(res.statusCode, `${param}=${v}`).toBe(422);
      expect(envelopeOf(res).error.field).toBe(param);
    }
  });

  it('still reads plain decimals, signed or zero-padded', async () => {
    expect((await get('/api/draws/1245')).statusCode).toBe(200);
    expect((await get('/api/draws/01245')).statusCode).toBe(200);
    const page = await get('/api/draws?page=2&page_size=5&from=1200&to=1245');
    expect(page.statusCode).toBe(200);
    expect((page.json() as { page: number; items: unknown[] }).items).toHaveLength(5);
  });
});

describe('JSON bodies are not coerced', () => {
  const post = (payload: object) => t.app.inject({ method: 'POST', url: '/api/predictions/generate', payload });
  const CASES: Array<[string, object]> = [
    ['machine_type', { machine_type: true }],
    ['sets_count', { machine_type: 1, sets_count: true }],
    ['sets_count', { machine_type: 1, sets_count: '3' }],
    ['include', { machine_type: 1, include: 5 }],
    ['lang', { machine_type: 1, lang: ['ko'] }],
    ['seed', { machine_type: 1, seed: '7' }],
    ['machine_type', { machine_type: null }],
    ['sets_count', { machine_type: 1, sets_count: null }],
    ['include', { machine_type: 1, include: null }],
    ['lang', { machine_type: 1, lang: null }],
  ];
  it.each(CASES)('422 naming %s for %j', async (field, payload) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(422);
    const e = envelopeOf(res).error;
    expect(e.field).toBe(field);
    expect(e.message.startsWith(field)).toBe(true);
  });

  it('names the field on the ensemble route too', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/ensemble/predictions', payload: { machine_type: 1, confidence_threshold: '0.5' } });
    expect(res.statusCode).toBe(422);
    expect(envelopeOf(res).error.field).toBe('confidence_threshold');
  });

  it('accepts the documented types', async () => {
    const res = await post({ machine_type: '2호기', sets_count: 2, include: [5], lang: 'en', seed: 7 });
    expect(res.statusCode).toBe(200);
  });
});
