// Inference in worker threads: real timeouts on stuck synchronous code, and real trained
// models (small config, pooled, on a slice of the history) served off the main thread.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import type { Draw } from '../../src/domain/draw.js';
import { LotteryTransformer } from '../../src/models/transformer/index.js';
import { initTf } from '../../src/runtime/tfjs.js';
import { ModelManager } from '../../src/service/modelManager.js';
import { modelStore } from '../../src/service/modelStore.js';
import type { ModelRef } from '../../src/service/predictions/inference.js';
import { parallelInference, type PredictionLogger } from '../../src/service/predictions/parallel.js';
import { workerRunner } from '../../src/service/predictions/runners.js';
import { PredictionService } from '../../src/service/predictions/service.js';
import { MODEL_LOADERS } from '../../src/service/registry.js';
import { trainModels, trainTargets } from '../../src/service/training.js';
import { satisfiesConstraints, strategyFor } from '../../src/strategies/index.js';
import { loadHistoryDraws } from '../helpers/history.js';
import { tempModelsDir } from './predictionFakes.js';

const history = loadHistoryDraws().filter((d) => d.round >= 262 && d.round <= 640);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const ref = (key: string, family: 'transformer' | 'ensemble'): ModelRef => ({
  key,
  family,
  machine: 'all',
  config: 'small',
  createdAt: '2026-01-01T00:00:00.000Z',
  dataHash: 'x',
  trainedThroughRound: 1,
  features: [],
});

describe('worker runner', () => {
  it('ends a family stuck in synchronous code at its timeout, keeps the other family and the main thread going, and starts a fresh worker next time', async () => {
    const dir = tempModelsDir();
    dirs.push(dir);
    const runner = workerRunner({ modelsDir: dir, workerUrl: new URL('./fixtures/stallingInferenceWorker.ts', import.meta.url) });
    const logged: string[] = [];
    const logger: PredictionLogger = { info: () => undefined, warn: () => undefined, error: (_o, m) => logged.push(m ?? '') };
    const job = (family: 'transformer' | 'ensemble', key: string) => ({ family, draws: history, targets: [1, 2, 3].map((machine) => ({ machine, model: ref(key, family) })) });
    try {
      // Start both workers without time pressure (booting a worker from source takes a while).
      const warm = await parallelInference(runner, [{ family: 'transformer', job: job('transformer', 'transformer-all-small'), absent: [] }, { family: 'ensemble', job: job('ensemble', 'ensemble-all-small'), absent: [] }], { timeoutMs: 60_000 });
      expect(warm.byMachine.get(1)!.transformer!.status).toBe('ok');

      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const res = await parallelInference(
        runner,
        [
          { family: 'transformer', job: job('transformer', 'transformer-stall-small'), absent: [] },
          { family: 'ensemble', job: job('ensemble', 'ensemble-all-small'), absent: [] },
        ],
        { timeoutMs: 500, logger },
      );
      clearInterval(timer);
      for (const m of [1, 2, 3]) {
        expect(res.byMachine.get(m)!.transformer!.status).toBe('timeout');
        expect(res.byMachine.get(m)!.ensemble!.status).toBe('ok');
      }
      expect(ticks).toBeGreaterThan(0); // the stuck family never blocked this thread
      expect(logged.some((m) => /transformer inference timed out/.test(m))).toBe(true);

      const again = await parallelInference(runner, [{ family: 'transformer', job: job('transformer', 'transformer-all-small'), absent: [] }], { timeoutMs: 60_000 });
      expect(again.byMachine.get(2)!.transformer!.status).toBe('ok');
    } finally {
      await runner.close();
    }
  });
});

describe('serving trained models from worker threads', () => {
  let db: Db;
  let dir: string;
  let service: PredictionService;

  beforeAll(async () => {
    await initTf('wasm');
    dir = tempModelsDir();
    dirs.push(dir);
    const results = await trainModels(history, modelStore(dir), { targets: trainTargets(['all'], ['ensemble', 'transformer']), config: 'small', seed: 3 });
    expect(results.map((r) => r.error)).toEqual([null, null]);
    db = openDb(':memory:');
    drawsRepo(db).upsertMany(history, '2026-01-01T00:00:00.000Z');
    service = new PredictionService({ db, modelsDir: dir, timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await service?.close();
    db?.close();
  });

  it("computes both families' vectors for the three machines off the main thread; the pooled Transformer's equal its own predictions from each machine's draws", async () => {
    const s = await service.vectors();
    expect(s.targetRound).toBe(641);
    const own = (m: number): Draw[] => history.filter((d) => d.machine === m);
    const local = (await new ModelManager({ store: modelStore(dir), loaders: MODEL_LOADERS }).get('transformer', 'all', 'small')) as unknown as LotteryTransformer;
    const expected = local.predictBatch([own(1), own(2), own(3)]);
    for (const m of [1, 2, 3]) {
      const v = s.machines.get(m)!;
      expect(v.transformer.status).toBe('ok');
      expect(v.ensemble.status).toBe('ok');
      for (const fam of [v.transformer, v.ensemble]) expect(Array.from(fam.vector!).reduce((a, b) => a + b, 0)).toBeCloseTo(6, 6);
      Array.from(v.transformer.vector!).forEach((p, i) => expect(p).toBeCloseTo(expected[m - 1][i], 5));
    }
    // Three machines, three different windows through one model: three different vectors.
    expect(Array.from(s.machines.get(1)!.transformer.vector!)).not.toEqual(Array.from(s.machines.get(2)!.transformer.vector!));
  });

  it('generates sets from the models without fallback', async () => {
    const r = await service.generate({ machine: 'all', count: 5, seed: 42, lang: 'en' });
    expect(r.metadata.fallback).toBe(false);
    expect(r.metadata.models_used).toEqual(['transformer', 'ensemble']);
    expect(r.metadata.features_used).toContain('draw_sequence_20');
    for (const p of r.predictions) expect(satisfiesConstraints(p.numbers, strategyFor(Number(p.machine_type[0])).constraints)).toBe(true);
    expect(r.metadata.differentiation!.score).toBeGreaterThan(0);
  });
});
