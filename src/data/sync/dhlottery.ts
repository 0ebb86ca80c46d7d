/**
 * Client for dhlottery.co.kr's draw-result endpoint (the one that replaced the legacy
 * common.do?method=getLottoNumber, which stopped returning JSON in early 2026).
 *
 *   GET …/lt645/selectPstLt645Info.do                 → the latest round
 *   GET …/lt645/selectPstLt645Info.do?srchLtEpsd=N    → round N (empty list: not drawn yet)
 *   GET …/lt645/selectPstLt645Info.do?srchLtEpsd=all  → every round
 *
 * Answers are {"resultCode","resultMessage","data":{"list":[record…]}}. Records are
 * matched on ltEpsd, never on their position in the list.
 */
import { formatProblem } from '../../domain/problems.js';
import { parseDhlotteryResponse } from '../formats/dhlottery.js';
import type { IncomingRecord } from '../formats/types.js';
import { BlockedError, ChangedFormatError, tagSite, type HttpStatusError } from './errors.js';
import { looksLikeBlockPage, looksLikeHtml, pageExcerpt, rejectPageOf } from './blockPage.js';
import type { HttpClient } from './http.js';

export const DHLOTTERY_DEFAULT_URL = 'https://www.dhlottery.co.kr/lt645/selectPstLt645Info.do';
export const DHLOTTERY_REFERER = 'https://www.dhlottery.co.kr/lt645/result';

/** --option beats HOGI_DHLOTTERY_URL beats the official address. */
export function dhlotteryUrl(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  // An empty variable counts as unset.
  return explicit ?? (env.HOGI_DHLOTTERY_URL || DHLOTTERY_DEFAULT_URL);
}

export interface DhlotteryClientOptions {
  http: HttpClient;
  baseUrl?: string;
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

  constructor(options: DhlotteryClientOptions) {
    this.http = options.http;
    this.baseUrl = options.baseUrl ?? DHLOTTERY_DEFAULT_URL;
  }

  urlFor(query: 'latest' | 'all' | number): string {
    const u = new URL(this.baseUrl);
    if (query !== 'latest') u.searchParams.set('srchLtEpsd', String(query));
    return u.toString();
  }

  private async fetchRecords(query: 'latest' | 'all' | number): Promise<IncomingRecord[]> {
    const url = this.urlFor(query);
    try {
      const res = await this.http.get(url, { Accept: 'application/json', Referer: DHLOTTERY_REFERER });
      return readDhlotteryAnswer(url, res.contentType, res.body);
    } catch (e) {
      const reject = rejectPageOf(e);
      if (reject) throw tagSite(new BlockedError(url, pageExcerpt(reject.body), `HTTP ${(e as HttpStatusError).status}`), 'dhlottery');
      throw tagSite(e, 'dhlottery');
    }
  }

  /** The newest drawn round, or null when the list is empty. */
  async latest(): Promise<IncomingRecord | null> {
    const draws = await this.fetchRecords('latest');
    return draws.length === 0 ? null : draws.reduce((a, b) => (b.round > a.round ? b : a));
  }

  /** Round `n`, or null when it has not been drawn yet (empty list). */
  async round(n: number): Promise<IncomingRecord | null> {
    const draws = await this.fetchRecords(n);
    if (draws.length === 0) return null;
    const match = draws.find((d) => d.round === n);
    if (!match) {
      throw tagSite(new ChangedFormatError(this.urlFor(n), `asked for round ${n} but the list holds rounds ${draws.map((d) => d.round).slice(0, 5).join(', ')}`), 'dhlottery');
    }
    return match;
  }

  /** Every round the site has, sorted by round. */
  async all(): Promise<IncomingRecord[]> {
    return (await this.fetchRecords('all')).sort((a, b) => a.round - b.round);
  }
}
