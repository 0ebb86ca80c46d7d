// Optional outgoing notifications (`hogi notify add URL --format discord|slack|json`): after a
// round's tickets are checked, one message with the results to each registered webhook. Sending
// starts after the checking transaction has committed, runs in the background with retries and
// backoff, logs failures, and never blocks or fails the import, sync or check that caused it.
import type { Db } from '../../data/db.js';
import { webhooksRepo, type WebhookFormat, type WebhookRow } from '../../data/webhooksRepo.js';
import type { Rank } from '../../domain/tickets/prize.js';

export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['discord', 'slack', 'json'];

/** What one round's checked tickets came to (no ticket serials: they are never stored). */
export interface RoundResults {
  round: number;
  tickets: number;
  games: number;
  wins: Record<Rank, number>;
  gross: number;
  net: number;
  amountPendingGames: number;
}

export class WebhookUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookUrlError';
  }
}

/** An absolute http(s) URL without user-info; returned normalised. */
export function validWebhookUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlError(`not a URL: ${JSON.stringify(text.slice(0, 200))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookUrlError(`a webhook URL must be http or https, got ${url.protocol}`);
  if (url.username || url.password) throw new WebhookUrlError('put no user name or password in the webhook URL');
  return url.toString();
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function messageText(r: RoundResults): string {
  const won = ([1, 2, 3, 4, 5] as Rank[]).filter((k) => r.wins[k] > 0).map((k) => `${k}등 ${r.wins[k]}`);
  const ko = `hogi · 제 ${r.round}회 티켓 ${r.tickets}장(${r.games}게임) 확인: ${won.length ? won.join(', ') : '당첨 없음'} · 실수령 ${fmt(r.net)}원`;
  const ordinal = ['1st', '2nd', '3rd', '4th', '5th'];
  const wonEn = ([1, 2, 3, 4, 5] as Rank[]).filter((k) => r.wins[k] > 0).map((k) => `${ordinal[k - 1]} ×${r.wins[k]}`);
  const en = `round ${r.round}: ${r.tickets} ticket(s), ${r.games} game(s) checked; ${wonEn.length ? wonEn.join(', ') : 'no prize'}; ${fmt(r.net)} won after tax`;
  const pending = r.amountPendingGames > 0 ? ` (${r.amountPendingGames} prize amount(s) not published yet / 당첨금 집계 전 ${r.amountPendingGames}건)` : '';
  return `${ko}\n${en}${pending}`;
}

/** The request body for a webhook of this format. */
export function messageBody(r: RoundResults, format: WebhookFormat): unknown {
  if (format === 'discord') return { content: messageText(r) };
  if (format === 'slack') return { text: messageText(r) };
  return {
    event: 'tickets.checked',
    round: r.round,
    tickets: r.tickets,
    games: r.games,
    wins: r.wins,
    gross: r.gross,
    net: r.net,
    amount_pending_games: r.amountPendingGames,
  };
}

export interface NotifierOptions {
  db: Db;
  fetch?: typeof fetch;
  /** Injected in tests; default a timer. */
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string) => void;
  /** Waits before the 2nd, 3rd, ... attempt (default 2 s, 10 s, 60 s: four attempts in all). */
  backoffMs?: readonly number[];
  timeoutMs?: number;
}

export class TicketNotifier {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly log: (message: string) => void;
  private readonly backoff: readonly number[];
  private readonly timeoutMs: number;

  constructor(private readonly options: NotifierOptions) {
    this.fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.log = options.log ?? (() => {});
    this.backoff = options.backoffMs ?? [2_000, 10_000, 60_000];
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Send `results` to every webhook in the background; returns at once. */
  send(results: RoundResults): void {
    let hooks: WebhookRow[];
    try {
      hooks = webhooksRepo(this.options.db).list();
    } catch (e) {
      this.log(`webhooks: cannot read the list: ${(e as Error).message}`);
      return;
    }
    for (const hook of hooks) {
      const p = this.deliver(hook, results).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }

  /** Resolves when every message sent so far is delivered or given up (tests; a CLI before it exits). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async deliver(hook: WebhookRow, results: RoundResults): Promise<void> {
    const body = JSON.stringify(messageBody(results, hook.format));
    const where = `webhook ${hook.id} (${new URL(hook.url).host})`;
    for (let attempt = 0; attempt <= this.backoff.length; attempt++) {
      if (attempt > 0) await this.sleep(this.backoff[attempt - 1]);
      try {
        const res = await this.fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(this.timeoutMs) });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        // A 4xx other than 408/429 will not get better by retrying.
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
          this.log(`${where}: refused with HTTP ${res.status}; not retried`);
          return;
        }
        this.log(`${where}: HTTP ${res.status} (attempt ${attempt + 1})`);
      } catch (e) {
        this.log(`${where}: ${(e as Error).message} (attempt ${attempt + 1})`);
      }
    }
    this.log(`${where}: gave up on round ${results.round} after ${this.backoff.length + 1} attempts`);
  }
}
