// What a contract checker and a validating proxy found in the OpenAPI document: defaulted fields
// marked required, Swagger UI examples that fail, anonymous schemas, no operationIds, and the
// statuses and headers the plugins add left undocumented.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessApp, type AccessApp } from './accessFixtures.js';

interface Op {
  operationId?: string;
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: { default?: unknown } }>;
  requestBody?: { content: Record<string, { schema: { $ref?: string }; example?: unknown }> };
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: { $ref?: string } }> }>;
  security?: unknown[];
}
interface Doc {
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, { default?: unknown }> }>; headers: Record<string, unknown> };
}

let open: AccessApp;
let keyed: AccessApp;
let doc: Doc;
let keyedDoc: Doc;
beforeAll(async () => {
  open = await accessApp({}, { rounds: [1100, 1245] });
  keyed = await accessApp({ access: { requireKey: true } }, { rounds: [1100, 1245] });
  doc = (await open.app.inject({ url: '/openapi.json' })).json() as Doc;
  keyedDoc = (await keyed.app.inject({ url: '/openapi.json' })).json() as Doc;
});
afterAll(async () => {
  await open.close();
  await keyed.close();
});

const operations = (d: Doc) => Object.entries(d.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));

/** Resolves a local JSON pointer in the document, or undefined. */
function resolvePointer(d: unknown, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), d);
}

describe('the OpenAPI document', () => {
  it('gives every operation a unique operationId', () => {
    const ids = operations(doc).map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]+$/.test(id)), JSON.stringify(ids)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/draws'].get.operationId).toBe('listDraws');
    expect(doc.paths['/api/predictions/generate'].post.operationId).toBe('generatePredictions');
  });

  it('does not mark query parameters or body fields that have defaults as required', () => {
    for (const { path, op } of operations(doc)) {
      for (const p of op.parameters ?? []) {
        if (p.in === 'query' && p.schema?.default !== undefined) expect(p.required, `${path} ${p.name}`).not.toBe(true);
      }
    }
    for (const name of ['GenerateRequest', 'EnsembleRequest']) {
      const s = doc.components.schemas[name];
      const withDefault = Object.entries(s.properties ?? {}).filter(([, p]) => p.default !== undefined).map(([k]) => k);
      expect(withDefault).toEqual(expect.arrayContaining(['sets_count', 'lang']));
      expect(s.required).toEqual(['machine_type']);
    }
    const page = doc.paths['/api/draws'].get.parameters?.find((p) => p.name === 'page');
    expect(page?.required).toBe(false);
  });

  it('names its schemas in components.schemas and refers to them, with no dangling reference', () => {
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Draw', 'DrawPage', 'ErrorEnvelope', 'Health', 'PredictionResponse', 'GenerateRequest', 'BacktestList', 'FairnessReport']));
    expect(doc.paths['/api/draws/{round}'].get.responses['200'].content?.['application/json'].schema.$ref).toBe('#/components/schemas/Draw');
    expect(doc.paths['/api/draws/{round}'].get.responses['404'].content?.['application/json'].schema.$ref).toBe('#/components/schemas/ErrorEnvelope');
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(50);
    for (const r of new Set(refs)) expect(resolvePointer(doc, r), r).toBeDefined();
  });

  it('gives both POST endpoints an example that succeeds when sent as is (Swagger UI "Try it out")', async () => {
    for (const path of ['/api/predictions/generate', '/api/ensemble/predictions']) {
      const example = doc.paths[path].post.requestBody?.content['application/json'].example;
      expect(example, path).toBeDefined();
      const res = await open.app.inject({ method: 'POST', url: path, payload: example as object });
      expect(res.statusCode, `${path}: ${res.body.slice(0, 200)}`).toBe(200);
    }
  });

  it('documents X-Request-Id on every answer, ETag and 304 on cached GETs, and 408/413/415 on JSON bodies', () => {
    for (const { path, method, op } of operations(doc)) {
      for (const [status, r] of Object.entries(op.responses)) expect(r.headers?.['X-Request-Id'], `${method} ${path} ${status}`).toBeDefined();
      if (op.requestBody) for (const s of ['408', '413', '415']) expect(op.responses[s], `${path} ${s}`).toBeDefined();
    }
    for (const path of ['/api/draws', '/api/draws/{round}', '/api/statistics/machine-analysis/{machine_type}', '/api/backtests']) {
      const get = doc.paths[path].get;
      expect(get.responses['304'], path).toBeDefined();
      expect(get.responses['200'].headers?.ETag, path).toBeDefined();
    }
    expect(doc.paths['/api/predictions/generate'].post.responses['304']).toBeUndefined();
    expect(Object.keys(doc.components.headers)).toEqual(expect.arrayContaining(['XRequestId', 'ETag', 'RateLimitLimit', 'RateLimitRemaining', 'RateLimitReset', 'RetryAfter']));
  });

  it('documents the rate-limit headers on keyed routes and Retry-After on 429, not on health', () => {
    const draws = doc.paths['/api/draws'].get;
    expect(Object.keys(draws.responses['200'].headers ?? {})).toEqual(expect.arrayContaining(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']));
    expect(draws.responses['429'].headers?.['Retry-After']).toBeDefined();
    expect(doc.paths['/api/monitoring/health'].get.responses['200'].headers?.['X-RateLimit-Limit']).toBeUndefined();
  });

  it('offers "no key" only on a server that does not require keys', () => {
    const noKey = (d: Doc) => operations(d).filter((o) => o.op.security?.some((s) => JSON.stringify(s) === '{}')).length;
    expect(noKey(doc)).toBeGreaterThan(5);
    expect(noKey(keyedDoc)).toBe(0);
    expect(keyedDoc.paths['/api/draws'].get.security).toEqual([{ apiKeyHeader: [] }, { apiKeyQuery: [] }]);
  });
});
