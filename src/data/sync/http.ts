/**
 * The one place sync does HTTP. A small GET wrapper over an injected `fetch` with a
 * per-request timeout, retries with exponential backoff and jitter, a polite minimum
 * interval between requests to the same host, and a User-Agent naming hogi.
 * Everything time- or chance-related (sleep, clock, random) is injectable so tests run
 * instantly and reproducibly.
 */
import { Random } from '../../domain/random.js';
import { HttpStatusError, OfflineError, SyncError, TimeoutError, hostOf } from './errors.js';
import { HOGI_VERSION } from '../version.js';

export { BlockedError, ChangedFormatError, HttpStatusError, OfflineError, SyncError, TimeoutError } from './errors.js';

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export const HOGI_USER_AGENT = `hogi/${HOGI_VERSION} (Korean Lotto 6/45 history tool; polite, about 1 request per second)`;

export interface HttpOptions {
  fetch?: FetchFn;
  /** Limit for one attempt, headers and body together. */
  timeoutMs?: number;
  /** Extra attempts after the first for retryable failures. */
  retries?: number;
  /** First backoff delay; doubles per attempt up to backoffMaxMs, then jittered to [50%, 100%]. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Minimum gap between the starts of two requests to the same host. */
  minIntervalMs?: number;
  /** Uniform [0,1) source for jitter. */
  random?: () => number;
  /** Seed for the default jitter source when `random` is not given. */
  seed?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Monotonic milliseconds, for the polite interval. */
  clock?: () => number;
  userAgent?: string;
  /** Told about each retry before its backoff sleep. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  url: string;
  attempt: number;
  delayMs: number;
  error: SyncError;
}

export interface HttpResponse {
  url: string;
  status: number;
  /** Lower-cased content-type header, '' when absent. */
  contentType: string;
  body: string;
}

export const HTTP_DEFAULTS = {
  timeoutMs: 15_000,
  retries: 3,
  backoffBaseMs: 500,
  backoffMaxMs: 8_000,
  minIntervalMs: 1_000,
} as const;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Node's fetch (undici) wraps socket errors: TypeError('fetch failed', { cause: { code } }).
function networkCode(e: unknown): string | null {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

const CONNECT_TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** 408, 425, 429 and 5xx are worth another try; other statuses will not change by asking again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status <= 599);
}

export class HttpClient {
  private readonly fetchFn: FetchFn;
  readonly timeoutMs: number;
  readonly retries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly minIntervalMs: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: () => number;
  readonly userAgent: string;
  private readonly onRetry?: (info: RetryInfo) => void;
  private readonly lastStart = new Map<string, number>();

  constructor(options: HttpOptions = {}) {
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? HTTP_DEFAULTS.timeoutMs;
    this.retries = options.retries ?? HTTP_DEFAULTS.retries;
    this.backoffBaseMs = options.backoffBaseMs ?? HTTP_DEFAULTS.backoffBaseMs;
    this.backoffMaxMs = options.backoffMaxMs ?? HTTP_DEFAULTS.backoffMaxMs;
    this.minIntervalMs = options.minIntervalMs ?? HTTP_DEFAULTS.minIntervalMs;
    if (options.random) {
      this.random = options.random;
    } else {
      // Jitter exists to spread clients apart, so the default seed varies per run; tests inject one.
      const rng = new Random(options.seed ?? (Date.now() ^ (process.pid << 8)));
      this.random = () => rng.nextFloat();
    }
    this.sleep = options.sleep ?? realSleep;
    this.clock = options.clock ?? (() => performance.now());
    this.userAgent = options.userAgent ?? HOGI_USER_AGENT;
    this.onRetry = options.onRetry;
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${this.timeoutMs}`);
    if (!Number.isInteger(this.retries) || this.retries < 0) throw new RangeError(`retries must be an integer ≥ 0, got ${this.retries}`);
  }

  /** Backoff before retry number `attempt` (1-based): base·2^(attempt-1), capped, jittered to [50%, 100%]. */
  backoffDelay(attempt: number): number {
    const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
    return Math.round(ceiling * (0.5 + 0.5 * this.random()));
  }

  /**
   * GET `url` and return its body as text. Retries timeouts, network failures and
   * retryable statuses; throws the last typed error when attempts run out.
   */
  async get(url: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    let attempt = 0;
    for (;;) {
      try {
        return await this.once(url, headers);
      } catch (e) {
        if (!(e instanceof SyncError)) throw e;
        const err = e;
        const retryable = err instanceof TimeoutError || err instanceof OfflineError || (err instanceof HttpStatusError && isRetryableStatus(err.status));
        if (!retryable || attempt >= this.retries) throw err;
        attempt++;
        const delayMs = this.backoffDelay(attempt);
        this.onRetry?.({ url, attempt, delayMs, error: err });
        await this.sleep(delayMs);
      }
    }
  }

  private async waitForTurn(url: string): Promise<void> {
    const host = hostOf(url);
    const last = this.lastStart.get(host);
    if (last !== undefined && this.minIntervalMs > 0) {
      const wait = last + this.minIntervalMs - this.clock();
      if (wait > 0) await this.sleep(wait);
    }
    this.lastStart.set(host, this.clock());
  }

  private async once(url: string, headers: Record<string, string>): Promise<HttpResponse> {
    await this.waitForTurn(url);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      const res = await this.fetchFn(url, {
        method: 'GET',
        headers: { 'User-Agent': this.userAgent, ...headers },
        signal: controller.signal,
        redirect: 'follow',
      });
      // The body is read under the same timer: a server that stalls mid-body is a timeout too.
      const body = await res.text();
      const contentType = (res.headers.get('content-type') ?? '').toLowerCase();
      if (!res.ok) throw new HttpStatusError(url, res.status, res.statusText, contentType, body.slice(0, 4096));
      return { url, status: res.status, contentType, body };
    } catch (e) {
      if (e instanceof SyncError) throw e;
      if (timedOut) throw new TimeoutError(url, this.timeoutMs);
      const code = networkCode(e);
      if (code && CONNECT_TIMEOUT_CODES.has(code)) throw new TimeoutError(url, this.timeoutMs);
      // fetch signals every network-level failure as a TypeError; anything else is a bug, not "offline".
      if (code || e instanceof TypeError) throw new OfflineError(url, code, { cause: e });
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }
}
