import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import type { FastifyInstance } from 'fastify';
import { fixtureRounds } from '../models/popularity/fixture.js';

const rounds = fixtureRounds();
let app: FastifyInstance;
let db: Db;
let bare: FastifyInstance;
let bareDb: Db;

beforeAll(async () => {
  db = openDb(':memory:');
  app = buildApp({ db, popularity: { source: () => rounds } });
  await app.ready();
  bareDb = openDb(':memory:');
  drawsRepo(bareDb).upsertMany(
    rounds.map((r) => ({ round: r.round, date: r.date, numbers: r.numbers, bonus: r.bonus, machine: null, firstPrizeEach: r.prizeEach[0], firstPrizeWinners: r.winners[0], totalSales: r.totalSales })),
    '2026-01-01T00:00:00.000Z',
  );
  bare = buildApp({ db: bareDb });
  await bare.ready();
});
afterAll(async () => {
  await app.close();
  await bare.close();
  db.close();
  bareDb.close();
});

describe('GET /api/popularity/score', () => {
  it('answers the ratio of every tier and the expected prize if won for tiers 1–3, beside an average combination', async () => {
    const res = await app.inject({ url: '/api/popularity/score?numbers=3,11,19,27,35,43' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.numbers).toEqual([3, 11, 19, 27, 35, 43]);
    expect(body.after_round).toBe(1238);
    for (const k of ['1', '2', '3', '4', '5']) expect(body.ratio[k]).toBeGreaterThan(0);
    for (const k of ['1', '2', '3']) {
      expect(body.expected_prize_if_won[k].gross).toBeGreaterThan(0);
      expect(body.expected_prize_if_won[k].after_tax).toBeLessThanOrEqual(body.expected_prize_if_won[k].gross);
      expect(body.average_combination.ratio[k]).toBe(1);
    }
    expect(body.note.ko).toContain('당첨 확률은 같습니다');
  });

  it('a more shared combination expects a smaller first prize if it wins', async () => {
    const a = (await app.inject({ url: '/api/popularity/score?numbers=1,7,12,17,24,28' })).json();
    const b = (await app.inject({ url: '/api/popularity/score?numbers=34,36,39,41,43,45' })).json();
    const [hi, lo] = a.ratio['1'] > b.ratio['1'] ? [a, b] : [b, a];
    expect(hi.expected_prize_if_won['1'].gross).toBeLessThan(lo.expected_prize_if_won['1'].gross);
  });

  it('bad numbers are a 422 naming the field', async () => {
    for (const q of ['1,2,3', '1,2,3,4,5,46', '1,2,3,4,5,5', 'a,b,c,d,e,f', '']) {
      const res = await app.inject({ url: `/api/popularity/score?numbers=${q}` });
      expect(res.statusCode, q).toBe(422);
      expect(res.json().error.field).toBe('numbers');
    }
  });

  it('with first-prize figures only (the draws table) it answers 409 NO_DATA saying what to load', async () => {
    const res = await bare.inject({ url: '/api/popularity/score?numbers=1,2,3,4,5,6' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('NO_DATA');
    expect(res.json().error.message).toMatch(/tiers 2, 3, 4, 5/);
  });
});

describe('POST /api/predictions/generate with avoid_sharing', () => {
  it('answers sets within the 0.85 bound with their popularity, and 409 on avoid_sharing when the prize tiers are missing', async () => {
    const { rmSync } = await import('node:fs');
    const { PredictionService } = await import('../../src/service/predictions/service.js');
    const { E_SPEC, T_SPEC, fakeLoader, saveFake, tempModelsDir } = await import('../service/predictionFakes.js');
    const dir = tempModelsDir();
    saveFake(dir, 'transformer', 'all', T_SPEC);
    saveFake(dir, 'ensemble', 'all', E_SPEC);
    const labelled = openDb(':memory:');
    drawsRepo(labelled).upsertMany(
      // The fixture has no machine labels; label the draws in turn so every machine has history.
      rounds.map((r) => ({ round: r.round, date: r.date, numbers: r.numbers, bonus: r.bonus, machine: (r.round % 3) + 1, firstPrizeEach: r.prizeEach[0], firstPrizeWinners: r.winners[0], totalSales: r.totalSales })),
      '2026-01-01T00:00:00.000Z',
    );
    const make = (withPrizes: boolean) =>
      new PredictionService({ db: labelled, modelsDir: dir, runner: 'in-process', loaders: fakeLoader().loaders, timeoutMs: 5000, modelsCheckMs: 0, ...(withPrizes ? { popularitySource: () => rounds } : {}) });
    const withPrizes = buildApp({ db: labelled, predictions: make(true) });
    const without = buildApp({ db: labelled, predictions: make(false) });
    try {
      const ok = await withPrizes.inject({ method: 'POST', url: '/api/predictions/generate', payload: { machine_type: 2, sets_count: 3, seed: 4, avoid_sharing: true, lang: 'en' } });
      expect(ok.statusCode).toBe(200);
      const body = ok.json();
      expect(body.metadata.avoid_sharing).toBe(true);
      for (const p of body.predictions) for (const k of ['1', '2', '3']) expect(p.popularity.ratio[k]).toBeLessThanOrEqual(0.85);
      const refused = await without.inject({ method: 'POST', url: '/api/predictions/generate', payload: { machine_type: 2, sets_count: 3, seed: 4, avoid_sharing: true } });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error).toMatchObject({ code: 'NO_DATA', field: 'avoid_sharing' });
      const plain = await without.inject({ method: 'POST', url: '/api/predictions/generate', payload: { machine_type: 2, sets_count: 2, seed: 4 } });
      expect(plain.statusCode).toBe(200);
      for (const p of plain.json().predictions) expect(p.popularity).toBeNull();
      // Strict bodies: a string is not coerced to a boolean; leaving the field out means false (above).
      const coerced = await withPrizes.inject({ method: 'POST', url: '/api/predictions/generate', payload: { machine_type: 2, sets_count: 2, seed: 4, avoid_sharing: 'true' } });
      expect(coerced.statusCode).toBe(422);
      expect(plain.json().metadata.avoid_sharing).toBe(false);
    } finally {
      await withPrizes.close();
      await without.close();
      labelled.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
