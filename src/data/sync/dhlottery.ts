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
import type { Draw } from '../../domain/draw.js';
import { BlockedError, ChangedFormatError } from './errors.js';
import { looksLikeBlockPage, looksLikeHtml, pageExcerpt } from './blockPage.js';
import type { HttpClient } from './http.js';
import { dhlotteryRecordsToDraws } from './dhlotteryRecords.js';

export const DHLOTTERY_DEFAULT_URL = 'https://www.dhlottery.co.kr/lt645/selectPstLt645Info.do';
export const DHLOTTERY_REFERER = 'https://www.dhlottery.co.kr/lt645/result';

/** --option beats HOGI_DHLOTTERY_URL beats the official address. */
export function dhlotteryUrl(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.HOGI_DHLOTTERY_URL ?? DHLOTTERY_DEFAULT_URL;
}

export interface DhlotteryClientOptions {
  http: HttpClient;
  baseUrl?: string;
}

/** Checks the envelope and returns its `data.list`; HTML instead of JSON is a block page. */
export function readDhlotteryEnvelope(url: string, contentType: string, body: string): unknown[] {
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
  return list;
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

  private async fetchDraws(query: 'latest' | 'all' | number): Promise<Draw[]> {
    const url = this.urlFor(query);
    const res = await this.http.get(url, { Accept: 'application/json', Referer: DHLOTTERY_REFERER });
    const list = readDhlotteryEnvelope(url, res.contentType, res.body);
    return dhlotteryRecordsToDraws(list, url);
  }

  /** The newest drawn round, or null when the list is empty. */
  async latest(): Promise<Draw | null> {
    const draws = await this.fetchDraws('latest');
    return draws.length === 0 ? null : draws.reduce((a, b) => (b.round > a.round ? b : a));
  }

  /** Round `n`, or null when it has not been drawn yet (empty list). */
  async round(n: number): Promise<Draw | null> {
    const draws = await this.fetchDraws(n);
    if (draws.length === 0) return null;
    const match = draws.find((d) => d.round === n);
    if (!match) {
      throw new ChangedFormatError(this.urlFor(n), `asked for round ${n} but the list holds rounds ${draws.map((d) => d.round).slice(0, 5).join(', ')}`);
    }
    return match;
  }

  /** Every round the site has, sorted by round. */
  async all(): Promise<Draw[]> {
    return (await this.fetchDraws('all')).sort((a, b) => a.round - b.round);
  }
}
