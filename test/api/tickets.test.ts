// /api/tickets and /api/combinations/history over a fresh in-memory database with fixture draws
// and prize tiers imported from a prizes CSV in the shipped format (never the reference data folder beside the clone).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { ticketsService } from '../../src/service/tickets/service.js';
import { FIXTURE_DRAWS } from '../fixtures/tickets/draws-small.js';
import { importPrizesCsv, ticketPrizesCsv } from '../helpers/prizesCsv.js';
import { envelopeOf } from './fixtures.js';

const V868 = '0868m041120213645m010306132438m142933354042m021823262731m1217284143441293818248';
const S18 = '123456789012345678';
const QR_ROUND_2 = 'http://m.dhlottery.co.kr/?v=0002m091321253242m020913212532q010304091321n000000000000n0000000000008248193812';

let db: Db;
let app: FastifyInstance;

function stored(): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n + (db.prepare('SELECT COUNT(*) AS n FROM ticket_games').get() as { n: number }).n;
}
const post = (payload: unknown) => app.inject({ method: 'POST', url: '/api/tickets', payload: payload as object });

beforeEach(async () => {
  db = openDb(':memory:');
  const repo = drawsRepo(db);
  repo.upsertMany(FIXTURE_DRAWS.filter((d) => d.round < 1100), '2026-01-01T00:00:00.000Z');
  importPrizesCsv(repo, ticketPrizesCsv([1, 2, 3]));
  const tickets = ticketsService({ db, now: () => new Date('2026-12-05T12:00:00.000Z') });
  app = buildApp({ db, tickets: { tickets } });
  await app.ready();
});
afterEach(async () => {
  await app.close();
  db.close();
});

describe('POST /api/tickets reads every real QR shape', () => {
  it.each([
    ['older host, http, 10-digit tail, five manual games', `http://m.dhlottery.co.kr/?v=${V868}`, 868, [['A', 'manual'], ['B', 'manual'], ['C', 'manual'], ['D', 'manual'], ['E', 'manual']]],
    ['newer host, https, 18-digit tail, auto/semi-auto with unused slots', `https://qr.dhlottery.co.kr/?v=1201n000000000000q071421283542n000000000000s010203040545m111213141516${S18}`, 1201, [['B', 'auto'], ['D', 'semi_auto'], ['E', 'manual']]],
    ['the check page', `https://m.dhlottery.co.kr/qr.do?method=winQr&v=${V868.slice(0, -10)}5555555555`, 868, [['A', 'manual'], ['B', 'manual'], ['C', 'manual'], ['D', 'manual'], ['E', 'manual']]],
  ])('%s', async (_name, qr, round, slots) => {
    const res = await post({ qr });
    expect(res.statusCode, res.body).toBe(201);
    const t = res.json() as { id: number; round: number; source: string; status: string; games: Array<{ slot: string; type: string }> };
    expect(t).toMatchObject({ round, source: 'qr', status: 'pending' });
    expect(t.games.map((g) => [g.slot, g.type])).toEqual(slots);
    expect(res.headers.location).toBe(`/api/tickets/${t.id}`);
    expect(res.body).not.toMatch(/1293818248|123456789012345678|5555555555/);
  });
});

describe('POST /api/tickets refuses malformed and hostile QR texts with a 422 naming the problem, storing nothing', () => {
  const cases: Array<[string, string, string]> = [
    ['not a URL', 'hello', 'QR_NOT_URL'],
    ['javascript: URL', 'javascript:alert(1)//m.dhlottery.co.kr/?v=1', 'QR_NOT_URL'],
    ['look-alike host', `http://m.dhlottery.co.kr.evil.example/?v=${V868}`, 'QR_HOST'],
    ['punycode look-alike', `http://m.dhl0ttery.co.kr/?v=${V868}`, 'QR_HOST'],
    ['user-info trick', `http://m.dhlottery.co.kr@other.example/?v=${V868}`, 'QR_USERINFO'],
    ['a port', `http://qr.dhlottery.co.kr:444/?v=${V868}`, 'QR_PORT'],
    ['a dot-dot path', `http://m.dhlottery.co.kr/../admin?v=${V868}`, 'QR_PATH'],
    ['a second v', `http://m.dhlottery.co.kr/?v=${V868}&v=${V868}`, 'QR_V_REPEATED'],
    ['four slots', `http://m.dhlottery.co.kr/?v=${V868.slice(0, 56)}1293818248`, 'QR_LENGTH'],
    ['11-digit tail', `http://m.dhlottery.co.kr/?v=${V868}1`, 'QR_LENGTH'],
    ['type letter x', `http://m.dhlottery.co.kr/?v=0868x${V868.slice(5)}`, 'QR_SLOT_TYPE'],
    ['number 46', `http://m.dhlottery.co.kr/?v=0868m041120213646${V868.slice(17)}`, 'QR_NUMBERS'],
    ['descending numbers', `http://m.dhlottery.co.kr/?v=0868m451120213604${V868.slice(17)}`, 'QR_NUMBERS'],
    ['unused slot with numbers', `http://m.dhlottery.co.kr/?v=0868n041120213645${V868.slice(17)}`, 'QR_UNUSED_SLOT'],
    ['every slot unused', `http://m.dhlottery.co.kr/?v=0868${'n000000000000'.repeat(5)}1293818248`, 'QR_NO_GAMES'],
    ['SQL in the serial', `http://m.dhlottery.co.kr/?v=${V868.slice(0, -10)}1'OR'1'=1`, 'QR_LENGTH'],
  ];
  it.each(cases)('%s', async (_name, qr, code) => {
    const res = await post({ qr });
    expect(res.statusCode, res.body).toBe(422);
    const e = envelopeOf(res);
    expect(e.error.code).toBe(code);
    expect(e.error.field).toMatch(/^qr/);
    expect(e.error.message.length).toBeGreaterThan(10);
    expect(res.body).not.toContain('1293818248');
    expect(stored()).toBe(0);
  });
});

describe('tickets through the API', () => {
  it('a scanned round-2 ticket is checked to round 2’s prizes after tax', async () => {
    const res = await post({ qr: QR_ROUND_2, label: 'first scan' });
    expect(res.statusCode).toBe(201);
    const t = res.json() as { status: string; label: string; games: Array<{ result: Record<string, unknown> }> };
    expect(t.status).toBe('checked');
    expect(t.label).toBe('first scan');
    expect(t.games.map((g) => g.result)).toEqual([
      { matches: 6, bonus_match: false, rank: 1, prize_gross: 2_002_006_800, tax: 627_661_914, prize_net: 1_374_344_886, amount_pending: false },
      { matches: 5, bonus_match: true, rank: 2, prize_gross: 94_866_800, tax: 20_870_476, prize_net: 73_996_324, amount_pending: false },
      { matches: 3, bonus_match: false, rank: 5, prize_gross: 10_000, tax: 0, prize_net: 10_000, amount_pending: false },
    ]);
  });

  it('the same ticket scanned again is a 409 with the first ticket’s id, and nothing more is stored', async () => {
    const first = (await post({ qr: QR_ROUND_2 })).json() as { id: number };
    const before = stored();
    const res = await post({ qr: QR_ROUND_2 });
    expect(res.statusCode).toBe(409);
    const e = envelopeOf(res);
    expect(e.error.code).toBe('DUPLICATE_TICKET');
    expect((e.error as unknown as { ticket_id: number }).ticket_id).toBe(first.id);
    expect(stored()).toBe(before);
  });

  it('typed games: 201, stored ascending; bad games are 422 naming the game', async () => {
    const res = await post({ round: 3, games: [[31, 27, 21, 19, 16, 11]] });
    expect(res.statusCode).toBe(201);
    expect((res.json() as { games: Array<{ numbers: number[]; result: { rank: number } }> }).games[0]).toMatchObject({ numbers: [11, 16, 19, 21, 27, 31], result: { rank: 1 } });
    for (const [body, field] of [
      [{ round: 3, games: [[1, 2, 3, 4, 5, 5]] }, 'games.0'],
      [{ round: 3, games: [[1, 2, 3, 4, 5, 6]], label: 'x'.repeat(101) }, 'label'],
      [{ games: [[1, 2, 3, 4, 5, 6]] }, 'round'],
      [{ round: 3 }, 'games'],
      [{}, 'qr'],
      [{ qr: QR_ROUND_2, round: 3, games: [[1, 2, 3, 4, 5, 6]] }, 'body'],
      [{ prediction_id: 'missing' }, 'prediction_id'],
    ] as const) {
      const r = await post(body);
      expect(r.statusCode, JSON.stringify(body)).toBe(422);
      expect(envelopeOf(r).error.field, JSON.stringify(body)).toBe(field);
    }
    expect(stored()).toBe(2);
  });

  it('lists with filters, gets, relabels, deletes; an unknown id is a 404', async () => {
    const a = (await post({ round: 3, games: [[1, 2, 3, 4, 5, 6]] })).json() as { id: number };
    const b = (await post({ round: 1100, games: [[1, 2, 3, 4, 5, 6]] })).json() as { id: number };
    const pending = (await app.inject({ url: '/api/tickets?status=pending' })).json() as { items: Array<{ id: number }>; total: number };
    expect(pending).toMatchObject({ total: 1, items: [{ id: b.id }] });
    const page = (await app.inject({ url: '/api/tickets?page=2&page_size=1' })).json() as { items: Array<{ id: number }>; total_pages: number };
    expect(page).toMatchObject({ total_pages: 2, items: [{ id: a.id }] });
    const patched = await app.inject({ method: 'PATCH', url: `/api/tickets/${a.id}`, payload: { label: '월요일' } });
    expect(patched.json()).toMatchObject({ id: a.id, label: '월요일' });
    expect((await app.inject({ method: 'DELETE', url: `/api/tickets/${a.id}` })).statusCode).toBe(204);
    for (const req of [{ method: 'GET' as const }, { method: 'DELETE' as const }, { method: 'PATCH' as const, payload: { label: null } }]) {
      const r = await app.inject({ ...req, url: `/api/tickets/${a.id}` });
      expect(r.statusCode).toBe(404);
      expect(envelopeOf(r).error.field).toBe('id');
    }
    expect((await app.inject({ url: '/api/tickets/abc' })).statusCode).toBe(422);
  });

  it('the summary counts spent, won after tax and tiers against chance', async () => {
    await post({ qr: QR_ROUND_2 });
    await post({ round: 1, games: [[1, 2, 3, 4, 5, 6]] });
    const s = (await app.inject({ url: '/api/tickets/summary' })).json() as { games: number; spent: number; net: number; result: number; tiers: Array<{ won: number }>; rounds: Array<{ round: number; cumulative_result: number }> };
    expect(s).toMatchObject({ games: 4, spent: 4_000, net: 1_374_344_886 + 73_996_324 + 10_000 });
    expect(s.result).toBe(s.net - 4_000);
    expect(s.tiers.map((t) => t.won)).toEqual([1, 1, 0, 0, 1]);
    expect(s.rounds.map((r) => [r.round, r.cumulative_result])).toEqual([
      [1, -1_000],
      [2, s.net - 4_000],
    ]);
    const check = await app.inject({ method: 'POST', url: '/api/tickets/check' });
    expect(check.json()).toMatchObject({ checked_rounds: 2, checked_games: 4, summary: { net: s.net } });
  });
});

describe('GET /api/combinations/history', () => {
  it('lists every round the six numbers would have won, with that round’s prize, and the cost of playing them weekly', async () => {
    const res = await app.inject({ url: '/api/combinations/history?numbers=42,32,25,21,13,9' });
    expect(res.statusCode).toBe(200);
    const h = res.json() as { numbers: number[]; wins: Array<{ round: number; rank: number; prize_each: number }>; ever_first_prize: boolean; cost: number; rounds_played: number; tiers: Array<{ count: number }> };
    expect(h.numbers).toEqual([9, 13, 21, 25, 32, 42]);
    expect(h.rounds_played).toBe(3);
    expect(h.cost).toBe(3_000);
    expect(h.ever_first_prize).toBe(true);
    // Round 2 is its own draw; round 3 (11 16 19 21 27 31) and round 1 share fewer than three numbers.
    expect(h.wins).toEqual([{ round: 2, rank: 1, matches: 6, bonus_match: false, prize_each: 2_002_006_800, prize_net: 1_374_344_886 }]);
    expect(h.tiers.map((t) => t.count)).toEqual([1, 0, 0, 0, 0]);
  });

  it.each(['1,2,3,4,5', '1,2,3,4,5,46', '1,1,2,3,4,5', 'a,b,c,d,e,f', '1;2;3;4;5;6'])('refuses %s with a 422 naming numbers', async (numbers) => {
    const res = await app.inject({ url: `/api/combinations/history?numbers=${encodeURIComponent(numbers)}` });
    expect(res.statusCode).toBe(422);
    expect(envelopeOf(res).error.field).toBe('numbers');
  });
});

describe('OpenAPI for tickets', () => {
  it('names every tickets operation and its request example succeeds', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { operationId?: string; requestBody?: { content: Record<string, { example?: unknown }> } }>> };
    const ids = ['/api/tickets', '/api/tickets/summary', '/api/tickets/check', '/api/tickets/{id}', '/api/combinations/history'].flatMap((p) => Object.values(doc.paths[p]).map((op) => op.operationId));
    expect(ids.sort()).toEqual(['checkTickets', 'createTicket', 'deleteTicket', 'getCombinationHistory', 'getTicket', 'getTicketSummary', 'listTickets', 'updateTicketLabel']);
    const example = doc.paths['/api/tickets'].post.requestBody?.content['application/json'].example;
    expect(example).toBeDefined();
    const res = await post(example);
    expect(res.statusCode, res.body).toBe(201);
  });
});
