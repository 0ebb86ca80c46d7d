import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { sync } from '../../src/data/sync/syncService.js';
import type { Draw } from '../../src/domain/draw.js';
import { modelKey, modelStore } from '../../src/service/modelStore.js';
import { PredictionService } from '../../src/service/predictions/service.js';
import type { TrainEvent, TrainResult, TrainTarget } from '../../src/service/training.js';
import { formatKst, nextWeeklyRun, WeeklyCycle, type CycleTimers, type TrainFn } from '../../src/service/weeklyCycle.js';
import { startFixtureServer, type FixtureServer } from '../data/sync/fixtureServer.js';
import { loadHistoryDraws } from '../helpers/history.js';
import { E_SPEC, fakeLoader, saveFake, tempModelsDir, T_SPEC, type FakeSpec } from './predictionFakes.js';
import { clockAfterDraw } from '../helpers/clock.js';

/** A clock and timers under the test's control: firing a timer moves the clock to its time. */
class FakeTime implements CycleTimers {
  t: number;
  timers: Array<{ at: number; fn: () => void; id: number }> = [];
  delays: number[] = [];
  private nextId = 1;
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  now = () => new Date(this.t);
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    this.delays.push(ms);
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== h);
  }
  /** Wait (real time) until a timer is armed. */
  async waitArmed(): Promise<void> {
    for (let i = 0; this.timers.length === 0; i++) {
      if (i > 2000) throw new Error('no timer was armed');
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  /** Wait until a timer is armed, then fire the earliest. */
  async fireNext(): Promise<number> {
    await this.waitArmed();
    this.timers.sort((a, b) => a.at - b.at);
    const next = this.timers.shift()!;
    this.t = Math.max(this.t, next.at);
    next.fn();
    return next.at;
  }
}

const KEYS = (['ensemble', 'transformer'] as const).flatMap((family) => ([1, 2, 3] as const).map((machine) => ({ family, machine })));
const specOf = (family: 'ensemble' | 'transformer'): FakeSpec => (family === 'transformer' ? T_SPEC : E_SPEC);

/** Training as the worker does it (saved into the store it is given), with fakes; `failing` keys report an error. */
function fakeTrain(options: { createdAt: string; failing?: string[]; gate?: Promise<void>; calls?: Array<{ draws: number; dir: string }> }): TrainFn {
  return (input) => {
    options.calls?.push({ draws: input.draws.length, dir: input.modelsDir });
    const done = (async () => {
      await options.gate;
      return input.targets.map((t): TrainResult => {
        const key = modelKey(t.family, t.machine, input.config);
        if (options.failing?.includes(key)) return { key, family: t.family, machine: t.machine, manifest: null, error: 'loss diverged', model: null };
        saveFake(input.modelsDir, t.family, t.machine, specOf(t.family), { createdAt: options.createdAt, trainedThrough: input.draws.at(-1)!.round });
        return { key, family: t.family, machine: t.machine, manifest: modelStore(input.modelsDir).readManifest(key), error: null, model: null };
      });
    })();
    return { done, cancel: async () => undefined };
  };
}

let history: Draw[];
let fx: FixtureServer;
let db: Db;
let dir: string;
let service: PredictionService;
const LATEST = 1200;

beforeAll(async () => {
  history = loadHistoryDraws().filter((d) => d.round <= LATEST);
  fx = await startFixtureServer({ draws: history.slice(0, -1) });
});
afterAll(() => fx.close());

beforeEach(() => {
  fx.state.draws = history.slice(0, -1);
  db = openDb(':memory:');
  drawsRepo(db).upsertMany(history.slice(0, -1), '2026-01-01T00:00:00.000Z');
  dir = tempModelsDir();
  for (const k of KEYS) saveFake(dir, k.family, k.machine, specOf(k.family), { createdAt: 'v1', trainedThrough: LATEST - 1 });
  service = new PredictionService({ db, modelsDir: dir, runner: 'in-process', loaders: fakeLoader().loaders, timeoutMs: 5000, modelsCheckMs: 0, now: clockAfterDraw(LATEST - 1) });
});
afterEach(async () => {
  await service.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const syncFromFixture = () => () =>
  sync({ repo: drawsRepo(db), dhlotteryUrl: fx.dhlotteryUrl, lottotapaUrl: fx.lottotapaUrl, http: { timeoutMs: 5000, retries: 0, minIntervalMs: 0, sleep: async () => undefined } });

const servedVersions = async () => {
  const v = await service.vectors();
  return [...v.machines.values()].flatMap((m) => [m.ensemble.model?.createdAt, m.transformer.model?.createdAt]);
};

describe('the weekly sync-and-retrain cycle', () => {
  it('runs Saturdays at 21:00 KST: the next run is computed in KST whatever the host time zone', () => {
    // Tuesday 2026-11-24 08:00 UTC = 17:00 KST → Saturday 2026-11-28 21:00 KST = 12:00 UTC.
    const at = { weekday: 6, hour: 21, minute: 0 };
    expect(nextWeeklyRun(new Date('2026-11-24T08:00:00Z'), at).toISOString()).toBe('2026-11-28T12:00:00.000Z');
    // Saturday 20:59 KST is still before this week's run; 21:00 exactly is past it.
    expect(nextWeeklyRun(new Date('2026-11-28T11:59:00Z'), at).toISOString()).toBe('2026-11-28T12:00:00.000Z');
    expect(nextWeeklyRun(new Date('2026-11-28T12:00:00Z'), at).toISOString()).toBe('2026-12-05T12:00:00.000Z');
    // Friday 23:30 UTC is already Saturday 08:30 in Korea.
    expect(nextWeeklyRun(new Date('2026-11-27T23:30:00Z'), at).toISOString()).toBe('2026-11-28T12:00:00.000Z');
    expect(formatKst(new Date('2026-11-28T12:00:00Z'))).toBe('2026-11-28 21:00 KST');
  });

  it('waits for the draw with backoff, then scores, retrains in the background while serving the old models, and swaps the new ones in', async () => {
    const time = new FakeTime('2026-11-24T08:00:00Z');
    // A prediction for the round about to be drawn, made while the old models serve.
    const before = await service.generate({ machine: 1, count: 3, source: 'cli' });
    expect(before.metadata.target_round).toBe(LATEST);
    expect(await servedVersions()).toEqual(Array(6).fill('v1'));

    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const calls: Array<{ draws: number; dir: string }> = [];
    const cycle = new WeeklyCycle({
      db,
      predictions: service,
      sync: syncFromFixture(),
      train: fakeTrain({ createdAt: 'v2', gate, calls }),
      now: time.now,
      timers: time,
      retry: { firstMs: 5 * 60_000, maxMs: 3600_000, giveUpMs: 86_400_000 },
    });
    cycle.start();
    expect(cycle.status()).toMatchObject({ enabled: true, phase: 'idle', next_run: '2026-11-28T12:00:00.000Z', next_run_kst: '2026-11-28 21:00 KST' });

    // Saturday 21:00 KST: the site does not list the round yet, so the cycle waits 5 minutes.
    await time.fireNext();
    await time.waitArmed();
    expect(time.delays.at(-1)).toBe(5 * 60_000);
    expect(cycle.status()).toMatchObject({ phase: 'waiting_for_draw', next_run: '2026-11-28T12:05:00.000Z' });
    await time.fireNext();
    await time.waitArmed();
    expect(time.delays.at(-1)).toBe(10 * 60_000); // the second attempt found nothing either: the wait doubles
    expect(drawsRepo(db).latest()!.round).toBe(LATEST - 1);

    // The draw is published; the next attempt stores it.
    fx.state.draws = history;
    await time.fireNext();
    for (let i = 0; calls.length === 0; i++) {
      if (i > 2000) throw new Error('training never started');
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(drawsRepo(db).latest()!.round).toBe(LATEST);
    // Trained on the whole new history, into a staging store, not the served directory.
    expect(calls[0].draws).toBe(LATEST);
    expect(calls[0].dir).not.toBe(dir);
    expect(cycle.status().phase).toBe('training');

    // Serving goes on during training, with the old models, for the next round.
    const during = await service.generate({ machine: 2, count: 2, seed: 5, source: 'cli' });
    expect(during.metadata.target_round).toBe(LATEST + 1);
    expect(await servedVersions()).toEqual(Array(6).fill('v1'));

    open();
    const run = (await cycle.runNow())!;
    expect(run.outcome).toBe('updated');
    expect(run.sync_attempts).toBe(3);
    expect(run.expected_round).toBe(LATEST);
    expect(run.retrained.sort()).toEqual(KEYS.map((k) => modelKey(k.family, k.machine, 'small')).sort());
    // The stored prediction for the drawn round was scored.
    expect(run.scored!.sets).toBeGreaterThanOrEqual(3);
    expect(service.get(before.request_id)!.status).toBe('scored');
    // New models serve at once, for every machine and family.
    expect(await servedVersions()).toEqual(Array(6).fill('v2'));
    // The weekly timer is armed again for the next Saturday; the run is kept for health.
    expect(cycle.status().next_run).toBe('2026-12-05T12:00:00.000Z');
    expect(cycle.status().last_run).toMatchObject({ outcome: 'updated', latest_round: LATEST });
    await cycle.stop();
    expect(cycle.status()).toMatchObject({ enabled: false, next_run: null });
  });

  it('re-exports the retrained models for ONNX serving once they are swapped in (the old exports are of an earlier training)', async () => {
    const time = new FakeTime('2026-11-28T12:00:00Z');
    fx.state.draws = history;
    const seen: string[][] = [];
    const predictions = {
      modelsDir: dir,
      config: 'small' as const,
      score: () => service.score(),
      invalidate: () => service.invalidate(),
      // What the export would see: the models in place when it runs.
      refreshOnnxExports: async () => {
        seen.push(modelStore(dir).list().map((e) => `${e.key}@${e.manifest!.createdAt}`));
        return { exported: [], failures: [] };
      },
    };
    const run = (await new WeeklyCycle({ db, predictions, sync: syncFromFixture(), train: fakeTrain({ createdAt: 'v2' }), now: time.now, timers: time }).runNow())!;
    expect(run.outcome).toBe('updated');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toHaveLength(6);
    expect(seen[0].every((k) => k.endsWith('@v2'))).toBe(true);
  });

  it('keeps the previous model of every key whose retrain fails, and reports which', async () => {
    const time = new FakeTime('2026-11-28T12:00:00Z');
    fx.state.draws = history;
    const failing = [modelKey('transformer', 2, 'small'), modelKey('ensemble', 3, 'small')];
    const cycle = new WeeklyCycle({ db, predictions: service, sync: syncFromFixture(), train: fakeTrain({ createdAt: 'v2', failing }), now: time.now, timers: time });
    const run = (await cycle.runNow())!;
    expect(run.outcome).toBe('retrain_failed');
    expect(run.failed.map((f) => f.key).sort()).toEqual([...failing].sort());
    expect(run.failed[0].error).toBe('loss diverged');
    const v = await service.vectors();
    expect(v.machines.get(2)!.transformer.model!.createdAt).toBe('v1');
    expect(v.machines.get(3)!.ensemble.model!.createdAt).toBe('v1');
    expect(v.machines.get(1)!.transformer.model!.createdAt).toBe('v2');
    expect(v.machines.get(2)!.ensemble.model!.createdAt).toBe('v2');
    // A training worker that dies keeps every model as it was.
    const crashing: TrainFn = () => ({ done: Promise.reject(new Error('worker exited with code 1')), cancel: async () => undefined });
    const next = loadHistoryDraws().find((d) => d.round === LATEST + 1)!;
    const addNext = async () => {
      drawsRepo(db).upsertMany([next], '2026-12-05T12:00:00.000Z');
      return {} as never;
    };
    const versions = await servedVersions();
    const run2 = (await new WeeklyCycle({ db, predictions: service, sync: addNext, train: crashing, now: time.now, timers: time }).runNow())!;
    expect(run2.outcome).toBe('retrain_failed');
    expect(run2.retrained).toEqual([]);
    expect(run2.failed.every((f) => f.error.includes('worker exited'))).toBe(true);
    expect(await servedVersions()).toEqual(versions);
  });

  it('gives up after the configured time when the round never appears, without retraining, backing off 2× up to the cap', async () => {
    const time = new FakeTime('2026-11-28T12:00:00Z');
    const calls: Array<{ draws: number; dir: string }> = [];
    const cycle = new WeeklyCycle({
      db,
      predictions: service,
      sync: syncFromFixture(),
      train: fakeTrain({ createdAt: 'v2', calls }),
      now: time.now,
      timers: time,
      retry: { firstMs: 1000, maxMs: 4000, giveUpMs: 20_000 },
    });
    const running = cycle.runNow();
    // Independently: waits of min(4000, 1000·2^k) while the total stays within 20 s.
    const expected: number[] = [];
    for (let k = 0, total = 0; ; k++) {
      const d = Math.min(4000, 1000 * 2 ** k);
      if (total + d > 20_000) break;
      expected.push(d);
      total += d;
    }
    for (let i = 0; i < expected.length; i++) await time.fireNext();
    const run = (await running)!;
    expect(time.delays).toEqual(expected);
    expect(run.outcome).toBe('no_new_draw');
    expect(run.sync_attempts).toBe(expected.length + 1);
    expect(calls).toHaveLength(0);
    expect(await servedVersions()).toEqual(Array(6).fill('v1'));
  });

  it('survives a cycle that fails outside the handled steps: logged, and next week is armed again', async () => {
    const time = new FakeTime('2026-11-28T11:00:00Z');
    const errors: string[] = [];
    fx.state.draws = history;
    const broken = { modelsDir: dir, config: 'small' as const, invalidate: () => undefined, score: () => {
      throw new Error('database is locked');
    } };
    const cycle = new WeeklyCycle({
      db,
      predictions: broken,
      sync: syncFromFixture(),
      now: time.now,
      timers: time,
      logger: { info: () => undefined, warn: () => undefined, error: (_o, m) => void errors.push(m) },
    });
    cycle.start();
    expect(await time.fireNext()).toBe(Date.parse('2026-11-28T12:00:00Z'));
    await time.waitArmed();
    expect(errors).toEqual(['weekly cycle failed']);
    expect(cycle.status()).toMatchObject({ phase: 'idle', next_run: '2026-12-05T12:00:00.000Z' });
    await cycle.stop();
  });

  it('shows the retrain\'s progress in health while it trains (models done, the current model\'s epochs, overall fraction), and null after', async () => {
    const time = new FakeTime('2026-11-28T12:00:00Z');
    fx.state.draws = history;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const calls: Array<{ draws: number; dir: string }> = [];
    const inner = fakeTrain({ createdAt: 'v2', gate, calls });
    let emit: ((e: TrainEvent) => void) | undefined;
    let targets: TrainTarget[] = [];
    const train: TrainFn = (input, onEvent) => {
      emit = onEvent;
      targets = input.targets;
      return inner(input);
    };
    const app = buildApp({ db, predictions: service, schedule: { now: time.now, timers: time, sync: syncFromFixture(), train } });
    await app.ready();
    type Training = { running: boolean; models_total: number; models_done: number; current: Record<string, unknown> | null; fraction: number; started_at: string } | null;
    const health = async () => ((await app.inject({ url: '/api/monitoring/health' })).json() as { components: { sync: { phase: string; training: Training } } }).components.sync;

    expect((await health()).training).toBeNull();
    const running = app.cycle!.runNow();
    for (let i = 0; calls.length === 0; i++) {
      if (i > 2000) throw new Error('training never started');
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(targets).toHaveLength(KEYS.length);
    const startedAt = time.now().toISOString();
    expect(await health()).toMatchObject({
      phase: 'training',
      training: { running: true, models_total: KEYS.length, models_done: 0, current: null, fraction: 0, started_at: startedAt },
    });

    // The first model trains its 6 steps and is done; the second reaches epoch 12 of 20.
    const key = (t: TrainTarget) => modelKey(t.family, t.machine, 'small');
    const [a, b, c] = targets;
    emit!({ type: 'start', key: key(a), family: a.family, machine: a.machine, total: 6 });
    emit!({ type: 'progress', key: key(a), value: 3, total: 6, loss: null, valLoss: null, detail: '' });
    expect((await health()).training).toMatchObject({ models_done: 0, current: { key: key(a), value: 3, total: 6 } });
    expect((await health()).training!.fraction).toBeCloseTo(3 / 6 / KEYS.length, 12);
    emit!({ type: 'progress', key: key(a), value: 6, total: 6, loss: null, valLoss: null, detail: '' });
    emit!({ type: 'done', key: key(a), manifest: modelStore(dir).readManifest(key(a)) });
    emit!({ type: 'start', key: key(b), family: b.family, machine: b.machine, total: 20 });
    emit!({ type: 'progress', key: key(b), value: 12, total: 20, loss: 0.7, valLoss: 0.71, detail: 'epoch 12' });
    const mid = (await health()).training!;
    expect(mid).toMatchObject({ running: true, models_total: KEYS.length, models_done: 1, current: { key: key(b), family: b.family, machine: b.machine, value: 12, total: 20 } });
    expect(mid.fraction).toBeCloseTo((1 + 12 / 20) / KEYS.length, 12);
    // A model that fails still counts as finished; between models there is no current one.
    emit!({ type: 'failed', key: key(b), error: 'loss diverged' });
    const between = (await health()).training!;
    expect(between).toMatchObject({ models_done: 2, current: null });
    expect(between.fraction).toBeCloseTo(2 / KEYS.length, 12);
    emit!({ type: 'start', key: key(c), family: c.family, machine: c.machine, total: 20 });
    expect((await health()).training!.current).toMatchObject({ key: key(c), value: 0, total: 20 });

    open();
    expect((await running)!.outcome).toBe('updated');
    expect(await health()).toMatchObject({ phase: 'idle', training: null });
    await app.close();
  });

  it('is on in a served app unless turned off, and health shows the next run in KST', async () => {
    const on = buildApp({ db, predictions: service, schedule: { now: () => new Date('2026-11-24T08:00:00Z'), sync: async () => ({}) as never } });
    await on.ready();
    const h = (await on.inject({ url: '/api/monitoring/health' })).json() as { components: { sync: Record<string, unknown> } };
    expect(h.components.sync).toMatchObject({ scheduler: 'on', schedule: 'Saturdays 21:00 KST', next_run: '2026-11-28T12:00:00.000Z', next_run_kst: '2026-11-28 21:00 KST' });
    await on.close();
    const off = buildApp({ db, predictions: service, schedule: false });
    await off.ready();
    const h2 = (await off.inject({ url: '/api/monitoring/health' })).json() as { components: { sync: Record<string, unknown> } };
    expect(h2.components.sync).toMatchObject({ scheduler: 'off', next_run: null });
    await off.close();
  });
});
