/** The dashboard's only door to the server: same-origin JSON calls that turn the error envelope into ApiFailure. */

export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  readonly hint: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(status: number, code: string, message: string, field: string | null, hint: string | null, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
    this.code = code;
    this.field = field;
    this.hint = hint;
    this.details = details;
  }

  /** A route this server does not have (an older server, or a feature still being built). */
  get missingRoute(): boolean {
    return this.status === 404 && this.code === 'NOT_FOUND' && this.message.startsWith('no route');
  }

  get noData(): boolean {
    return this.code === 'NO_DATA';
  }
}

interface Envelope {
  status: 'error';
  error: { code: string; message: string; field: string | null; hint?: string; [k: string]: unknown };
}

function isEnvelope(x: unknown): x is Envelope {
  if (typeof x !== 'object' || x === null) return false;
  const e = (x as { error?: unknown }).error;
  return (x as { status?: unknown }).status === 'error' && typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

async function call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiFailure(0, 'NETWORK', e instanceof Error ? e.message : String(e), null, null);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    if (isEnvelope(parsed)) {
      const { code, message, field, hint, ...rest } = parsed.error;
      throw new ApiFailure(res.status, code, message, field ?? null, typeof hint === 'string' ? hint : null, rest);
    }
    throw new ApiFailure(res.status, `HTTP_${res.status}`, text.slice(0, 200) || res.statusText, null, null);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') qs.set(k, String(v));
    const s = qs.toString();
    return call<T>('GET', s ? `${path}?${s}` : path);
  },
  post: <T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> => call<T>('POST', path, body, headers),
  patch: <T>(path: string, body: unknown): Promise<T> => call<T>('PATCH', path, body),
  del: (path: string): Promise<null> => call<null>('DELETE', path),
};

let openapiPaths: Promise<Set<string>> | null = null;

/**
 * Whether this server has a route (by its OpenAPI path, e.g. "/api/backtests"). Pages ask before
 * calling endpoints that newer servers add, so an older server gives an explanation rather than a 404.
 */
export function hasRoute(path: string): Promise<boolean> {
  openapiPaths ??= api
    .get<{ paths?: Record<string, unknown> }>('/openapi.json')
    .then((doc) => new Set(Object.keys(doc.paths ?? {})))
    .catch(() => {
      openapiPaths = null;
      return new Set<string>();
    });
  return openapiPaths.then((paths) => paths.has(path) || paths.has(`${path}/`));
}
