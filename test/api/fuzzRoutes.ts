// Every route of the app as registered (including routes other plugins add later), and
// fast-check arbitraries for requests to them: path params, query strings, bodies and headers,
// some drawn from each route's own schema so that handlers are reached, the rest hostile.
import type { FastifyInstance, RouteOptions } from 'fastify';
import fc from 'fast-check';

export interface RouteInfo {
  method: string;
  url: string;
  params: string[];
  query: Record<string, JsonSchema>;
  /** Path parameter schemas, when the route declares them. */
  paramSchemas: Record<string, JsonSchema>;
  body: Record<string, JsonSchema> | null;
}

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
}

/** Call before `ready()`: collects every route as it is added. */
export function collectRoutes(app: FastifyInstance): RouteInfo[] {
  const out: RouteInfo[] = [];
  app.addHook('onRoute', (r: RouteOptions) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const schema = (r.schema ?? {}) as { querystring?: JsonSchema; params?: JsonSchema; body?: JsonSchema };
    for (const method of methods) {
      out.push({
        method: String(method),
        url: r.url,
        params: [...r.url.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]),
        query: schema.querystring?.properties ?? {},
        paramSchemas: schema.params?.properties ?? {},
        body: schema.body?.properties ?? null,
      });
    }
  });
  return out;
}

/** Strings that break naive SQL, paths, JSON, headers and number parsing. */
export const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "1; DROP TABLE lottery_draws; --",
  "1' UNION SELECT key_hash, 1, 1 FROM api_keys --",
  "'); DELETE FROM meta; --",
  '" OR ""="',
  '1 OR 1=1',
  '0x7fffffff',
  '-1',
  '1e309',
  'NaN',
  'Infinity',
  '9'.repeat(40),
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\uD800',
  '__proto__',
  'constructor',
  '{"__proto__":{"x":1}}',
  '1호기',
  '４',
  ' 1 ',
  'all',
  '<script>alert(1)</script>',
  '${7*7}',
  'a'.repeat(5000),
];

/** Numbers written any way but as a plain decimal: non-finite, exponent, hex, binary, padded, fractional, full-width. */
export const NON_DECIMAL_NUMBERS = ['Infinity', '-Infinity', '+Infinity', '1e309', '-1e309', '1e3', '1E3', '0x10', '0b1', '0o7', ' 1', '1 ', '1.5', '1.0', 'NaN', '１', '9'.repeat(40), '', '1_000'];

const hostile = fc.constantFrom(...HOSTILE_STRINGS);
const nonDecimal = fc.constantFrom(...NON_DECIMAL_NUMBERS);
const anyText = fc.oneof(hostile, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.integer().map(String), fc.double().map(String));

/** A value shaped by a schema most of the time, anything JSON otherwise. */
export function valueFor(s: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const junk = depth > 2 ? fc.oneof(anyText, fc.integer()) : fc.oneof(fc.jsonValue({ maxDepth: 3 }), anyText);
  if (!s) return junk;
  const shaped: Array<fc.Arbitrary<unknown>> = [];
  if (s.enum) shaped.push(fc.constantFrom(...s.enum));
  if (s.const !== undefined) shaped.push(fc.constant(s.const));
  if (s.anyOf) for (const a of s.anyOf) shaped.push(valueFor(a, depth + 1));
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  for (const t of types) {
    if (t === 'integer' || t === 'number') {
      const lo = s.minimum ?? -5;
      const hi = Math.min(s.maximum ?? lo + 100, lo + 10_000);
      shaped.push(fc.integer({ min: Math.ceil(lo) - 2, max: Math.floor(hi) + 2 }));
      if (t === 'number') shaped.push(fc.double({ min: lo - 1, max: hi + 1, noNaN: true }));
    } else if (t === 'string') shaped.push(anyText);
    else if (t === 'boolean') shaped.push(fc.boolean());
    else if (t === 'array' && depth < 3) shaped.push(fc.array(valueFor(s.items, depth + 1), { maxLength: 8 }));
    else if (t === 'object' && s.properties && depth < 3) shaped.push(objectFor(s.properties, depth + 1));
  }
  if (shaped.length === 0) return junk;
  return fc.oneof({ arbitrary: fc.oneof(...shaped), weight: 4 }, { arbitrary: junk, weight: 1 });
}

export function objectFor(props: Record<string, JsonSchema>, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, s] of Object.entries(props)) model[k] = valueFor(s, depth);
  return fc
    .tuple(fc.record(model, { requiredKeys: [] }), fc.dictionary(fc.oneof(anyText, fc.constantFrom('__proto__', 'constructor')), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }))
    .map(([known, extra]) => ({ ...extra, ...known }));
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

const enc = (v: unknown) => {
  try {
    return encodeURIComponent(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  } catch {
    return '%ED%A0%80'; // a lone surrogate cannot be encoded; send its raw (invalid UTF-8) bytes instead
  }
};
/** Percent sequences that are not valid UTF-8 or not valid escapes at all. */
const brokenEscape = fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%C0%80', '%FF', '%ed%a0%80');

function pathFor(route: RouteInfo): fc.Arbitrary<string> {
  if (route.url === '*') return fc.oneof(fc.constant('/'), fc.string({ maxLength: 30 }).map((s) => `/${enc(s)}`));
  const parts = route.params.map(() => fc.oneof(anyText.map(enc), fc.integer({ min: -10, max: 1300 }).map(String), brokenEscape, nonDecimal.map(enc)));
  return fc.tuple(...parts).map((values) => {
    let i = 0;
    return route.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, () => values[i++] || 'x');
  });
}

function queryFor(route: RouteInfo): fc.Arbitrary<string> {
  const known = Object.entries(route.query);
  const pair = fc.oneof(
    known.length > 0
      ? fc.constantFrom(...known).chain(([k, s]) =>
          (s.type === 'integer' || s.type === 'number' ? fc.oneof(valueFor(s), nonDecimal) : valueFor(s)).map((v) => `${k}=${enc(v)}`),
        )
      : fc.constant('x=1'),
    fc.tuple(anyText, anyText).map(([k, v]) => `${enc(k)}=${enc(v)}`),
    brokenEscape.map((b) => `page=${b}`),
    fc.constantFrom('page', 'page=', '=1', '&&', 'page=1&page=2', 'api_key=', 'api_key[]=1'),
  );
  return fc.array(pair, { maxLength: 5 }).map((ps) => (ps.length ? `?${ps.join('&')}` : ''));
}

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '',
  ';;;',
);

function bodyFor(route: RouteInfo): fc.Arbitrary<{ payload?: string | Buffer; type?: string }> {
  const shaped = route.body ? objectFor(route.body).map((o) => JSON.stringify(o)) : fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v));
  const malformed = fc.oneof(
    shaped.chain((s) => fc.nat({ max: Math.max(0, s.length - 1) }).map((n) => s.slice(0, n))), // truncated
    fc.nat({ max: 400 }).map((d) => '['.repeat(d) + ']'.repeat(d)), // deep
    fc.nat({ max: 3000 }).map((n) => `[${Array.from({ length: n }, () => '1').join(',')}]`), // long arrays
    fc.constantFrom('', 'null', '{', '}', '{"a":', '"\\ud800"', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}', 'NaN', '[1,]', '\u0000'),
    fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    fc.string({ maxLength: 100 }),
  );
  const withJson = fc.record({ payload: fc.oneof({ arbitrary: shaped, weight: 3 }, { arbitrary: malformed, weight: 2 }), type: fc.oneof({ arbitrary: fc.constant('application/json'), weight: 4 }, { arbitrary: contentType, weight: 1 }) });
  return fc.oneof({ arbitrary: withJson, weight: 5 }, { arbitrary: fc.constant({}), weight: 1 });
}

function headersFor(validKeys: readonly string[]): fc.Arbitrary<Record<string, string>> {
  const pick = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
  const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });
  return fc
    .record({
      'accept-encoding': pick(fc.constantFrom('gzip', 'br', 'deflate', 'gzip, br', '*', 'identity', 'compress', 'br;q=0, gzip;q=1', ',,,')),
      'if-none-match': pick(fc.oneof(printable, fc.constantFrom('*', 'W/"x"', '"', ''))),
      'x-api-key': pick(fc.oneof(printable, validKeys.length > 0 ? fc.constantFrom(...validKeys) : printable)),
      'cache-control': pick(fc.constantFrom('no-cache', 'max-age=0', 'no-store', 'garbage')),
      origin: pick(fc.constantFrom('https://evil.example', 'null', 'http://localhost:80', '')),
      'x-request-id': pick(printable),
      accept: pick(fc.constantFrom('application/json', 'text/html', '*/*', 'image/png')),
    })
    .map((h) => Object.fromEntries(Object.entries(h).filter((e): e is [string, string] => e[1] !== undefined)));
}

/**
 * Nine cases in ten go to /api routes; the rest to the others (docs, dashboard files, OpenAPI),
 * which are many static files where repeating the same request teaches little.
 */
export function routeFor(routes: readonly RouteInfo[]): fc.Arbitrary<RouteInfo> {
  // HEAD runs the GET handler again; one HEAD in ten is enough to cover it.
  const pick = (rs: RouteInfo[]) => {
    const head = rs.filter((r) => r.method === 'HEAD');
    const rest = rs.filter((r) => r.method !== 'HEAD');
    if (head.length === 0 || rest.length === 0) return fc.constantFrom(...rs);
    return fc.oneof({ arbitrary: fc.constantFrom(...rest), weight: 9 }, { arbitrary: fc.constantFrom(...head), weight: 1 });
  };
  const api = routes.filter((r) => r.url === '/api' || r.url.startsWith('/api/'));
  const other = routes.filter((r) => !api.includes(r));
  if (api.length === 0 || other.length === 0) return pick([...routes]);
  return fc.oneof({ arbitrary: pick(api), weight: 9 }, { arbitrary: pick(other), weight: 1 });
}

export function requestFor(routes: readonly RouteInfo[], validKeys: readonly string[] = []): fc.Arbitrary<FuzzRequest> {
  return routeFor(routes).chain((route) =>
    fc.tuple(pathFor(route), queryFor(route), headersFor(validKeys), route.method === 'POST' || route.method === 'PUT' ? bodyFor(route) : fc.constant({})).map(
      ([path, query, headers, body]): FuzzRequest => {
        const b = body as { payload?: string | Buffer; type?: string };
        const h = { ...headers };
        if (b.type) h['content-type'] = b.type;
        return { method: route.method, url: path + query, headers: h, ...(b.payload !== undefined ? { payload: b.payload } : {}) };
      },
    ),
  );
}

export interface IntegerSlot {
  route: RouteInfo;
  where: 'path' | 'query';
  name: string;
}

/** Every integer (or number) parameter of every route, in the path or the query string. */
export function integerSlots(routes: readonly RouteInfo[]): IntegerSlot[] {
  const out: IntegerSlot[] = [];
  const numeric = (s: JsonSchema) => s.type === 'integer' || s.type === 'number';
  for (const route of routes) {
    if (route.method === 'HEAD') continue;
    for (const [name, s] of Object.entries(route.paramSchemas)) if (numeric(s)) out.push({ route, where: 'path', name });
    for (const [name, s] of Object.entries(route.query)) if (numeric(s)) out.push({ route, where: 'query', name });
  }
  return out;
}

/** A request to the slot's route with `value` in that slot and plain values elsewhere. */
export function slotRequest(slot: IntegerSlot, value: string): string {
  const path = slot.route.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, p: string) =>
    p === slot.name && slot.where === 'path' ? encodeURIComponent(value) : slot.route.paramSchemas[p]?.type === 'integer' ? '1245' : '1',
  );
  return slot.where === 'query' ? `${path}?${slot.name}=${encodeURIComponent(value)}` : path;
}
