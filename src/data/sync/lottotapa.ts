/**
 * Client for lottotapa.com's 호기 table, the only public source of draw-machine labels.
 * GET result_hogi.php?sel_start=262&sel_end=N&selHogi= returns one UTF-8 page in which
 * each round reads "1240회 로또 당첨번호 (3호기)"; an unlabelled round lacks the parenthesis.
 * Only that sentence is read, not the layout, so a redesign that keeps it keeps working
 * and one that drops it fails loudly.
 */
import type { Machine } from '../../domain/machine.js';
import { BlockedError, ChangedFormatError, tagSite, type HttpStatusError } from './errors.js';
import { htmlToText, looksLikeBlockPage, pageExcerpt, rejectPageOf } from './blockPage.js';
import type { HttpClient } from './http.js';

export const LOTTOTAPA_DEFAULT_URL = 'https://lottotapa.com/stat/result_hogi.php';
/** lottotapa's labels start here; no source has machines for earlier rounds. */
export const FIRST_LABELLED_ROUND = 262;

/** --option beats HOGI_LOTTOTAPA_URL (configured, passed in by the edge) beats the public address. */
export function lottotapaUrl(explicit?: string, configured?: string): string {
  // An empty value counts as unset.
  return explicit ?? (configured || LOTTOTAPA_DEFAULT_URL);
}

export interface MachineLabels {
  /** round → machine, for rounds the page labels. */
  labels: Map<number, Machine>;
  /** Rounds the page lists without a label. */
  unlabelled: number[];
}

const ROUND_RE = /(\d+)\s*회\s*로또\s*당첨번호(?:\s*\(\s*(\d+)\s*호기\s*\))?/gu;

/** Read every "N회 로또 당첨번호 (M호기)" from a page. Throws ChangedFormatError when none is found. */
export function parseLottotapaPage(html: string, url: string): MachineLabels {
  const text = htmlToText(html);
  const labels = new Map<number, Machine>();
  const unlabelled = new Set<number>();
  const clashes: string[] = [];
  let matches = 0;
  for (const m of text.matchAll(ROUND_RE)) {
    matches++;
    const round = Number(m[1]);
    if (m[2] === undefined) {
      if (!labels.has(round)) unlabelled.add(round);
      continue;
    }
    const machine = Number(m[2]);
    if (machine < 1) {
      clashes.push(`round ${round} reads ${m[2]}호기, not a machine`);
      continue;
    }
    const prev = labels.get(round);
    if (prev !== undefined && prev !== machine) clashes.push(`round ${round} is labelled both ${prev}호기 and ${machine}호기`);
    labels.set(round, machine);
    unlabelled.delete(round);
  }
  if (matches === 0) {
    if (looksLikeBlockPage(html)) throw new BlockedError(url, pageExcerpt(html), 'waiting/reject page');
    throw new ChangedFormatError(url, `no "N회 로또 당첨번호 (M호기)" found in the page (starts: ${JSON.stringify(text.slice(0, 60))})`);
  }
  if (clashes.length > 0) throw new ChangedFormatError(url, `inconsistent labels: ${clashes.slice(0, 5).join('; ')}`);
  return { labels, unlabelled: [...unlabelled].sort((a, b) => a - b) };
}

export interface LottotapaClientOptions {
  http: HttpClient;
  baseUrl?: string;
}

export class LottotapaClient {
  private readonly http: HttpClient;
  readonly baseUrl: string;

  constructor(options: LottotapaClientOptions) {
    this.http = options.http;
    this.baseUrl = options.baseUrl ?? LOTTOTAPA_DEFAULT_URL;
  }

  urlFor(endRound: number, startRound = FIRST_LABELLED_ROUND): string {
    const u = new URL(this.baseUrl);
    u.searchParams.set('sel_start', String(startRound));
    u.searchParams.set('sel_end', String(endRound));
    u.searchParams.set('selHogi', '');
    return u.toString();
  }

  /** Labels for rounds startRound..endRound in one page. */
  async labels(endRound: number, startRound = FIRST_LABELLED_ROUND): Promise<MachineLabels> {
    const url = this.urlFor(endRound, startRound);
    try {
      const res = await this.http.get(url, { Accept: 'text/html,application/xhtml+xml' });
      return parseLottotapaPage(res.body, url);
    } catch (e) {
      const reject = rejectPageOf(e);
      if (reject) throw tagSite(new BlockedError(url, pageExcerpt(reject.body), `HTTP ${(e as HttpStatusError).status}`), 'lottotapa');
      throw tagSite(e, 'lottotapa');
    }
  }
}
