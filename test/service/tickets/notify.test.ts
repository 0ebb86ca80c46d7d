// Webhooks after a round's tickets are checked, against a local receiver on 127.0.0.1, with the
// waits between retries injected (no real sleeping).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/data/db.js';
import { drawsRepo } from '../../../src/data/drawsRepo.js';
import { webhooksRepo } from '../../../src/data/webhooksRepo.js';
import { applyImport, planImport } from '../../../src/data/importService.js';
import { messageBody, TicketNotifier, validWebhookUrl, WebhookUrlError } from '../../../src/service/tickets/notify.js';
import { ticketsService } from '../../../src/service/tickets/service.js';
import { FIXTURE_DRAWS } from '../../fixtures/tickets/draws-small.js';

interface Received {
  path: string;
  body: unknown;
}

let server: Server;
let base: string;
let received: Received[];
/** Status to answer per request path, in order; 200 once exhausted. */
let script: Map<string, number[]>;
let db: Db;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => (s += c.toString()));
    req.on('end', () => resolve(s));
  });
}

beforeEach(async () => {
  received = [];
  script = new Map();
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    received.push({ path: req.url ?? '', body: JSON.parse(body) as unknown });
    const queue = script.get(req.url ?? '') ?? [];
    res.statusCode = queue.shift() ?? 200;
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  db = openDb(':memory:');
});
afterEach(async () => {
  db.close();
  await new Promise<void>((r) => server.close(() => r()));
});

function importRound2(): void {
  const repo = drawsRepo(db);
  const d = FIXTURE_DRAWS[1];
  applyImport(repo, planImport(repo, { records: [{ source: 't', index: 0, round: 2, date: d.date, numbers: d.numbers, bonus: d.bonus, firstPrizeEach: 2_002_006_800, firstPrizeWinners: 1, totalSales: 4_904_274_000 }] }));
}

describe('webhooks after checking', () => {
  it('sends one message per webhook in its format once a round arrives, retrying failures with backoff', async () => {
    const waits: number[] = [];
    const logs: string[] = [];
    const notifier = new TicketNotifier({ db, sleep: async (ms) => void waits.push(ms), log: (m) => logs.push(m), backoffMs: [1_000, 5_000, 30_000] });
    const svc = ticketsService({ db, notifier });
    const hooks = webhooksRepo(db);
    hooks.add(`${base}/discord`, 'discord', '2026-12-05T00:00:00Z');
    hooks.add(`${base}/slack`, 'slack', '2026-12-05T00:00:00Z');
    hooks.add(`${base}/json`, 'json', '2026-12-05T00:00:00Z');
    script.set('/json', [503, 500]);
    svc.add({ round: 2, games: [[9, 13, 21, 25, 32, 42], [1, 2, 3, 4, 5, 6]] });
    svc.add({ round: 2, games: [[9, 13, 21, 1, 3, 4]] });
    expect(received).toEqual([]); // adding a ticket is not a round arriving

    importRound2();
    // Nothing is sent inside the write: the import has returned before any request.
    expect(received).toEqual([]);
    await new Promise((r) => setImmediate(r));
    await notifier.idle();

    const byPath = (p: string) => received.filter((r) => r.path === p).map((r) => r.body);
    expect(byPath('/discord')).toHaveLength(1);
    expect((byPath('/discord')[0] as { content: string }).content).toContain('제 2회 티켓 2장(3게임) 확인: 1등 1, 5등 1');
    expect((byPath('/slack')[0] as { text: string }).text).toContain('1,374,344,886');
    // The JSON hook failed twice, then got its message on the third attempt after 1 s and 5 s.
    expect(byPath('/json')).toHaveLength(3);
    expect(byPath('/json')[2]).toEqual({ event: 'tickets.checked', round: 2, tickets: 2, games: 3, wins: { 1: 1, 2: 0, 3: 0, 4: 0, 5: 1 }, gross: 2_002_006_800, net: 1_374_344_886, amount_pending_games: 1 });
    expect(waits).toEqual([1_000, 5_000]);
    expect(logs.filter((l) => l.includes('webhook 3'))).toHaveLength(2);
  });

  it('a webhook that never answers well is given up and logged; checking and the import are unaffected', async () => {
    const logs: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    // The first wait blocks until released: the import must be complete meanwhile.
    const notifier = new TicketNotifier({ db, sleep: async () => gate, log: (m) => logs.push(m), backoffMs: [10, 10] });
    const svc = ticketsService({ db, notifier });
    webhooksRepo(db).add(`${base}/down`, 'json', '2026-12-05T00:00:00Z');
    webhooksRepo(db).add('http://127.0.0.1:1/refused', 'json', '2026-12-05T00:00:00Z');
    script.set('/down', [500, 500, 500]);
    const t = svc.add({ round: 2, games: [[9, 13, 21, 25, 32, 42]] });
    importRound2();
    expect(svc.get(t.id).status).toBe('checked');
    await new Promise((r) => setImmediate(r));
    release();
    await notifier.idle();
    expect(received.filter((r) => r.path === '/down')).toHaveLength(3);
    expect(logs.some((l) => l.includes('webhook 1') && l.includes('gave up on round 2 after 3 attempts'))).toBe(true);
    expect(logs.some((l) => l.includes('webhook 2') && l.includes('gave up'))).toBe(true);
  });

  it('a 4xx refusal is not retried; a rolled-back write sends nothing', async () => {
    const logs: string[] = [];
    const notifier = new TicketNotifier({ db, sleep: async () => {}, log: (m) => logs.push(m) });
    const svc = ticketsService({ db, notifier });
    webhooksRepo(db).add(`${base}/gone`, 'slack', '2026-12-05T00:00:00Z');
    script.set('/gone', [404]);
    svc.add({ round: 2, games: [[9, 13, 21, 25, 32, 42]] });
    // A write that fails after the draw is stored rolls back, checking included: no message.
    expect(() =>
      db.transaction(() => {
        drawsRepo(db).upsertMany([FIXTURE_DRAWS[1]], '2026-12-05T00:00:00Z');
        throw new Error('disk full');
      })(),
    ).toThrow('disk full');
    await new Promise((r) => setImmediate(r));
    await notifier.idle();
    expect(received).toEqual([]);
    importRound2();
    await new Promise((r) => setImmediate(r));
    await notifier.idle();
    expect(received).toHaveLength(1);
    expect(logs).toEqual([expect.stringContaining('refused with HTTP 404; not retried')]);
  });

  it('webhook URLs must be http(s) without credentials', () => {
    expect(validWebhookUrl('https://discord.example/api/webhooks/1')).toBe('https://discord.example/api/webhooks/1');
    for (const bad of ['ftp://x.example/', 'not a url', 'https://user:pw@x.example/', 'javascript:alert(1)']) expect(() => validWebhookUrl(bad), bad).toThrow(WebhookUrlError);
    expect(messageBody({ round: 1, tickets: 1, games: 1, wins: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }, gross: 0, net: 0, amountPendingGames: 0 }, 'discord')).toEqual({ content: expect.stringContaining('당첨 없음') });
  });
});
