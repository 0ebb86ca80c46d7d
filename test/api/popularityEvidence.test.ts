// GET /api/popularity/evidence: the walk-forward backtest of the popularity model, run off the
// request thread, with progress while it runs, kept per (stored data, window) once done, and 4xx
// for windows the stored data cannot serve. Real rounds 1060–1238 (test fixture), a 10-round window.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openDb, type Db } from '../../src/data/db.js';
import type { PopularityBacktestReport } from '../../src/service/popularity/backtest.js';
import type { EvidenceCompute, EvidenceServiceOptions } from '../../src/service/popularity/evidence.js';
import type { PrizeRound } from '../../src/domain/prizeRound.js';
import { fixtureRounds } from '../models/popularity/fixture.js';

const rounds = fixtureRounds();
const dbs: Db[] = [];
const apps: FastifyInstance[] = [];
const clock = () => new Date('2026-12-05T12:00:00.000Z');

async function appWith(evidence: EvidenceServiceOptions, source: () => PrizeRound[] = () => rounds) {
  const db = openDb(':memory:');
  const app = buildApp({ db, popularity: { source, evidence: { now: clock, ...evidence } } });
  await app.ready();
  dbs.push(db);
  apps.push(app);
  return app;
}

/** A compute that waits until released, reporting the progress it is told to. */
function held() {
  let release: (r: PopularityBacktestReport) => void = () => undefined;
  let fail: (e: Error) => void = () => undefined;
  let report: ((done: number, total: number) => void) | null = null;
  const calls: Array<{ from: number; to: number; retrainEvery: number; rounds: number }> = [];
  const compute: EvidenceCompute = (input, onProgress) => {
    calls.push({ from: input.from, to: input.to, retrainEvery: input.retrainEvery, rounds: input.rounds.length });
    report = onProgress;
    return new Promise((res, rej) => {
      release = res;
      fail = rej;
    });
  };
  return { compute, calls, progress: (d: number, t: number) => report?.(d, t), release: (r: PopularityBacktestReport) => release(r), fail: (e: Error) => fail(e) };
}

let real: FastifyInstance;
beforeAll(async () => {
  real = await appWith({});
});
afterAll(async () => {
  for (const a of apps) await a.close();
  for (const d of dbs) d.close();
});

describe('GET /api/popularity/evidence', () => {
  it('starts the backtest in a worker, answers 202 with progress, then 200 with the evidence per tier, and serves it again from the cache', async () => {
    const url = '/api/popularity/evidence?from=1229&to=1238&retrain_every=10';
    const first = await real.inject({ url });
    expect(first.statusCode).toBe(202);
    expect(first.headers['retry-after']).toBe('2');
    const started = first.json();
    expect(['queued', 'running']).toContain(started.status);
    expect(started.window).toEqual({ from: 1229, to: 1238, retrain_every: 10, rounds: 10 });
    expect(started.evidence).toBeNull();
    expect(started.progress.total).toBe(10);
    await real.popularityEvidence.idle();
    const done = await real.inject({ url });
    expect(done.statusCode).toBe(200);
    const body = done.json();
    expect(body.status).toBe('done');
    expect(body.progress).toEqual({ done: 10, total: 10, fraction: 1 });
    expect(body.started_at).toBe('2026-12-05T12:00:00.000Z');
    expect(body.data_through).toBe(1238);
    for (const k of ['1', '2', '3', '4', '5']) {
      const t = body.evidence.tiers[k];
      expect(t.n, k).toBe(10);
      expect(t.quintiles.map((q: { quintile: number }) => q.quintile)).toEqual([1, 2, 3, 4, 5]);
      expect(t.quintiles.reduce((s: number, q: { n: number }) => s + q.n, 0)).toBe(10);
      expect(t.calibration).toHaveLength(10);
      expect(t.pearson_ci95.low).toBeLessThanOrEqual(t.pearson_ci95.high);
      expect(t.permutation_p).toBeGreaterThan(0);
      expect(t.permutation_p).toBeLessThanOrEqual(1);
      // The quintile ratio is the most popular quintile's realized mean over the least popular's.
      expect(t.quintile_ratio).toBeCloseTo(t.quintiles[4].mean_realized_ratio / t.quintiles[0].mean_realized_ratio, 10);
    }
    expect(body.evidence.tiers['4'].goal).toMatchObject({ tier: '4', target: 0.8 });
    expect(body.evidence.tiers['2'].goal).toBeNull();
    expect(body.peers.map((p: { value: number }) => p.value)).toEqual([0.613, 0.695]);
    expect(body.note.ko).toContain('당첨 확률은 바꾸지 않습니다');
    expect(body.note.en).toContain('never the chance of winning');
    expect(real.popularityEvidence.runs).toBe(1);
    const again = await real.inject({ url });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(body);
    expect(real.popularityEvidence.runs).toBe(1);
  }, 120_000);

  it('by default scores the last 300 rounds with all five tiers (no earlier than the 53rd), refitted every 10, and shows the progress the run reports', async () => {
    const h = held();
    const app = await appWith({ compute: h.compute });
    const res = await app.inject({ url: '/api/popularity/evidence' });
    expect(res.statusCode).toBe(202);
    // The fixture holds 1060–1238: 52 rounds train the first fit, so the default window starts at 1112.
    expect(res.json().window).toEqual({ from: 1112, to: 1238, retrain_every: 10, rounds: 127 });
    h.progress(40, 127);
    const mid = (await app.inject({ url: '/api/popularity/evidence' })).json();
    expect(mid.status).toBe('running');
    expect(mid.progress).toEqual({ done: 40, total: 127, fraction: 40 / 127 });
    expect(h.calls).toEqual([{ from: 1112, to: 1238, retrainEvery: 10, rounds: rounds.length }]);
  });

  it('a failed run says why once, and the next request starts it again', async () => {
    const h = held();
    const app = await appWith({ compute: h.compute });
    const url = '/api/popularity/evidence?from=1200&to=1238';
    expect((await app.inject({ url })).statusCode).toBe(202);
    h.fail(new Error('worker ran out of memory'));
    await app.popularityEvidence.idle();
    const failed = await app.inject({ url });
    expect(failed.statusCode).toBe(200);
    expect(failed.json()).toMatchObject({ status: 'failed', error: 'worker ran out of memory', evidence: null });
    expect((await app.inject({ url })).statusCode).toBe(202);
    expect(h.calls).toHaveLength(2);
  });

  it('runs one window at a time and answers 429 with Retry-After when too many other windows wait', async () => {
    const h = held();
    const app = await appWith({ compute: h.compute, maxQueued: 1 });
    expect((await app.inject({ url: '/api/popularity/evidence?from=1200&to=1238' })).statusCode).toBe(202);
    const queued = await app.inject({ url: '/api/popularity/evidence?from=1210&to=1238' });
    expect(queued.statusCode).toBe(202);
    expect(queued.json().status).toBe('queued');
    const refused = await app.inject({ url: '/api/popularity/evidence?from=1220&to=1238' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.json().error.message).toMatch(/try again shortly/);
    expect(h.calls).toHaveLength(1);
  });

  it('refuses windows the stored data cannot serve with 422 naming the parameter', async () => {
    const app = await appWith({ compute: held().compute });
    const cases: Array<[string, string, RegExp]> = [
      ['from=1230&to=1220', 'from', /after to/],
      ['to=1300', 'to', /after the last round with all five prize tiers \(1238\)/],
      ['from=1070', 'from', /1112 or later/],
      ['from=1230&to=1235', 'to', /at least 10 are needed/],
      ['retrain_every=1', 'retrain_every', /at most 100/],
      ['retrain_every=0', 'retrain_every', /./],
      ['from=abc', 'from', /./],
    ];
    for (const [q, field, message] of cases) {
      const res = await app.inject({ url: `/api/popularity/evidence?${q}` });
      expect(res.statusCode, q).toBe(422);
      expect(res.json().error.field, q).toBe(field);
      expect(res.json().error.message, q).toMatch(message);
    }
  });

  it('answers 409 NO_DATA saying what to load when the prize tiers are not stored', async () => {
    const app = await appWith({ compute: held().compute }, () => rounds.map((r) => ({ ...r, winners: [r.winners[0], null, null, null, null] })));
    const res = await app.inject({ url: '/api/popularity/evidence' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('NO_DATA');
    expect(res.json().error.message).toMatch(/prize tiers/);
  });

  it('is documented in OpenAPI with its parameters and the 202 answer', async () => {
    const doc = (await real.inject({ url: '/openapi.json' })).json();
    const op = doc.paths['/api/popularity/evidence'].get;
    expect(op.operationId).toBe('getPopularityEvidence');
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['from', 'retrain_every', 'to']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '202', '409', '422', '429']));
  });
});
