import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { fairnessReport } from '../../src/domain/fairness/index.js';
import type { FairnessCompute } from '../../src/service/fairness.js';
import { envelopeOf, sharedSlice } from './fixtures.js';
import type { FastifyInstance } from 'fastify';

const FAST = 'null_simulations=20&power_simulations=10&permutations=100';
let db: Db;
let app: FastifyInstance;
let computed = 0;
// Same function the worker runs, in-process, counting computations to observe the cache.
const compute: FairnessCompute = async (draws, options) => {
  computed++;
  return fairnessReport(draws, options);
};

beforeAll(async () => {
  db = openDb(':memory:');
  drawsRepo(db).upsertMany(sharedSlice(262, 600), '2026-01-01T00:00:00.000Z');
  app = buildApp({ db, fairness: { compute } });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  db.close();
});

describe('GET /api/statistics/fairness', () => {
  it('answers one machine with its tests, Holm-adjusted p and detectable effect, in snake_case', async () => {
    const res = await app.inject({ url: `/api/statistics/fairness?machine=3호기&from=262&to=600&seed=4&${FAST}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const expectedDraws = sharedSlice(262, 600).filter((d) => d.machine === 3).length;
    expect(body.params).toMatchObject({ machines: [3], from: 262, to: 600, seed: 4, permutations: 100, null_simulations: 20, power_simulations: 10 });
    expect(body.scopes[0]).toMatchObject({ machine: 3, draws: expectedDraws });
    const freq = body.scopes[0].tests[0];
    expect(freq).toMatchObject({ test: 'frequency', df: 44, p_method: 'chi-square' });
    expect(freq.adjusted_p).toBeGreaterThanOrEqual(freq.p_value);
    expect(freq.power).toHaveProperty('detectable_effect');
    expect(freq.details).toHaveProperty('expected_per_number');
    // The same numbers as the pure function on the same draws and options.
    const direct = fairnessReport(sharedSlice(262, 600), { machines: [3], from: 262, to: 600, seed: 4, permutations: 100, nullSimulations: 20, powerSimulations: 10 });
    expect(freq.p_value).toBe(direct.scopes[0].tests[0].pValue);
  });

  it('serves a repeated request from the cache and recomputes after new data', async () => {
    const url = `/api/statistics/fairness?machine=all&${FAST}`;
    const before = computed;
    await app.inject({ url });
    await app.inject({ url });
    expect(computed).toBe(before + 1);
    drawsRepo(db).upsertMany(sharedSlice(601, 610), '2026-01-02T00:00:00.000Z');
    const res = await app.inject({ url });
    expect(computed).toBe(before + 2);
    expect(res.json().scopes[0].draws).toBe(sharedSlice(262, 610).length);
  });

  it('rejects an unknown machine (400), a reversed range (422) and bad simulation counts (422)', async () => {
    const a = await app.inject({ url: '/api/statistics/fairness?machine=7' });
    expect(a.statusCode).toBe(400);
    expect(envelopeOf(a).error.code).toBe('INVALID_MACHINE_TYPE');
    const b = await app.inject({ url: '/api/statistics/fairness?from=500&to=300' });
    expect(b.statusCode).toBe(422);
    expect(envelopeOf(b).error.field).toBe('to');
    const c = await app.inject({ url: '/api/statistics/fairness?power_simulations=1' });
    expect(c.statusCode).toBe(422);
  });

  it('is in the OpenAPI document', async () => {
    const spec = (await app.inject({ url: '/openapi.json' })).json();
    expect(spec.paths['/api/statistics/fairness'].get.responses['200']).toBeDefined();
  });
});

describe('GET /api/statistics/fairness under load', () => {
  it('answers 503 FAIRNESS_BUSY with Retry-After when a different report is already being computed', async () => {
    const busyDb = openDb(':memory:');
    drawsRepo(busyDb).upsertMany(sharedSlice(262, 400), '2026-01-01T00:00:00.000Z');
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slow: FairnessCompute = async (draws, options) => {
      await gate;
      return fairnessReport(draws, options);
    };
    const a = buildApp({ db: busyDb, fairness: { compute: slow, maxConcurrent: 1, maxQueued: 0 } });
    await a.ready();
    const first = a.inject({ url: `/api/statistics/fairness?machine=all&${FAST}` });
    await new Promise((r) => setTimeout(r, 50));
    const second = await a.inject({ url: `/api/statistics/fairness?machine=all&seed=9&${FAST}` });
    expect(second.statusCode).toBe(503);
    expect(second.headers['retry-after']).toBe('30');
    expect(envelopeOf(second).error.code).toBe('FAIRNESS_BUSY');
    release();
    expect((await first).statusCode).toBe(200);
    // Once the first is done the other can be computed.
    expect((await a.inject({ url: `/api/statistics/fairness?machine=all&seed=9&${FAST}` })).statusCode).toBe(200);
    await a.close();
    busyDb.close();
  });
});

describe('GET /api/statistics/fairness with nothing stored', () => {
  it('is 409 NO_DATA', async () => {
    const empty = openDb(':memory:');
    const a = buildApp({ db: empty, fairness: { compute } });
    await a.ready();
    const res = await a.inject({ url: '/api/statistics/fairness' });
    expect(res.statusCode).toBe(409);
    expect(envelopeOf(res).error.code).toBe('NO_DATA');
    await a.close();
    empty.close();
  });
});
