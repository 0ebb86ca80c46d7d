// Request bounds beyond the schemas: body size, JSON nesting and array length, broken URLs and
// over-long path parameters, each refused with the error envelope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonShapeProblem } from '../../src/data/formats/jsonShape.js';
import { MAX_JSON_ARRAY_ITEMS, MAX_JSON_DEPTH } from '../../src/api/plugins/requestLimits.js';
import { accessApp, type AccessApp } from './accessFixtures.js';
import { envelopeOf } from './fixtures.js';

let t: AccessApp;
beforeAll(async () => {
  t = await accessApp({}, { rounds: [1200, 1245] });
});
afterAll(() => t.close());

const post = (payload: string, url = '/api/predictions/generate') => t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
const nest = (depth: number) => `{"machine_type":1,"x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

describe('JSON bodies', () => {
  it(`accept nesting up to ${MAX_JSON_DEPTH} levels and refuse deeper with 400 JSON_TOO_DEEP`, async () => {
    const ok = await post(nest(MAX_JSON_DEPTH));
    expect(ok.statusCode).toBe(200);
    const deep = await post(nest(MAX_JSON_DEPTH + 1));
    expect(deep.statusCode).toBe(400);
    expect(envelopeOf(deep).error).toMatchObject({ code: 'JSON_TOO_DEEP', limit: MAX_JSON_DEPTH });
  });

  it(`refuse an array of more than ${MAX_JSON_ARRAY_ITEMS} items with 413, wherever it is`, async () => {
    const items = (n: number) => Array.from({ length: n }, () => 7).join(',');
    const over = await post(`{"machine_type":1,"extra":{"list":[${items(MAX_JSON_ARRAY_ITEMS + 1)}]}}`);
    expect(over.statusCode).toBe(413);
    expect(envelopeOf(over).error.code).toBe('PAYLOAD_TOO_LARGE');
    // At the limit the body parses and reaches the schema (include allows at most 5 numbers).
    const atLimit = await post(`{"machine_type":1,"include":[${items(MAX_JSON_ARRAY_ITEMS)}]}`);
    expect(atLimit.statusCode).toBe(422);
    expect(envelopeOf(atLimit).error.field).toBe('include');
  });

  it('do not count brackets and commas inside strings', () => {
    expect(jsonShapeProblem(`{"s":"${'[,'.repeat(5000)}\\"]]]"}`, 2, 3)).toBeNull();
    expect(jsonShapeProblem('[[[', 2)).toEqual({ kind: 'depth', limit: 2 });
    expect(jsonShapeProblem('[1,2,3,4]', 5, 3)).toEqual({ kind: 'array', limit: 3 });
    expect(jsonShapeProblem('[1,2,3]', 5, 3)).toBeNull();
    expect(jsonShapeProblem('{"a":1,"b":2,"c":3,"d":4}', 5, 3)).toBeNull();
  });

  it('refuse a body over 64 KB with 413 and malformed JSON with 400, in the envelope', async () => {
    const big = await post(`{"machine_type":1,"pad":"${'x'.repeat(70 * 1024)}"}`);
    expect(big.statusCode).toBe(413);
    expect(envelopeOf(big).error.code).toBe('PAYLOAD_TOO_LARGE');
    const bad = await post('{"machine_type":');
    expect(bad.statusCode).toBe(400);
    envelopeOf(bad);
    const proto = await post('{"machine_type":1,"__proto__":{"polluted":true}}');
    expect(proto.statusCode).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('URLs', () => {
  it('answer a percent-escape that does not decode with a 400 envelope', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/statistics/machine-analysis/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(envelopeOf(res).error.code).toBe('BAD_REQUEST');
  });

  it('answer a path parameter over 100 characters with an envelope, not fastify\'s own body', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/predictions/${'a'.repeat(300)}` });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    envelopeOf(res);
  });
});
