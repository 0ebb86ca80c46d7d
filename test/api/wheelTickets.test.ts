// A wheel saved as tickets (POST /api/wheels/tickets) and the least-shared labelling of POST /api/wheels,
// against an app holding the shipped history with its five prize tiers (the popularity model fits on them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WheelTicketsBody } from '../../src/api/wheelSchemas.js';
import { rankGame } from '../../src/domain/tickets/prize.js';
import { loadHistoryDraws } from '../helpers/history.js';
import { appWith, closeApp, envelopeOf, type TestApp } from './fixtures.js';

let t: TestApp;
let empty: TestApp;
let latest: number;
beforeAll(async () => {
  const draws = loadHistoryDraws();
  latest = Math.max(...draws.map((d) => d.round));
  [t, empty] = await Promise.all([appWith(draws), appWith([])]);
}, 60_000);
afterAll(async () => {
  await closeApp(t);
  await closeApp(empty);
});

const POOL = [1, 2, 3, 4, 5, 7, 11, 12, 23, 31, 38, 44];

interface WheelJson {
  pool: number[];
  fixed: number[];
  guarantee: { match: number; if: number; name: string };
  tickets: number[][];
  popularity: {
    requested: boolean;
    applied: boolean;
    reason: { ko: string; en: string } | null;
    labels: number[] | null;
    after_round: number | null;
    before: { mean_ratio: Record<string, number> } | null;
    after: { mean_ratio: Record<string, number> } | null;
    note: { en: string };
  };
}
interface SavedJson {
  round: number;
  round_source: string;
  games: number;
  ticket_ids: number[];
  cost: { games: number; total_won: number };
  proof: { guarantee_held: boolean; draws_checked: number };
  tickets: Array<{ id: number; round: number; label: string; status: string; games: Array<{ slot: string; numbers: number[]; result: { rank: number | null; matches: number } | null }> }>;
}

const wheel = async (app: TestApp, body: Record<string, unknown>) => {
  const res = await app.app.inject({ method: 'POST', url: '/api/wheels', payload: body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as WheelJson;
};
const save = (app: TestApp, body: Record<string, unknown>) => app.app.inject({ method: 'POST', url: '/api/wheels/tickets', payload: body });
const stored = (app: TestApp) => (app.db.prepare('SELECT COUNT(*) AS n FROM ticket_games').get() as { n: number }).n;
const tier13 = (r: Record<string, number>) => (r['1'] + r['2'] + r['3']) / 3;

/** Every p-subset of the pool meets a ticket in ≥ m numbers (brute force, independent of the server). */
function holds(pool: number[], tickets: number[][], m: number, p: number): boolean {
  let ok = true;
  const walk = (start: number, chosen: number[]) => {
    if (!ok) return;
    if (chosen.length === p) {
      if (!tickets.some((tk) => tk.filter((n) => chosen.includes(n)).length >= m)) ok = false;
      return;
    }
    for (let i = start; i < pool.length; i++) walk(i + 1, [...chosen, pool[i]]);
  };
  walk(0, []);
  return ok;
}

describe('POST /api/wheels least_shared', () => {
  it('relabels the wheel to a lower mean predicted tier 1–3 ratio, same guarantee and ticket count, still holding', async () => {
    const plain = await wheel(t, { pool: POOL, guarantee: { match: 4, if: 6 }, least_shared: false });
    const least = await wheel(t, { pool: POOL, guarantee: { match: 4, if: 6 } });
    expect(plain.popularity).toMatchObject({ requested: false, applied: false, labels: null });
    expect(least.popularity).toMatchObject({ requested: true, applied: true, reason: null, after_round: latest });
    expect(least.tickets).toHaveLength(plain.tickets.length);
    expect(least.tickets).not.toEqual(plain.tickets);
    expect(holds(POOL, least.tickets, 4, 6)).toBe(true);
    expect([...(least.popularity.labels ?? [])].sort((a, b) => a - b)).toEqual(POOL);
    const before = least.popularity.before?.mean_ratio as Record<string, number>;
    const after = least.popularity.after?.mean_ratio as Record<string, number>;
    expect(tier13(after)).toBeLessThan(tier13(before));
    expect(least.popularity.note.en).toMatch(/odds are unchanged/);
    // The same request gives the same wheel.
    expect((await wheel(t, { pool: POOL, guarantee: { match: 4, if: 6 } })).tickets).toEqual(least.tickets);
  });

  it('keeps the fixed numbers on every ticket', async () => {
    const w = await wheel(t, { pool: POOL, guarantee: { match: 3, if: 5 }, fixed: [7], seed: 2 });
    expect(w.popularity.applied).toBe(true);
    for (const tk of w.tickets) expect(tk).toContain(7);
    expect(holds(POOL, w.tickets, 3, 5)).toBe(true);
  });

  it('without stored prize rounds says the model cannot be fitted and returns the ascending wheel, not an error', async () => {
    const w = await wheel(empty, { pool: POOL, guarantee: { match: 4, if: 6 }, lang: 'en' });
    expect(w.popularity).toMatchObject({ requested: true, applied: false, labels: null });
    expect(w.popularity.reason?.en).toMatch(/cannot be fitted/);
    expect(w.tickets).toEqual((await wheel(t, { pool: POOL, guarantee: { match: 4, if: 6 }, least_shared: false })).tickets);
  });
});

describe('POST /api/wheels/tickets', () => {
  it('saves a wheel as ceil(n/5) tickets for the next undrawn round, every game stored once, pending, in the ledger at 1,000 won a game', async () => {
    const w = await wheel(t, { pool: Array.from({ length: 16 }, (_, i) => 2 * i + 3), guarantee: { match: 4, if: 6 } });
    const before = stored(t);
    const res = await save(t, { pool: w.pool, guarantee: w.guarantee, tickets: w.tickets, lang: 'en' });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json() as SavedJson;
    expect(s).toMatchObject({ round: latest + 1, round_source: 'next_draw', games: w.tickets.length, proof: { guarantee_held: true } });
    expect(s.ticket_ids).toHaveLength(Math.ceil(w.tickets.length / 5));
    expect(s.tickets.map((x) => x.games.length)).toEqual(s.ticket_ids.map((_, i) => Math.min(5, w.tickets.length - 5 * i)));
    expect(s.tickets.flatMap((x) => x.games.map((g) => g.numbers))).toEqual(w.tickets);
    expect(s.tickets.every((x) => x.status === 'pending' && x.round === latest + 1)).toBe(true);
    expect(s.tickets[0].label).toBe(`wheel 4if6 · 16 numbers · 1/${s.ticket_ids.length}`);
    expect(stored(t) - before).toBe(w.tickets.length);
    expect(s.cost.total_won).toBe(1000 * w.tickets.length);
    const ledger = (await t.app.inject({ url: '/api/tickets/summary' })).json() as { rounds: Array<{ round: number; games: number; spent: number }> };
    expect(ledger.rounds.find((r) => r.round === latest + 1)).toMatchObject({ games: w.tickets.length, spent: 1000 * w.tickets.length });
  });

  it('for a drawn round checks the tickets at once against that draw', async () => {
    const draw = loadHistoryDraws().find((d) => d.round === 1000);
    if (!draw) throw new Error('round 1000 missing from the shipped history');
    // A pool holding four of round 1000's numbers: the 3if4 wheel must give a ticket with ≥ 3 of them.
    const pool = [...new Set([...draw.numbers.slice(0, 4), 1, 2, 3, 40, 41, 42, 43, 44, 45])].slice(0, 11);
    const w = await wheel(t, { pool, guarantee: { match: 3, if: 4 } });
    const res = await save(t, { pool: w.pool, guarantee: w.guarantee, tickets: w.tickets, round: 1000, label: 'what if' });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json() as SavedJson;
    expect(s.round_source).toBe('given');
    expect(s.tickets[0].label).toBe(`what if · 1/${s.ticket_ids.length}`);
    const games = s.tickets.flatMap((x) => x.games);
    expect(s.tickets.every((x) => x.status === 'checked')).toBe(true);
    for (const g of games) expect(g.result?.rank ?? null).toBe(rankGame(g.numbers, draw).rank);
    expect(Math.max(...games.map((g) => g.result?.matches ?? 0))).toBeGreaterThanOrEqual(3);
  });

  it('refuses a wheel that does not hold its guarantee with 422 in the asker’s language, storing nothing', async () => {
    const w = await wheel(t, { pool: POOL, guarantee: { match: 4, if: 6 }, least_shared: false });
    const broken = w.tickets.map((x) => [...x]);
    broken[0][0] = POOL.find((n) => !broken[0].includes(n)) as number;
    const before = stored(t);
    const res = await save(t, { pool: POOL, guarantee: w.guarantee, tickets: broken });
    expect(res.statusCode).toBe(422);
    const env = envelopeOf(res) as ReturnType<typeof envelopeOf> & { error: { reasons: string[] } };
    expect(env.error.field).toBe('tickets');
    expect(env.error.reasons[0]).toMatch(/4if6 보장이 성립하지 않습니다/);
    expect(stored(t)).toBe(before);
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['a ticket number outside the pool', { pool: POOL, guarantee: { match: 3, if: 6 }, tickets: [[1, 2, 3, 4, 5, 7], [7, 11, 12, 23, 31, 45]] }, 'tickets[1]'],
    ['a ticket without the fixed number', { pool: POOL, guarantee: { match: 3, if: 6 }, fixed: [44], tickets: [[1, 2, 3, 4, 5, 44], [7, 11, 12, 23, 31, 38]] }, 'tickets[1]'],
    ['round 0', { pool: POOL, guarantee: { match: 3, if: 6 }, tickets: [[1, 2, 3, 4, 5, 7], [11, 12, 23, 31, 38, 44]], round: 0 }, 'round'],
    ['a five-number ticket', { pool: POOL, guarantee: { match: 3, if: 6 }, tickets: [[1, 2, 3, 4, 5]] }, 'tickets.0'],
    ['no tickets', { pool: POOL, guarantee: { match: 3, if: 6 }, tickets: [] }, 'tickets'],
    ['a pool of six', { pool: [1, 2, 3, 4, 5, 6], guarantee: { match: 3, if: 6 }, tickets: [[1, 2, 3, 4, 5, 6]] }, 'pool'],
  ];
  for (const [what, body, field] of bad) {
    it(`answers 422 naming ${field} for ${what}`, async () => {
      const before = stored(t);
      const res = await save(t, body);
      expect(res.statusCode).toBe(422);
      expect(envelopeOf(res).error.field).toBe(field);
      expect(stored(t)).toBe(before);
    });
  }

  it('answers its documented examples with 201 and is in OpenAPI with an operationId', async () => {
    for (const ex of (WheelTicketsBody as { examples?: Array<Record<string, unknown>> }).examples ?? []) expect((await save(t, ex)).statusCode).toBe(201);
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { operationId?: string; requestBody?: unknown }>> };
    expect(doc.paths['/api/wheels/tickets'].post.operationId).toBe('saveWheelAsTickets');
    expect(JSON.stringify(doc.paths['/api/wheels/tickets'].post.requestBody)).toContain('examples');
  });
});
