/**
 * Typed failures of the sync sources. Each carries the host it concerns so the CLI can
 * say which site failed; none of them means anything was written.
 */
export type SyncErrorKind = 'offline' | 'timeout' | 'blocked' | 'http-status' | 'changed-format';

/** Which source a failure came from; set by the source's client. */
export type SyncSite = 'dhlottery' | 'lottotapa';

export abstract class SyncError extends Error {
  abstract readonly kind: SyncErrorKind;
  readonly url: string;
  readonly host: string;
  site: SyncSite | null = null;
  constructor(message: string, url: string, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
    this.host = hostOf(url);
  }
}

/** DNS failure, connection refused or reset: the host could not be reached. */
export class OfflineError extends SyncError {
  readonly kind = 'offline' as const;
  /** Node's error code when known (ECONNREFUSED, ENOTFOUND, EAI_AGAIN, ECONNRESET...). */
  readonly code: string | null;
  constructor(url: string, code: string | null, options?: { cause?: unknown }) {
    super(`could not reach ${hostOf(url)}${code ? ` (${code})` : ''}`, url, options);
    this.name = 'OfflineError';
    this.code = code;
  }
}

/** No complete answer within the per-request time limit. */
export class TimeoutError extends SyncError {
  readonly kind = 'timeout' as const;
  readonly timeoutMs: number;
  constructor(url: string, timeoutMs: number) {
    super(`${hostOf(url)} did not answer within ${timeoutMs} ms`, url);
    this.name = 'TimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The site answered with a waiting/reject page (often HTTP 200 HTML) instead of data. */
export class BlockedError extends SyncError {
  readonly kind = 'blocked' as const;
  /** A short excerpt (page title or first text) to show the user. */
  readonly excerpt: string;
  constructor(url: string, excerpt: string, detail?: string) {
    super(`${hostOf(url)} answered with a waiting or reject page instead of data${detail ? ` (${detail})` : ''}${excerpt ? `: "${excerpt}"` : ''}`, url);
    this.name = 'BlockedError';
    this.excerpt = excerpt;
  }
}

/** A non-2xx status that retries did not cure. */
export class HttpStatusError extends SyncError {
  readonly kind = 'http-status' as const;
  readonly status: number;
  readonly contentType: string;
  /** The start of the body, for recognising reject pages. */
  readonly bodyStart: string;
  constructor(url: string, status: number, statusText = '', contentType = '', bodyStart = '') {
    super(`${hostOf(url)} answered HTTP ${status}${statusText ? ` ${statusText}` : ''}`, url);
    this.name = 'HttpStatusError';
    this.status = status;
    this.contentType = contentType;
    this.bodyStart = bodyStart;
  }
}

/** The answer arrived but no longer has the shape hogi reads: parsing stopped rather than guess. */
export class ChangedFormatError extends SyncError {
  readonly kind = 'changed-format' as const;
  constructor(url: string, detail: string) {
    super(`the answer from ${hostOf(url)} is not in the expected format: ${detail}`, url);
    this.name = 'ChangedFormatError';
  }
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Tag a failure with its source (keeping an earlier tag) and rethrow anything else untouched. */
export function tagSite(e: unknown, site: SyncSite): unknown {
  if (e instanceof SyncError && e.site === null) e.site = site;
  return e;
}
