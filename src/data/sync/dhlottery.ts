/**
 * Client for dhlottery.co.kr's draw-result endpoints (they replaced the legacy
 * common.do?method=getLottoNumber, which stopped returning JSON in early 2026).
 *
 *   GET …/lt645/selectPstLt645Info.do                 → the latest round
 *   GET …/lt645/selectPstLt645Info.do?srchLtEpsd=N    → round N (empty list: not drawn yet)
 *   GET …/lt645/selectPstLt645Info.do?srchLtEpsd=all  → every round
 *   GET …/lt645/selectPstLt645InfoNew.do?srchDir=center&srchLtEpsd=N
 *                                                     → about ten rounds around N (the site's own
 *                                                       result page calls this one)
 *
 * Both answer {"resultCode","resultMessage","data":{"list":[record…]}} with the same record
 * layout. Records are matched on ltEpsd, never on their position in the list. When one endpoint
 * fails for a reason other than being offline or timing out (a block page, an HTTP error, a
 * changed format), the client asks the other one before giving up.
 */
import { formatProblem } from '../../domain/problems.js';
import { parseDhlotteryResponse } from '../formats/dhlottery.js';
import type { IncomingRecord } from '../formats/types.js';
import { BlockedError, ChangedFormatError, SyncError, tagSite, type HttpStatusError } from './errors.js';
import { looksLikeBlockPage, looksLikeHtml, pageExcerpt, rejectPageOf } from './blockPage.js';
import type { HttpClient } from './http.js';

export const DHLOTTERY_DEFAULT_URL = 'https://www.dhlottery.co.kr/lt645/selectPstLt645Info.do';
export const DHLOTTERY_REFERER = 'https://www.dhlottery.co.kr/lt645/result';
/** The ten-round endpoint's file name; it sits beside selectPstLt645Info.do. */
export const DHLOTTERY_WINDOW_PATH = 'selectPstLt645InfoNew.do';
/** How far on each side of the round asked for a ten-round answer is relied on to reach (N−4..N+4). */
const WINDOW_REACH = 4;

/** Round N is drawn on 2002-12-07 + 7·(N−1) days at 20:35 KST: the round drawn by `now`, for a first guess. */
export function calendarRound(now: Date): number {
  const first = Date.UTC(2002, 11, 7, 11, 35); // 20:35 KST
  return Math.max(1, Math.floor((now.getTime() - first) / (7 * 86_400_000)) + 1);
}

/** --option beats HOGI_DHLOTTERY_URL (configured, passed in by the edge) beats the official address. */
export function dhlotteryUrl(explicit?: string, configured?: string): string {
  // An empty value counts as unset.
  return explicit ?? (configured || DHLOTTERY_DEFAULT_URL);
}

export interface DhlotteryClientOptions {
  http: HttpClient;
  baseUrl?: string;
  /** The ten-round endpoint (default: selectPstLt645InfoNew.do beside baseUrl). */
  windowUrl?: string;
  /** Clock for the first guess of the latest round when only the ten-round endpoint answers. */
  now?: () => Date;
  /** Called when one endpoint failed and the other is tried. */
  onFallback?: (message: string) => void;
}

/** Worth asking the other endpoint: the failure is about this endpoint, not the connection. */
function endpointFailure(e: unknown): boolean {
  return e instanceof SyncError && e.kind !== 'offline' && e.kind !== 'timeout';
}

/**
 * Turn one answer into records. HTML instead of JSON is a block page; a body that is not the
 * documented envelope, or a record with a missing/renamed/invalid field, is a changed format.
 * Field mapping is the shared dhlottery format's (src/data/formats/dhlottery.ts), so `hogi import`
 * of a saved response and `hogi sync` read it identically.
 */
export function readDhlotteryAnswer(url: string, contentType: string, body: string): IncomingRecord[] {
  if (looksLikeHtml(contentType, body)) {
    const detail = looksLikeBlockPage(body) ? 'waiting/reject page' : `content-type ${contentType || 'none'}`;
    throw new BlockedError(url, pageExcerpt(body), `${detail}; wait a while before trying again`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ChangedFormatError(url, `expected JSON, got ${JSON.stringify(body.slice(0, 60))}`);
  }
  const data = parsed && typeof parsed === 'object' ? (parsed as { data?: unknown }).data : undefined;
  const list = data && typeof data === 'object' ? (data as { list?: unknown }).list : undefined;
  if (!Array.isArray(list)) {
    const keys = parsed && typeof parsed === 'object' ? Object.keys(parsed as object).join(', ') : typeof parsed;
    throw new ChangedFormatError(url, `expected {"resultCode", "resultMessage", "data": {"list": [...]}}, got keys: ${keys || 'none'}`);
  }
  const { records, problems } = parseDhlotteryResponse(parsed, url);
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).map((p) => formatProblem({ ...p, source: undefined })).join('; ');
    throw new ChangedFormatError(url, `${problems.length} bad record field${problems.length === 1 ? '' : 's'}: ${shown}${problems.length > 5 ? '; …' : ''}`);
  }
  return records;
}

export class DhlotteryClient {
  private readonly http: HttpClient;
  readonly baseUrl: string;
  readonly windowUrl: string;
  private readonly now: () => Date;
  private readonly onFallback: (message: string) => void;

  constructor(options: DhlotteryClientOptions) {
    this.http = options.http;
    this.baseUrl = options.baseUrl ?? DHLOTTERY_DEFAULT_URL;
    this.windowUrl = options.windowUrl ?? new URL(DHLOTTERY_WINDOW_PATH, this.baseUrl).toString();
    this.now = options.now ?? (() => new Date());
    this.onFallback = options.onFallback ?? (() => undefined);
  }

  urlFor(query: 'latest' | 'all' | number): string {
    const u = new URL(this.baseUrl);
    if (query !== 'latest') u.searchParams.set('srchLtEpsd', String(query));
    return u.toString();
  }

  /** The ten-round answer around round `n`. */
  windowUrlFor(n: number): string {
    const u = new URL(this.windowUrl);
    u.searchParams.set('srchDir', 'center');
    u.searchParams.set('srchLtEpsd', String(n));
    return u.toString();
  }

  private async fetchUrl(url: string): Promise<IncomingRecord[]> {
    try {
      const res = await this.http.get(url, { Accept: 'application/json', Referer: DHLOTTERY_REFERER });
      return readDhlotteryAnswer(url, res.contentType, res.body);
    } catch (e) {
      const reject = rejectPageOf(e);
      if (reject) throw tagSite(new BlockedError(url, pageExcerpt(reject.body), `HTTP ${(e as HttpStatusError).status}`), 'dhlottery');
      throw tagSite(e, 'dhlottery');
    }
  }

  private fetchRecords(query: 'latest' | 'all' | number): Promise<IncomingRecord[]> {
    return this.fetchUrl(this.urlFor(query));
  }

  /** Try `primary`; when it fails with an endpoint failure, try `secondary`; when both fail, throw the first error. */
  private async withFallback<T>(primary: () => Promise<T>, secondary: () => Promise<T>, what: string): Promise<T> {
    try {
      return await primary();
    } catch (e) {
      if (!endpointFailure(e)) throw e;
      this.onFallback(`${what}: ${(e as Error).message}; trying ${DHLOTTERY_WINDOW_PATH}`);
      try {
        return await secondary();
      } catch (e2) {
        if (e2 instanceof Error && e instanceof Error) e.message += ` (${DHLOTTERY_WINDOW_PATH} failed too: ${e2.message})`;
        throw e;
      }
    }
  }

  /** Rounds of the ten-round answer around `n`. */
  async window(n: number): Promise<IncomingRecord[]> {
    return (await this.fetchUrl(this.windowUrlFor(n))).sort((a, b) => a.round - b.round);
  }

  /** The newest drawn round, or null when the list is empty. */
  async latest(): Promise<IncomingRecord | null> {
    return this.withFallback(
      async () => {
        const draws = await this.fetchRecords('latest');
        return draws.length === 0 ? null : draws.reduce((a, b) => (b.round > a.round ? b : a));
      },
      () => this.latestFromWindows(),
      'latest round',
    );
  }

  /**
   * The latest round from ten-round answers: start at the calendar's round and move on while an
   * answer reaches its own far edge (more rounds may follow), back while it holds nothing.
   */
  private async latestFromWindows(): Promise<IncomingRecord | null> {
    let guess = calendarRound(this.now());
    let best: IncomingRecord | null = null;
    for (let step = 0; step < 12; step++) {
      const list = await this.window(guess);
      const top = list.length === 0 ? null : list[list.length - 1];
      if (top && (!best || top.round > best.round)) best = top;
      if (top && top.round >= guess + WINDOW_REACH) guess = top.round + WINDOW_REACH;
      else if (!top && guess > 1) guess = Math.max(1, guess - 2 * WINDOW_REACH);
      else break;
    }
    return best;
  }

  /** Round `n`, or null when it has not been drawn yet (empty list). */
  async round(n: number): Promise<IncomingRecord | null> {
    return this.withFallback(
      async () => {
        const draws = await this.fetchRecords(n);
        if (draws.length === 0) return null;
        const match = draws.find((d) => d.round === n);
        if (!match) {
          throw tagSite(new ChangedFormatError(this.urlFor(n), `asked for round ${n} but the list holds rounds ${draws.map((d) => d.round).slice(0, 5).join(', ')}`), 'dhlottery');
        }
        return match;
      },
      async () => (await this.window(n)).find((d) => d.round === n) ?? null,
      `round ${n}`,
    );
  }

  /**
   * The given rounds from ten-round answers, as few requests as the windows allow (sorted by
   * round; rounds not drawn yet are simply absent).
   */
  async rounds(wanted: readonly number[], onProgress?: (done: number, total: number) => void): Promise<IncomingRecord[]> {
    const left = [...new Set(wanted)].sort((a, b) => a - b);
    const got = new Map<number, IncomingRecord>();
    const total = left.length;
    while (left.length > 0) {
      const first = left[0];
      // Centred a little above `first`: whichever way the site reads "around", `first` is inside.
      const centre = first + WINDOW_REACH;
      const list = await this.window(centre);
      for (const rec of list) if (!got.has(rec.round)) got.set(rec.round, rec);
      const top = list.length === 0 ? 0 : list[list.length - 1].round;
      // `first` was inside the answer: found, or missing from the site. An answer that stops short
      // of the centre it was asked for ends at the latest drawn round: nothing after it exists yet.
      const rest = left.filter((r) => r !== first && !got.has(r) && !(top < centre && r > top));
      left.length = 0;
      left.push(...rest);
      onProgress?.(total - left.length, total);
    }
    return wanted.filter((r) => got.has(r)).map((r) => got.get(r) as IncomingRecord).sort((a, b) => a.round - b.round);
  }

  /** Every round the site has, sorted by round (from ten-round answers when the full list is refused). */
  async all(latestRound?: number): Promise<IncomingRecord[]> {
    return this.withFallback(
      async () => (await this.fetchRecords('all')).sort((a, b) => a.round - b.round),
      async () => {
        const last = latestRound ?? (await this.latestFromWindows())?.round ?? 0;
        return this.rounds(Array.from({ length: last }, (_, i) => i + 1));
      },
      'every round',
    );
  }
}
