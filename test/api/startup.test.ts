// What a fresh install does when `hogi serve` starts: the shipped history into an empty database,
// a background sync that says plainly when it cannot reach the sites, and the served models
// trained in the background (fakes here: no network, no real training) with progress in health.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/env.js';
import { OfflineError } from '../../src/data/sync/http.js';
import type { SyncSummary } from '../../src/data/sync/syncService.js';
import { modelKey, modelStore } from '../../src/service/modelStore.js';
import type { TrainEvent, TrainResult } from '../../src/service/training.js';
import type { TrainFn } from '../../src/service/weeklyCycle.js';
import { E_SPEC, saveFake, T_SPEC } from '../service/predictionFakes.js';

let dir: string;
let lines: Array<{ level: number; msg: string }>;
let server: RunningServer | null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-startup-'));
  lines = [];
  server = null;
});
afterEach(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const logger = () => pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) });
const logged = (re: RegExp) => lines.filter((l) => re.test(l.msg));

/** Training as the worker does it, with stand-in models; waits for `gate`, and reports through onEvent. */
function gatedTrain(gate: Promise<void>, seen: { targets: number; draws: number; emit?: (e: TrainEvent) => void }): TrainFn {
  return (input, onEvent) => {
    seen.targets = input.targets.length;
    seen.draws = input.draws.length;
    seen.emit = onEvent;
    const done = (async () => {
      await gate;
      return input.targets.map((t): TrainResult => {
        saveFake(input.modelsDir, t.family, t.machine, t.family === 'transformer' ? T_SPEC : E_SPEC, { createdAt: 'startup', trainedThrough: input.draws.at(-1)!.round });
        const key = modelKey(t.family, t.machine, input.config);
        return { key, family: t.family, machine: t.machine, manifest: modelStore(input.modelsDir).readManifest(key), error: null, model: null };
      });
    })();
    return { done, cancel: async () => undefined };
  };
}

type SyncHealth = { scheduler: string; training: { running: boolean; models_total: number; models_done: number; fraction: number } | null };
const health = async (s: RunningServer) => ((await s.app.inject({ url: '/api/monitoring/health' })).json() as { components: { database: { total_draws: number }; sync: SyncHealth } }).components;

describe('hogi serve on a fresh install', () => {
  it('loads the shipped history into an empty database, trains the missing models in the background with progress in health, and swaps them in', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const seen: { targets: number; draws: number; emit?: (e: TrainEvent) => void } = { targets: 0, draws: 0 };
    const modelsDir = join(dir, 'models');
    server = await startServer(
      {
        dbPath: join(dir, 'hogi.db'), host: '127.0.0.1', port: 0, logger: logger(), handleSignals: false, warmPredictions: false, modelsDir,
        schedule: false,
        startupSync: async () => {
          throw new OfflineError('https://www.dhlottery.co.kr/lt645/selectPstLt645Info.do', 'ENOTFOUND');
        },
        startupTraining: { train: gatedTrain(gate, seen) },
      },
      loadConfig({}),
    );
    expect(server.seeded).toMatchObject({ loaded: true, draws: 1245, labelled: 979, prizeTiers: 1238, latestRound: 1245 });
    expect(logged(/empty database: loaded the shipped history, 1245 draws/)).toHaveLength(1);

    // The background sync could not reach the site: said plainly, the shipped history keeps serving.
    await server.startup.sync;
    const [warn] = logged(/could not fetch newer draws/);
    expect(warn.msg).toMatch(/serving the shipped history up to round 1245 \(2026-10-10\)\. Run `hogi sync` once online\./);
    expect(warn.level).toBe(40);

    // Training runs in the background: the six served models on all 1245 draws, progress in health.
    for (let i = 0; seen.emit === undefined; i++) {
      if (i > 2000) throw new Error('start-up training never started');
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(seen).toMatchObject({ targets: 6, draws: 1245 });
    seen.emit!({ type: 'start', key: 'ensemble-m1-small', family: 'ensemble', machine: 1, total: 6 });
    seen.emit!({ type: 'progress', key: 'ensemble-m1-small', value: 3, total: 6, loss: null, valLoss: null, detail: '' });
    const during = await health(server);
    expect(during.database.total_draws).toBe(1245);
    expect(during.sync.scheduler).toBe('off');
    expect(during.sync.training).toMatchObject({ running: true, models_total: 6, models_done: 0 });
    expect(during.sync.training!.fraction).toBeCloseTo(0.5 / 6, 12);
    const models = (await server.app.inject({ url: '/api/monitoring/health' })).json() as { components: { ml_models: { models_loaded: number } } };
    expect(models.components.ml_models.models_loaded).toBe(0);

    open();
    await server.startup.training;
    expect((await health(server)).sync.training).toBeNull();
    expect(modelStore(modelsDir).list().map((e) => e.key).sort()).toEqual(
      ['ensemble-m1-small', 'ensemble-m2-small', 'ensemble-m3-small', 'transformer-m1-small', 'transformer-m2-small', 'transformer-m3-small'],
    );
    expect(logged(/start-up training: trained 6 model\(s\) on rounds 1–1245/)).toHaveLength(1);
  });

  it('fetches newer rounds in the background after loading the history, and trains nothing when the models exist', async () => {
    const modelsDir = join(dir, 'models');
    for (const family of ['ensemble', 'transformer'] as const) for (const m of [1, 2, 3]) saveFake(modelsDir, family, m, family === 'transformer' ? T_SPEC : E_SPEC, { createdAt: 'old', trainedThrough: 1245 });
    let trained = false;
    server = await startServer(
      {
        dbPath: join(dir, 'hogi.db'), host: '127.0.0.1', port: 0, logger: logger(), handleSignals: false, warmPredictions: false, modelsDir, schedule: false,
        startupSync: async () => ({ added: 2, latestRound: 1247 }) as SyncSummary,
        startupTraining: { train: () => ((trained = true), { done: Promise.resolve([]), cancel: async () => undefined }) },
      },
      loadConfig({}),
    );
    await server.startup.sync;
    await server.startup.training;
    expect(logged(/background sync: added 2 round\(s\) after the shipped history, now up to round 1247/)).toHaveLength(1);
    expect(trained).toBe(false);
  });

  it('leaves a database with draws alone: no history loaded, no background sync', async () => {
    const dbPath = join(dir, 'hogi.db');
    const first = await startServer({ dbPath, host: '127.0.0.1', port: 0, logger: false, handleSignals: false, warmPredictions: false, schedule: false, startupSync: false, startupTraining: false }, loadConfig({}));
    await first.close();
    let synced = false;
    server = await startServer(
      {
        dbPath, host: '127.0.0.1', port: 0, logger: logger(), handleSignals: false, warmPredictions: false, schedule: false, startupTraining: false,
        startupSync: async () => ((synced = true), {} as SyncSummary),
      },
      loadConfig({}),
    );
    expect(server.seeded?.loaded).toBe(false);
    expect(server.startup.sync).toBeNull();
    expect(synced).toBe(false);
    expect(server.app.cycle).toBeNull();
  });

  it('keeps an empty database empty with HOGI_SNAPSHOT=0, and trains nothing without draws', async () => {
    server = await startServer(
      { dbPath: join(dir, 'hogi.db'), host: '127.0.0.1', port: 0, logger: logger(), handleSignals: false, warmPredictions: false, schedule: false, startupSync: false, modelsDir: join(dir, 'm') },
      loadConfig({ HOGI_SNAPSHOT: '0' }),
    );
    expect(server.seeded).toBeNull();
    expect((await health(server)).database.total_draws).toBe(0);
    expect(server.startup.training).toBeNull();
  });
});
