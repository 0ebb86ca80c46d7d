import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Draw } from '../../src/domain/draw.js';
import { appWith, closeApp, envelopeOf, sharedSlice, type TestApp } from './fixtures.js';

// Rounds 1100..1245: machine labels end at 1240, so the slice holds both labelled and unlabelled draws.
const FROM = 1100;
const TO = 1245;

interface Item {
  round: number;
  date: string;
  numbers: number[];
  bonus: number;
  machine: number | null;
  machine_label: string | null;
  first_prize_each: number | null;
  first_prize_winners: number | null;
  total_sales: number | null;
  odd_even: string;
  high_low: string;
  ac_value: number;
  last_digit_sum: number;
  total_sum: number;
}
interface Page {
  items: Item[];
  total: number;
  page: number;
  page_size: number;
  total_pages: number;
}

let t: TestApp;
beforeAll(async () => {
  t = await appWith(sharedSlice(FROM, TO));
});
afterAll(() => closeApp(t));

const get = (url: string) => t.app.inject({ method: 'GET', url });
const newestFirst = (ds: Draw[]) => [...ds].sort((a, b) => b.round - a.round);

describe('GET /api/draws', () => {
  it('pages newest first with the total and the page count', async () => {
    const res = await get('/api/draws?page=2&page_size=10');
    expect(res.statusCode).toBe(200);
    const body = res.json() as Page;
    const expected = newestFirst(t.draws).slice(10, 20).map((d) => d.round);
    expect(body.items.map((i) => i.round)).toEqual(expected);
    expect(body.total).toBe(TO - FROM + 1);
    expect(body.page).toBe(2);
    expect(body.page_size).toBe(10);
    expect(body.total_pages).toBe(Math.ceil((TO - FROM + 1) / 10));
  });

  it('defaults to page 1 of 20 and can list oldest first', async () => {
    const def = (await get('/api/draws')).json() as Page;
    expect(def.items).toHaveLength(20);
    expect(def.items[0].round).toBe(TO);
    const asc = (await get('/api/draws?order=asc&page_size=3')).json() as Page;
    expect(asc.items.map((i) => i.round)).toEqual([FROM, FROM + 1, FROM + 2]);
  });

  it('answers an empty page past the end, keeping the total', async () => {
    const body = (await get('/api/draws?page=999&page_size=100')).json() as Page;
    expect(body.items).toEqual([]);
    expect(body.total).toBe(TO - FROM + 1);
  });

  it('filters by machine given as 3, "3호기" or URL-encoded 3호기 alike', async () => {
    const expected = newestFirst(t.draws.filter((d) => d.machine === 3)).map((d) => d.round);
    expect(expected.length).toBeGreaterThan(10);
    for (const m of ['3', encodeURIComponent('3호기')]) {
      const body = (await get(`/api/draws?machine=${m}&page_size=100`)).json() as Page;
      expect(body.total).toBe(expected.length);
      expect(body.items.map((i) => i.round)).toEqual(expected.slice(0, 100));
      expect(body.items.every((i) => i.machine === 3 && i.machine_label === '3호기')).toBe(true);
    }
    const all = (await get('/api/draws?machine=all&page_size=1')).json() as Page;
    expect(all.total).toBe(TO - FROM + 1);
  });

  it('filters by an inclusive round range, combined with the machine', async () => {
    const body = (await get('/api/draws?from=1200&to=1210&machine=1&order=asc')).json() as Page;
    const expected = t.draws.filter((d) => d.round >= 1200 && d.round <= 1210 && d.machine === 1).map((d) => d.round);
    expect(body.items.map((i) => i.round)).toEqual(expected);
    expect(body.total).toBe(expected.length);
  });

  it('rejects from > to as VALIDATION_ERROR on field from', async () => {
    const res = await get('/api/draws?from=1210&to=1200');
    expect(res.statusCode).toBe(422);
    const env = envelopeOf(res);
    expect(env.error.code).toBe('VALIDATION_ERROR');
    expect(env.error.field).toBe('from');
  });

  it('bounds the page size: 101 is a 422 naming page_size', async () => {
    const res = await get('/api/draws?page_size=101');
    expect(res.statusCode).toBe(422);
    const env = envelopeOf(res);
    expect(env.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'page_size' });
  });

  it('rejects a non-integer page as a 422 naming page', async () => {
    const res = await get('/api/draws?page=two');
    expect(res.statusCode).toBe(422);
    expect(envelopeOf(res).error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'page' });
  });

  it('rejects an unknown machine with INVALID_MACHINE_TYPE listing the valid values', async () => {
    for (const bad of ['x', '0', '9', encodeURIComponent('4호기'), '1.5']) {
      const res = await get(`/api/draws?machine=${bad}`);
      expect(res.statusCode, bad).toBe(400);
      const env = envelopeOf(res);
      expect(env.error.code).toBe('INVALID_MACHINE_TYPE');
      expect(env.error.field).toBe('machine');
      expect(env.error.valid_values).toEqual(expect.arrayContaining(['1', '2', '3', '1호기', '2호기', '3호기', 'all']));
    }
  });
});

describe('GET /api/draws/{round}', () => {
  // Independent per-draw statistics, from their definitions.
  const odd = (ns: number[]) => ns.filter((n) => n % 2 === 1).length;
  const high = (ns: number[]) => ns.filter((n) => n >= 23).length;
  const ac = (ns: number[]) => {
    const diffs = new Set<number>();
    for (let i = 0; i < ns.length; i++) for (let j = i + 1; j < ns.length; j++) diffs.add(Math.abs(ns[i] - ns[j]));
    return diffs.size - 5;
  };

  it('returns the stored draw with its machine label, prizes and per-draw statistics', async () => {
    const d = t.draws.find((x) => x.machine === 2 && x.round > 1200) as Draw;
    const res = await get(`/api/draws/${d.round}`);
    expect(res.statusCode).toBe(200);
    const ns = [...d.numbers];
    expect(res.json()).toEqual({
      round: d.round,
      date: d.date,
      numbers: ns,
      bonus: d.bonus,
      machine: 2,
      machine_label: '2호기',
      first_prize_each: d.firstPrizeEach,
      first_prize_winners: d.firstPrizeWinners,
      total_sales: d.totalSales,
      prizes: [
        { rank: 1, winners: d.firstPrizeWinners, prize_each: d.firstPrizeEach },
        ...d.lowerTiers!.map((x, i) => ({ rank: i + 2, winners: x.winners, prize_each: x.prizeEach })),
      ],
      first_prize_split: { auto: d.firstPrizeSplit!.auto, manual: d.firstPrizeSplit!.manual, semi_auto: d.firstPrizeSplit!.semiAuto },
      odd_even: `${odd(ns)}:${6 - odd(ns)}`,
      high_low: `${high(ns)}:${6 - high(ns)}`,
      ac_value: ac(ns),
      last_digit_sum: ns.reduce((s, n) => s + (n % 10), 0),
      total_sum: ns.reduce((s, n) => s + n, 0),
    });
  });

  it('shows all five prize tiers rank 1 first, and the auto/manual/semi-auto split of the first prize', async () => {
    const body = (await get('/api/draws/1220')).json() as { prizes: unknown; first_prize_split: unknown };
    // Round 1220 as published: 14 first-prize tickets (10 auto, 2 manual, 2 semi-auto); tiers 4 and 5 pay 50,000 and 5,000 won.
    const d = t.draws.find((x) => x.round === 1220) as Draw;
    expect(body.prizes).toEqual([
      { rank: 1, winners: d.firstPrizeWinners, prize_each: d.firstPrizeEach },
      { rank: 2, winners: d.lowerTiers![0].winners, prize_each: d.lowerTiers![0].prizeEach },
      { rank: 3, winners: d.lowerTiers![1].winners, prize_each: d.lowerTiers![1].prizeEach },
      { rank: 4, winners: d.lowerTiers![2].winners, prize_each: 50_000 },
      { rank: 5, winners: d.lowerTiers![3].winners, prize_each: 5_000 },
    ]);
    const split = body.first_prize_split as { auto: number; manual: number; semi_auto: number };
    expect(split.auto + split.manual + split.semi_auto).toBe(d.firstPrizeWinners);
    expect(split).toEqual({ auto: d.firstPrizeSplit!.auto, manual: d.firstPrizeSplit!.manual, semi_auto: d.firstPrizeSplit!.semiAuto });
  });

  it('shows unknown tiers and an unknown split as null, never as zero winners', async () => {
    const local = await appWith(sharedSlice(1236, 1241));
    try {
      const known = (await local.app.inject({ method: 'GET', url: '/api/draws/1238' })).json() as { prizes: Array<{ winners: number | null }> };
      expect(known.prizes.every((p) => p.winners !== null)).toBe(true);
      const r = (await local.app.inject({ method: 'GET', url: '/api/draws/1240' })).json() as { prizes: unknown; first_prize_split: unknown; first_prize_winners: number };
      expect(r.prizes).toEqual([
        { rank: 1, winners: r.first_prize_winners, prize_each: expect.any(Number) },
        { rank: 2, winners: null, prize_each: null },
        { rank: 3, winners: null, prize_each: null },
        { rank: 4, winners: null, prize_each: null },
        { rank: 5, winners: null, prize_each: null },
      ]);
      expect(r.first_prize_split).toBeNull();
      const page = (await local.app.inject({ method: 'GET', url: '/api/draws?from=1240&to=1240' })).json() as { items: Array<{ prizes: unknown }> };
      expect(page.items[0].prizes).toEqual(r.prizes);
    } finally {
      await closeApp(local);
    }
  });

  it('computes the per-draw statistics of every listed draw from its numbers', async () => {
    const body = (await get('/api/draws?page_size=100')).json() as Page;
    // The page must exercise the 22/23 high-low boundary for the check to mean something.
    expect(body.items.some((i) => i.numbers.includes(23) || i.numbers.includes(22))).toBe(true);
    for (const i of body.items) {
      const ns = i.numbers;
      expect(i.odd_even, `round ${i.round}`).toBe(`${odd(ns)}:${6 - odd(ns)}`);
      expect(i.high_low, `round ${i.round}`).toBe(`${high(ns)}:${6 - high(ns)}`);
      expect(i.ac_value, `round ${i.round}`).toBe(ac(ns));
      expect(i.last_digit_sum).toBe(ns.reduce((s, n) => s + (n % 10), 0));
      expect(i.total_sum).toBe(ns.reduce((s, n) => s + n, 0));
    }
  });

  it('shows an unlabelled draw with machine null', async () => {
    const body = (await get(`/api/draws/${TO}`)).json() as Item;
    expect(body.machine).toBeNull();
    expect(body.machine_label).toBeNull();
  });

  it('answers 404 NOT_FOUND in the envelope for a round not stored', async () => {
    const res = await get('/api/draws/50');
    expect(res.statusCode).toBe(404);
    expect(envelopeOf(res).error).toMatchObject({ code: 'NOT_FOUND', field: 'round' });
  });

  it('answers 422 naming round for a non-integer or non-positive round', async () => {
    for (const bad of ['abc', '1.5', '0', '-3']) {
      const res = await get(`/api/draws/${bad}`);
      expect(res.statusCode, bad).toBe(422);
      expect(envelopeOf(res).error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'round' });
    }
  });
});
