/**
 * The finishing touches @fastify/swagger does not make on its own, applied once to the built
 * OpenAPI document (its `transformObject`):
 * - request fields and query parameters that have a default are not required (TypeBox lists
 *   every non-optional property as required; ajv fills defaults, so clients may omit them);
 * - named schemas: every schema object with a `title` moves to components.schemas and is
 *   referenced, so client generators produce named types (titles are given in SCHEMA_NAMES);
 * - every operation has an operationId;
 * - the headers and statuses the plugins add: X-Request-Id on every answer, ETag/Cache-Control
 *   and 304 on cached GETs, 413/415 on JSON bodies, the rate-limit headers on keyed routes.
 */
import type { SwaggerTransformObject } from '@fastify/swagger';
import type { TSchema } from '@sinclair/typebox';
import { BacktestDetail, BacktestList, BacktestListItem, BacktestRoundPage, BacktestSummary, MethodSummary, PerformanceMetrics } from './backtestSchemas.js';
import { FairnessResponse, FairnessScopeView, FairnessTestView } from './fairnessSchemas.js';
import { CacheHealth, DataFreshness, DatabaseHealth, Health, MetricsReport, ModelsHealth, SyncHealth } from './monitoringSchemas.js';
import { EnsembleBody, GenerateBody, PredictionList, PredictionResponse, StoredPrediction } from './predictionSchemas.js';
import { DrawItem, DrawPage, ErrorEnvelope, MachineAnalysis } from './schemas.js';

/** The schemas the document names (components.schemas), by the name generators will give their types. */
const SCHEMA_NAMES: ReadonlyArray<[string, TSchema]> = [
  ['ErrorEnvelope', ErrorEnvelope],
  ['Draw', DrawItem],
  ['DrawPage', DrawPage],
  ['MachineAnalysis', MachineAnalysis],
  ['PerformanceMetrics', PerformanceMetrics],
  ['FairnessReport', FairnessResponse],
  ['FairnessScope', FairnessScopeView],
  ['FairnessTest', FairnessTestView],
  ['Health', Health],
  ['DatabaseHealth', DatabaseHealth],
  ['DataFreshness', DataFreshness],
  ['ModelsHealth', ModelsHealth],
  ['CacheHealth', CacheHealth],
  ['SyncHealth', SyncHealth],
  ['MetricsReport', MetricsReport],
  ['GenerateRequest', GenerateBody],
  ['EnsembleRequest', EnsembleBody],
  ['PredictionResponse', PredictionResponse],
  ['StoredPrediction', StoredPrediction],
  ['PredictionList', PredictionList],
  ['BacktestList', BacktestList],
  ['BacktestListItem', BacktestListItem],
  ['BacktestDetail', BacktestDetail],
  ['BacktestSummary', BacktestSummary],
  ['MethodSummary', MethodSummary],
  ['BacktestRoundPage', BacktestRoundPage],
];

/**
 * Gives the named schemas their `title` (an annotation: validation and serialization ignore it).
 * Idempotent; app.ts calls it before the routes register.
 */
export function nameSchemas(): void {
  for (const [name, schema] of SCHEMA_NAMES) (schema as { title?: string }).title ??= name;
}

/** operationIds of the routes hogi documents; any other route gets one made from its method and path. */
const OPERATION_IDS: Readonly<Record<string, string>> = {
  'GET /api/draws': 'listDraws',
  'GET /api/draws/{round}': 'getDraw',
  'GET /api/statistics/machine-analysis/{machine_type}': 'getMachineAnalysis',
  'GET /api/statistics/fairness': 'getFairnessReport',
  'GET /api/monitoring/health': 'getHealth',
  'GET /api/monitoring/metrics': 'getMetrics',
  'GET /metrics': 'getPrometheusMetrics',
  'POST /api/predictions/generate': 'generatePredictions',
  'POST /api/ensemble/predictions': 'generateEnsemblePredictions',
  'GET /api/predictions': 'listPredictions',
  'GET /api/predictions/{request_id}': 'getPrediction',
  'GET /api/backtests': 'listBacktests',
  'GET /api/backtests/{id}': 'getBacktest',
  'GET /api/backtests/{id}/rounds': 'listBacktestRounds',
};

/** getDrawsByRound-style id from a method and an OpenAPI path. */
export function operationIdFor(method: string, path: string): string {
  const known = OPERATION_IDS[`${method.toUpperCase()} ${path}`];
  if (known) return known;
  const words = path
    .split('/')
    .filter((s) => s !== '' && s !== 'api')
    .map((s) => (s.startsWith('{') ? `by_${s.slice(1, -1)}` : s))
    .flatMap((s) => s.split(/[^A-Za-z0-9]+/))
    .filter((s) => s !== '');
  return method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: Json }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> };
  responses?: Record<string, { description?: string; headers?: Json; content?: Json }>;
  security?: unknown[];
}

export interface OpenApiFinishOptions {
  /** GET paths (prefixes) answered with an ETag (plugins/httpCache.ts). */
  cachedPrefixes: readonly string[];
}

const HEADERS: Record<string, Json> = {
  XRequestId: { description: 'The request id (echoed when the client sent a plain X-Request-Id, else generated); the same as request_id in error bodies.', schema: { type: 'string' } },
  ETag: { description: 'Weak validator of this answer; send it back as If-None-Match for a 304.', schema: { type: 'string' } },
  CacheControl: { description: '"no-cache": keep the answer, revalidate with If-None-Match.', schema: { type: 'string' } },
  RateLimitLimit: { description: "Requests a minute this key's tier allows (only with a key).", schema: { type: 'integer' } },
  RateLimitRemaining: { description: 'Requests left in the current window (only with a key).', schema: { type: 'integer' } },
  RateLimitReset: { description: 'Seconds until the window resets (only with a key).', schema: { type: 'integer' } },
  RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
};
const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });
const envelopeResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } } });

/** Names of the properties of an object schema that carry a default. */
function defaulted(schema: Json | undefined): Set<string> {
  const props = schema?.properties as Record<string, Json> | undefined;
  return new Set(Object.entries(props ?? {}).filter(([, p]) => p.default !== undefined).map(([k]) => k));
}

function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Json).sort(([a], [b]) => a.localeCompare(b))) : x));
}

/** Moves every titled object schema under `node` to `components` (first seen wins; a different one of the same title stays inline). */
function hoist(node: unknown, components: Record<string, Json>, seen: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((x) => hoist(x, components, seen));
  if (!node || typeof node !== 'object') return node;
  const o = node as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) out[k] = k === 'examples' || k === 'example' || k === 'default' ? v : hoist(v, components, seen);
  const title = typeof o.title === 'string' ? o.title : null;
  if (title === null || (o.type !== 'object' && !o.properties)) return out;
  const { description, ...named } = out;
  const key = stable(named);
  const known = seen.get(title);
  if (known === undefined) {
    components[title] = named;
    seen.set(title, key);
  } else if (known !== key) {
    return out;
  }
  return description === undefined ? { $ref: `#/components/schemas/${title}` } : { $ref: `#/components/schemas/${title}`, description };
}

/** The transformObject for @fastify/swagger (hogi builds OpenAPI 3.1, never Swagger 2). */
export function finishOpenApi(options: OpenApiFinishOptions): SwaggerTransformObject {
  return (documentObject) => {
    if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
    // Cast: the document is walked as plain JSON; the OpenAPI typings do not allow the edits' generic shape.
    const doc = documentObject.openapiObject as Json & { paths?: Record<string, Record<string, Operation>>; components?: Json };
    const paths = doc.paths ?? {};
    for (const [path, ops] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!op || typeof op !== 'object' || !('responses' in op)) continue;
        op.operationId ??= operationIdFor(method, path);
        for (const p of op.parameters ?? []) {
          if (p.in === 'query' && p.schema?.default !== undefined) p.required = false;
        }
        const body = op.requestBody?.content?.['application/json']?.schema;
        if (body && Array.isArray(body.required)) {
          const skip = defaulted(body);
          body.required = (body.required as string[]).filter((name) => !skip.has(name));
        }
        const responses = (op.responses ??= {});
        if (op.requestBody) {
          responses['413'] ??= envelopeResponse('The body is over 64 KB, or a JSON array in it has more than 1000 items (PAYLOAD_TOO_LARGE).');
          responses['415'] ??= envelopeResponse('The body is not application/json (UNSUPPORTED_MEDIA_TYPE).');
          responses['408'] ??= envelopeResponse('The body did not arrive in time (REQUEST_TIMEOUT); the connection is closed.');
        }
        const cached = method === 'get' && options.cachedPrefixes.some((p) => path === p || path.startsWith(`${p}/`));
        if (cached) responses['304'] ??= { description: 'Not modified: the If-None-Match ETag still matches (no body).' };
        for (const [status, r] of Object.entries(responses)) {
          const headers: Json = { ...(r.headers ?? {}), 'X-Request-Id': ref('XRequestId') };
          if (cached && (status === '200' || status === '304')) Object.assign(headers, { ETag: ref('ETag'), 'Cache-Control': ref('CacheControl') });
          if (op.security && (status === '200' || status === '429')) {
            Object.assign(headers, { 'X-RateLimit-Limit': ref('RateLimitLimit'), 'X-RateLimit-Remaining': ref('RateLimitRemaining'), 'X-RateLimit-Reset': ref('RateLimitReset') });
          }
          if (status === '429') headers['Retry-After'] = ref('RetryAfter');
          r.headers = headers;
        }
      }
    }
    const components = (doc.components ??= {}) as Json;
    const schemas = ((components.schemas as Record<string, Json> | undefined) ?? {}) as Record<string, Json>;
    doc.paths = hoist(paths, schemas, new Map()) as typeof paths;
    components.schemas = schemas;
    components.headers = { ...((components.headers as Json | undefined) ?? {}), ...HEADERS };
    return documentObject.openapiObject;
  };
}
