import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WheelBody } from '../../src/api/wheelSchemas.js';
import { appWith, closeApp, envelopeOf, type TestApp } from './fixtures.js';
import { objectFor, type JsonSchema } from './fuzzRoutes.js';

let t: TestApp;
beforeAll(async () => {
  t = await appWith([]);
});
afterAll(() => closeApp(t));

interface WheelJson {
  pool: number[];
  fixed: number[];
  guarantee: { match: number; if: number; name: string };
  tickets: number[][];
  ticket_count: number;
  cost: { tickets: number; won_per_ticket: number; total_won: number };
  proof: { draws_checked: number; guarantee_held: boolean; failures: number; draws_covered: number };
  construction: { source: string; seed: number | null; minimal: boolean };
  budget: { limit: number; requested: string | null; considered: { guarantee: string; tickets: number | null }[] } | null;
}

const post = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/wheels', payload: payload as Record<string, unknown> });

/** Independent check of an answer: every p-subset of the pool meets a ticket in ≥ m numbers. */
function holds(w: WheelJson): { held: boolean; checked: number } {
  const { match: m, if: p } = w.guarantee;
  let checked = 0;
  let held = true;
  const walk = (start: number, chosen: number[]) => {
    if (chosen.length === p) {
      checked++;
      if (!w.tickets.some((tk) => tk.filter((n) => chosen.includes(n)).length >= m)) held = false;
      return;
    }
    for (let i = start; i < w.pool.length; i++) walk(i + 1, [...chosen, w.pool[i]]);
  };
  walk(0, []);
  return { held, checked };
}

describe('POST /api/wheels', () => {
  it('answers every documented example with a wheel that really holds, its cost and its proof', async () => {
    const examples = (WheelBody as { examples?: unknown[] }).examples ?? [];
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const ex of examples) {
      const res = await post(ex);
      expect(res.statusCode, JSON.stringify(ex)).toBe(200);
      const w = res.json() as WheelJson;
      const check = holds(w);
      expect(check.held).toBe(true);
      expect(w.proof).toMatchObject({ guarantee_held: true, failures: 0, draws_checked: check.checked });
      expect(w.cost).toEqual({ tickets: w.tickets.length, won_per_ticket: 1000, total_won: 1000 * w.tickets.length });
      expect(w.ticket_count).toBe(w.tickets.length);
      for (const tk of w.tickets) {
        expect(tk).toHaveLength(6);
        for (const n of [...tk, ...w.fixed]) expect(w.pool).toContain(n);
        for (const f of w.fixed) expect(tk).toContain(f);
      }
    }
  });

  it('gives the 12-number 4if6 wheel in at most 6 tickets, from the table', async () => {
    const res = await post({ pool: [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23], guarantee: { match: 4, if: 6 } });
    expect(res.statusCode).toBe(200);
    const w = res.json() as WheelJson;
    expect(w.tickets.length).toBeLessThanOrEqual(6);
    expect(w.construction.source).toBe('table');
    expect(w.proof.draws_checked).toBe(924);
  });

  it('with a budget returns the strongest guarantee that fits and lists what it considered', async () => {
    const res = await post({ pool: [2, 4, 8, 16, 20, 24, 28, 32, 36, 40, 44, 45, 10, 12], budget: 10 });
    expect(res.statusCode).toBe(200);
    const w = res.json() as WheelJson;
    expect(w.tickets.length).toBeLessThanOrEqual(10);
    expect(w.budget?.limit).toBe(10);
    const fits = w.budget?.considered.filter((c) => c.tickets !== null && c.tickets <= 10) ?? [];
    expect(fits.map((c) => c.guarantee)).toEqual([w.guarantee.name]);
  });

  const bad: Array<[string, unknown, string]> = [
    ['a pool number twice', { pool: [1, 2, 3, 4, 5, 6, 7, 7], guarantee: { match: 3, if: 6 } }, 'pool'],
    ['a pool number above 45', { pool: [1, 2, 3, 4, 5, 6, 46], guarantee: { match: 3, if: 6 } }, 'pool.6'],
    ['a pool number below 1', { pool: [0, 2, 3, 4, 5, 6, 7], guarantee: { match: 3, if: 6 } }, 'pool.0'],
    ['six pool numbers', { pool: [1, 2, 3, 4, 5, 6], guarantee: { match: 3, if: 6 } }, 'pool'],
    ['21 pool numbers', { pool: Array.from({ length: 21 }, (_, i) => i + 1), guarantee: { match: 3, if: 6 } }, 'pool'],
    ['no pool', { guarantee: { match: 3, if: 6 } }, 'pool'],
    ['a fixed number outside the pool', { pool: [1, 2, 3, 4, 5, 6, 7, 8], guarantee: { match: 3, if: 6 }, fixed: [9] }, 'fixed[0]'],
    ['six fixed numbers', { pool: [1, 2, 3, 4, 5, 6, 7, 8], guarantee: { match: 3, if: 6 }, fixed: [1, 2, 3, 4, 5, 6] }, 'fixed'],
    ['fixed numbers that make the guarantee impossible', { pool: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], guarantee: { match: 4, if: 6 }, fixed: [1, 2, 3, 4, 5] }, 'fixed'],
    ['an unknown guarantee (2if6)', { pool: [1, 2, 3, 4, 5, 6, 7, 8], guarantee: { match: 2, if: 6 } }, 'guarantee.match'],
    ['an unknown guarantee (5if5)', { pool: [1, 2, 3, 4, 5, 6, 7, 8], guarantee: { match: 5, if: 5 } }, 'guarantee'],
    ['neither guarantee nor budget', { pool: [1, 2, 3, 4, 5, 6, 7, 8] }, 'guarantee'],
    ['a budget of 0', { pool: [1, 2, 3, 4, 5, 6, 7, 8], budget: 0 }, 'budget'],
  ];
  for (const [what, body, field] of bad) {
    it(`answers 422 naming ${field} for ${what}`, async () => {
      const res = await post(body);
      expect(res.statusCode).toBe(422);
      const env = envelopeOf(res);
      expect(env.error.code).toBe('VALIDATION_ERROR');
      expect(env.error.field).toBe(field);
    });
  }

  it('answers 422 WHEEL_BUDGET_TOO_SMALL when no guarantee fits, with reasons in the asked language', async () => {
    const res = await post({ pool: Array.from({ length: 20 }, (_, i) => i + 1), budget: 1, lang: 'en' });
    expect(res.statusCode).toBe(422);
    const env = envelopeOf(res) as ReturnType<typeof envelopeOf> & { error: { reasons: string[]; considered: unknown[] } };
    expect(env.error.code).toBe('WHEEL_BUDGET_TOO_SMALL');
    expect(env.error.field).toBe('budget');
    expect(env.error.reasons[0]).toMatch(/no guarantee fits in 1 ticket/);
    expect(env.error.considered.length).toBe(8);
    const ko = envelopeOf(await post({ pool: Array.from({ length: 20 }, (_, i) => i + 1), budget: 1 })) as typeof env;
    expect(ko.error.reasons[0]).toMatch(/보장이 없습니다/);
  });

  it('is documented in OpenAPI with an operationId and examples', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { operationId?: string; requestBody?: unknown }>> };
    const op = doc.paths['/api/wheels'].post;
    expect(op.operationId).toBe('createWheel');
    expect(JSON.stringify(op.requestBody)).toContain('examples');
  });

  it('answers 1,000 random, schema-shaped and malformed bodies with 200 or a 4xx envelope, never a 5xx (the shared route fuzz covers it too)', async () => {
    const props = (WheelBody as unknown as { properties: Record<string, JsonSchema> }).properties;
    // Pools drawn near the valid shape so that many requests reach the wheel code, fixed numbers and budgets included.
    const nearValid = fc.record({
      pool: fc.uniqueArray(fc.integer({ min: 0, max: 46 }), { minLength: 6, maxLength: 12 }),
      guarantee: fc.option(fc.record({ match: fc.integer({ min: 2, max: 6 }), if: fc.integer({ min: 2, max: 7 }) }), { nil: undefined }),
      fixed: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 45 }), { maxLength: 6 }), { nil: undefined }),
      budget: fc.option(fc.integer({ min: -1, max: 60 }), { nil: undefined }),
      seed: fc.option(fc.integer({ min: -1, max: 5 }), { nil: undefined }),
    });
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearValid, objectFor(props)), async (body) => {
        const res = await post(JSON.parse(JSON.stringify(body)));
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500) throw new Error(`${res.statusCode} for ${JSON.stringify(body)}: ${res.body.slice(0, 300)}`);
        if (res.statusCode >= 400) envelopeOf(res);
        else expect((res.json() as WheelJson).proof.guarantee_held).toBe(true);
      }),
      { numRuns: 1000, seed: 16 },
    );
    // Both answers occur, so the property saw real wheels and real refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(20);
    expect(statuses.get(422) ?? 0).toBeGreaterThan(100);
  }, 120_000);
});
