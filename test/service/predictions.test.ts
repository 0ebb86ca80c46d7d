import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StackingCombiner } from '../../src/combination/stacking.js';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { predictionsRepo } from '../../src/data/predictionsRepo.js';
import type { Draw } from '../../src/domain/draw.js';
import { parallelInference, type PredictionLogger } from '../../src/service/predictions/parallel.js';
import { inProcessRunner } from '../../src/service/predictions/runners.js';
import { PredictionService, type PredictionResponse } from '../../src/service/predictions/service.js';
import { stackingPath } from '../../src/service/predictions/stacking.js';
import { satisfiesConstraints, strategyFor, InfeasibleRequestError } from '../../src/strategies/index.js';
import { modelStore } from '../../src/service/modelStore.js';
import { loadHistoryDraws } from '../helpers/history.js';
import { E_SPEC, T_SPEC, fakeLoader, fakeVector, saveFake, tempModelsDir, type FakeCalls } from './predictionFakes.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { clockAfterDraw } from '../helpers/clock.js';

const ALL = loadHistoryDraws();
const history = ALL.filter((d) => d.round <= 900);
const NOW = '2026-01-01T00:00:00.000Z';

let db: Db;
let dir: string;
let calls: FakeCalls;
let logged: Array<{ level: string; msg: string; obj: object }>;
let service: PredictionService;

const logger: PredictionLogger = {
  info: () => undefined,
  warn: (obj, msg) => logged.push({ level: 'warn', msg: msg ?? '', obj }),
  error: (obj, msg) => logged.push({ level: 'error', msg: msg ?? '', obj }),
};

function makeService(options: Partial<ConstructorParameters<typeof PredictionService>[0]> = {}): PredictionService {
  const { loaders, calls: c } = fakeLoader();
  calls = c;
  return new PredictionService({ db, modelsDir: dir, runner: 'in-process', loaders, logger, timeoutMs: 5000, modelsCheckMs: 0, now: clockAfterDraw(900), ...options });
}

beforeEach(() => {
  db = openDb(':memory:');
  drawsRepo(db).upsertMany(history, NOW);
  dir = tempModelsDir();
  logged = [];
});
afterEach(async () => {
  await service?.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const own = (draws: readonly Draw[], m: number) => draws.filter((d) => d.machine === m);
const setsOf = (r: PredictionResponse, machineType?: string) => r.predictions.filter((p) => !machineType || p.machine_type === machineType).map((p) => p.numbers);
const shared = (a: readonly number[], b: readonly number[]) => a.filter((n) => b.includes(n)).length;
const sumOver = (p: ArrayLike<number>, set: readonly number[]) => set.reduce((s, n) => s + p[n - 1], 0);

describe('prediction sets', () => {
  beforeEach(() => {
    saveFake(dir, 'transformer', 'all', T_SPEC);
    saveFake(dir, 'ensemble', 'all', E_SPEC);
  });

  it('every set has six distinct sorted numbers, meets its machine strategy, the include/exclude and the overlap limit', async () => {
    service = makeService();
    for (const machine of [1, 2, 3]) {
      for (const seed of [1, 2, 3]) {
        const include = machine === 3 ? [7] : [20];
        const exclude = [1, 2, 44];
        const r = await service.generate({ machine, count: 8, seed, include, exclude });
        expect(r.predictions).toHaveLength(8);
        const strategy = strategyFor(machine);
        for (const p of r.predictions) {
          expect(p.numbers).toHaveLength(6);
          expect(new Set(p.numbers).size).toBe(6);
          expect([...p.numbers].sort((a, b) => a - b)).toEqual(p.numbers);
          expect(satisfiesConstraints(p.numbers, strategy.constraints)).toBe(true);
          for (const n of include) expect(p.numbers).toContain(n);
          for (const n of exclude) expect(p.numbers).not.toContain(n);
          expect(p.confidence_score).toBeGreaterThanOrEqual(0);
          expect(p.confidence_score).toBeLessThanOrEqual(1);
          expect(p.algorithm_used).toBe(strategy.id);
        }
        const sets = setsOf(r);
        for (let i = 0; i < sets.length; i++) for (let j = i + 1; j < sets.length; j++) expect(shared(sets[i], sets[j])).toBeLessThanOrEqual(3);
      }
    }
  });

  it('the same seed gives the same sets, different seeds give different sets', async () => {
    service = makeService();
    const a = await service.generate({ machine: 2, count: 5, seed: 11 });
    const b = await service.generate({ machine: 2, count: 5, seed: 11 });
    const c = await service.generate({ machine: 2, count: 5, seed: 12 });
    expect(setsOf(b)).toEqual(setsOf(a));
    expect(setsOf(c)).not.toEqual(setsOf(a));
    expect(a.request_id).not.toBe(b.request_id);
    expect(a.metadata.seed).toBe(11);
  });

  it('enhanced mixes the Transformer and the ensemble 0.55 / 0.45: expected matches follow that mix', async () => {
    service = makeService();
    const r = await service.generate({ machine: 3, count: 5, seed: 4 });
    const m3 = own(history, 3);
    const pT = fakeVector(m3, T_SPEC);
    const pE = fakeVector(m3, E_SPEC);
    const mix = pT.map((t, i) => 0.55 * t + 0.45 * pE[i]);
    for (const p of r.predictions) expect(p.expected_matches).toBeCloseTo(sumOver(mix, p.numbers), 3);
    expect(r.metadata.models_used).toEqual(['transformer', 'ensemble']);
    expect(r.metadata.weights).toEqual({ transformer: 0.55, ensemble: 0.45 });
    expect(r.metadata.fallback).toBe(false);
    expect(r.metadata.target_round).toBe(901);
    expect(r.metadata.chance_expected_matches).toBeCloseTo(0.8, 12);
  });

  it('targets the next undrawn round by the calendar when the stored history has fallen behind, and stores the prediction for it', async () => {
    // History through 900 (drawn 2020-02-15); on 2026-12-05 after the 20:35 draw, round 1253 is drawn and 1254 is next.
    service = makeService({ now: () => new Date('2026-12-05T21:00:00+09:00') });
    const r = await service.generate({ machine: 1, count: 2, seed: 1 });
    expect(r.metadata.target_round).toBe(1254);
    expect(service.get(r.request_id)?.metadata.target_round).toBe(1254);
    // Before that Saturday's draw, the round drawn that evening is the one predicted.
    await service.close();
    service = makeService({ now: () => new Date('2026-12-05T20:30:00+09:00') });
    expect((await service.generate({ machine: 1, count: 2, seed: 1 })).metadata.target_round).toBe(1253);
  });

  it('--machine all sends the three machines through the pooled Transformer in one batched call, each with its own draws', async () => {
    service = makeService();
    const r = await service.generate({ machine: 'all', count: 3, seed: 5 });
    expect(calls.batches).toHaveLength(1);
    expect(calls.batches[0]).toEqual([1, 2, 3].map((m) => ({ length: own(history, m).length, machines: [m] })));
    expect(new Set(r.predictions.map((p) => p.machine_type))).toEqual(new Set(['1호기', '2호기', '3호기']));
    const d = r.metadata.differentiation!;
    const byMachine = ['1호기', '2호기', '3호기'].map((m) => new Set(setsOf(r, m).flat()));
    const all = new Set(byMachine.flatMap((s) => [...s]));
    const sharedCount = [...all].filter((n) => byMachine.filter((s) => s.has(n)).length >= 2).length;
    expect(d.distinct_numbers).toBe(all.size);
    expect(d.score).toBeCloseTo(1 - sharedCount / all.size, 4);
  });

  it('basic uses the frequency baseline of the analysis window (counts + 1, scaled to 6)', async () => {
    service = makeService();
    const r = await service.generate({ machine: 1, count: 4, seed: 9, algorithm: 'basic', window: 20 });
    const w = own(history, 1).slice(-20);
    const raw = new Array(45).fill(1);
    for (const d of w) for (const n of d.numbers) raw[n - 1]++;
    const total = raw.reduce((a, b) => a + b, 0);
    const base = raw.map((x) => (6 * x) / total);
    for (const p of r.predictions) expect(p.expected_matches).toBeCloseTo(sumOver(base, p.numbers), 3);
    expect(r.metadata.models_used).toEqual(['frequency_baseline']);
    expect(r.metadata.fallback).toBe(false);
    expect(r.metadata.model_version).toBe('frequency_baseline');
  });

  it('refuses an impossible include/exclude with the reason in plain words', async () => {
    service = makeService();
    await expect(service.generate({ machine: 3, count: 1, include: [2, 4, 6, 8, 10] })).rejects.toThrow(InfeasibleRequestError);
    await expect(service.generate({ machine: 3, count: 1, include: [2, 4, 6, 8, 10], lang: 'en' })).rejects.toThrow(/at least 4 odd numbers/);
  });

  it('premium uses weighted voting while no backtest has ranked the methods, and says why', async () => {
    service = makeService();
    const r = await service.generate({ machine: 1, count: 2, seed: 3, algorithm: 'premium', lang: 'en' });
    expect(r.metadata.combination_method).toBe('weighted_voting');
    expect(r.metadata.method_reason).toMatch(/no backtest has ranked/);
    expect(r.predictions[0].explanation.join(' ')).toMatch(/no backtest has ranked/);
  });
});

describe('vector cache', () => {
  beforeEach(() => {
    saveFake(dir, 'transformer', 'all', T_SPEC);
    saveFake(dir, 'ensemble', 'all', E_SPEC);
  });

  it('computes the vectors once per data version and model set, and recomputes them when new data arrives', async () => {
    service = makeService();
    const s1 = await service.vectors();
    await service.generate({ machine: 1, count: 2, seed: 1 });
    await service.generate({ machine: 2, count: 2, seed: 1 });
    expect(service.refreshes).toBe(1);
    const before = Array.from(s1.machines.get(1)!.transformer.vector!);
    expect(before).toEqual(Array.from(fakeVector(own(history, 1), T_SPEC)));

    const next = ALL.filter((d) => d.round > 900 && d.round <= 903);
    drawsRepo(db).upsertMany(next, NOW);
    const s2 = await service.vectors();
    expect(service.refreshes).toBe(2);
    expect(s2.dataVersion).toBe(s1.dataVersion + 1);
    expect(s2.targetRound).toBe(904);
    expect(s2.cacheKey).not.toBe(s1.cacheKey);
    const after = Array.from(s2.machines.get(1)!.transformer.vector!);
    const ownAfter = own([...history, ...next], 1);
    expect(after).toEqual(Array.from(fakeVector(ownAfter, T_SPEC)));
    if (ownAfter.length > own(history, 1).length) expect(after).not.toEqual(before);
    // Every machine that got a new draw has a new vector.
    for (const m of [1, 2, 3]) {
      if (own(next, m).length === 0) continue;
      expect(Array.from(s2.machines.get(m)!.ensemble.vector!)).not.toEqual(Array.from(s1.machines.get(m)!.ensemble.vector!));
    }
  });

  it('recomputes when a model is retrained, and reads vectors back from stored forecasts after a restart', async () => {
    service = makeService();
    const s1 = await service.vectors();
    expect(s1.machines.get(2)!.ensemble.source).toBe('computed');
    saveFake(dir, 'ensemble', 'all', { ...E_SPEC, window: 10 }, { createdAt: '2026-02-01T00:00:00.000Z' });
    const s2 = await service.vectors();
    expect(service.refreshes).toBe(2);
    expect(s2.machines.get(2)!.ensemble.model!.createdAt).toBe('2026-02-01T00:00:00.000Z');
    expect(Array.from(s2.machines.get(2)!.ensemble.vector!)).toEqual(Array.from(fakeVector(own(history, 2), { ...E_SPEC, window: 10 })));
    await service.close();

    service = makeService();
    const s3 = await service.vectors();
    expect(s3.machines.get(2)!.ensemble.source).toBe('stored');
    expect(calls.predict + calls.batches.length).toBe(0);
    expect(Array.from(s3.machines.get(2)!.ensemble.vector!)).toEqual(Array.from(s2.machines.get(2)!.ensemble.vector!));
  });

  it("prefers a machine's own model over the pooled one", async () => {
    saveFake(dir, 'ensemble', 2, { ...E_SPEC, window: 5 });
    service = makeService();
    const s = await service.vectors();
    expect(s.machines.get(2)!.ensemble.model!.key).toBe('ensemble-m2-small');
    expect(s.machines.get(1)!.ensemble.model!.key).toBe('ensemble-all-small');
    // A machine's own model is given the whole history (it keeps its own draws itself).
    expect(Array.from(s.machines.get(2)!.ensemble.vector!)).toEqual(Array.from(fakeVector(history, { ...E_SPEC, window: 5 })));
  });
});

describe('fallback', () => {
  it('uses the ensemble alone when the Transformer throws, says so, and logs the failure', async () => {
    saveFake(dir, 'transformer', 'all', { ...T_SPEC, fail: 'predict' });
    saveFake(dir, 'ensemble', 'all', E_SPEC);
    service = makeService();
    const r = await service.generate({ machine: 2, count: 3, seed: 8, lang: 'en' });
    expect(r.metadata.fallback).toBe(true);
    expect(r.metadata.models_used).toEqual(['ensemble']);
    expect(r.metadata.weights).toEqual({ ensemble: 1 });
    expect(r.metadata.fallback_reasons.join(' ')).toMatch(/Transformer inference failed: .*exploded/);
    expect(r.metadata.machines[0].models.find((m) => m.name === 'transformer')?.status).toBe('failed');
    const pE = fakeVector(own(history, 2), E_SPEC);
    for (const p of r.predictions) expect(p.expected_matches).toBeCloseTo(sumOver(pE, p.numbers), 3);
    expect(logged.some((l) => l.level === 'error' && /transformer/.test(l.msg) && /falling back/.test(l.msg))).toBe(true);
  });

  it('uses the Transformer alone when the ensemble cannot even be loaded', async () => {
    saveFake(dir, 'transformer', 'all', T_SPEC);
    saveFake(dir, 'ensemble', 'all', { ...E_SPEC, fail: 'load' });
    service = makeService();
    const r = await service.generate({ machine: 1, count: 2, seed: 8, lang: 'en' });
    expect(r.metadata.models_used).toEqual(['transformer']);
    expect(r.metadata.fallback_reasons.join(' ')).toMatch(/refuses to load/);
  });

  it('falls back to the frequency baseline when both families throw', async () => {
    saveFake(dir, 'transformer', 'all', { ...T_SPEC, fail: 'predict' });
    saveFake(dir, 'ensemble', 'all', { ...E_SPEC, fail: 'predict' });
    service = makeService();
    const r = await service.generate({ machine: 3, count: 2, seed: 8, lang: 'en' });
    expect(r.metadata.models_used).toEqual(['frequency_baseline']);
    expect(r.metadata.fallback).toBe(true);
    expect(r.metadata.fallback_reasons.join(' ')).toMatch(/neither model family answered/);
  });

  it('falls back to the baseline with a hint to run `hogi train` when no model is trained', async () => {
    service = makeService();
    const r = await service.generate({ machine: 1, count: 2, seed: 8, lang: 'en' });
    expect(r.metadata.models_used).toEqual(['frequency_baseline']);
    expect(r.metadata.fallback).toBe(true);
    expect(r.metadata.fallback_reasons.join(' ')).toMatch(/hogi train/);
    expect(r.metadata.machines[0].models.every((m) => m.status === 'absent')).toBe(true);
  });

  it('a family that does not answer within its timeout is reported as timed out and the other is used', async () => {
    saveFake(dir, 'ensemble', 'all', E_SPEC);
    saveFake(dir, 'transformer', 'all', T_SPEC);
    const { loaders } = fakeLoader();
    const slow = { ...loaders, FakePredictor: async (a: Parameters<(typeof loaders)['FakePredictor']>[0]) => {
      const spec = a.manifest.spec as { window: number };
      // The Transformer's loader never settles: only the timeout can end its job.
      if (spec.window === T_SPEC.window) return new Promise<never>(() => undefined);
      return loaders.FakePredictor(a);
    } };
    service = new PredictionService({ db, modelsDir: dir, runner: 'in-process', loaders: slow, logger, timeoutMs: 200 });
    const r = await service.generate({ machine: 1, count: 2, seed: 1, lang: 'en' });
    expect(r.metadata.models_used).toEqual(['ensemble']);
    expect(r.metadata.machines[0].models.find((m) => m.name === 'transformer')?.status).toBe('timeout');
    expect(logged.some((l) => /timed out/.test(l.msg))).toBe(true);
  });

  it('parallelInference runs both families and reports each one', async () => {
    saveFake(dir, 'ensemble', 'all', E_SPEC);
    const { loaders } = fakeLoader();
    const store = modelStore(dir);
    const ref = { key: 'ensemble-all-small', family: 'ensemble' as const, machine: 'all' as const, config: 'small', createdAt: NOW, dataHash: 'fake', trainedThroughRound: 100, features: [] };
    const runner = inProcessRunner(async (r) => ({ model: await loaders.FakePredictor(store.load(r.key).artifacts), createdAt: r.createdAt }));
    const res = await parallelInference(
      runner,
      [
        { family: 'ensemble', job: { family: 'ensemble', draws: history, targets: [{ machine: 1, model: ref }] }, absent: [] },
        { family: 'transformer', job: null, absent: [{ machine: 1, reason: 'none stored' }] },
      ],
      { timeoutMs: 1000, logger },
    );
    expect(res.byMachine.get(1)!.ensemble!.status).toBe('ok');
    expect(res.byMachine.get(1)!.transformer!.status).toBe('absent');
  });
});

describe('combination methods', () => {
  beforeEach(() => {
    saveFake(dir, 'transformer', 'all', T_SPEC);
    saveFake(dir, 'ensemble', 'all', E_SPEC);
  });

  it('stacking is refused until trained, then uses the saved meta-model', async () => {
    service = makeService();
    await expect(service.generate({ machine: 1, count: 2, method: 'stacking' })).rejects.toMatchObject({ code: 'STACKING_NOT_TRAINED' });
    // A meta-model fitted on synthetic out-of-sample records, saved where `hogi train --stacking` saves it.
    const records = Array.from({ length: 12 }, (_, k) => ({
      targetRound: 100 + k,
      members: {
        transformer: { vector: fakeVector(history.slice(0, 200 + k), T_SPEC), trainedThroughRound: 99 },
        ensemble: { vector: fakeVector(history.slice(0, 200 + k), E_SPEC), trainedThroughRound: 99 },
      },
      drawn: [...history[200 + k].numbers],
    }));
    const combiner = new StackingCombiner().fit(records);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      stackingPath(dir, 'small'),
      JSON.stringify({
        format: 'hogi-stacking',
        formatVersion: 1,
        config: 'small',
        combiner: combiner.toJSON(),
        training: { scope: 'pooled', from: 100, to: 111, retrainEvery: 10, records: 12, seed: 1, dataHash: 'x', createdAt: NOW },
      }),
    );
    const r = await service.generate({ machine: 1, count: 2, seed: 2, method: 'stacking' });
    expect(r.metadata.combination_method).toBe('stacking');
    const k = combiner.coefficients();
    expect(r.metadata.machines[0].stacking_coefficients).toEqual({ transformer: k.members.transformer, ensemble: k.members.ensemble, intercept: k.intercept });
    const m1 = own(history, 1);
    const expected = combiner.combine({ transformer: fakeVector(m1, T_SPEC), ensemble: fakeVector(m1, E_SPEC) }).probabilities;
    for (const p of r.predictions) expect(p.expected_matches).toBeCloseTo(sumOver(expected, p.numbers), 3);
  });

  it('blending weighs 0.5 / 0.5 until 10 draws are scored, then by mean per-draw log-likelihood over the last 50', async () => {
    service = makeService();
    const first = await service.generate({ machine: 3, count: 1, seed: 1, method: 'blending' });
    expect(first.metadata.weights).toEqual({ transformer: 0.5, ensemble: 0.5 });
    expect(first.metadata.machines[0].blending_scored_draws).toBe(0);

    // Forecasts of both families for 12 past draws of machine 3, as the service stores them.
    const repo = predictionsRepo(db);
    const targets = own(history, 3).slice(-12);
    const ll = (p: ArrayLike<number>, drawn: readonly number[]) => {
      let s = 0;
      for (let n = 1; n <= 45; n++) s += drawn.includes(n) ? Math.log(p[n - 1]) : Math.log(1 - p[n - 1]);
      return s;
    };
    let sumT = 0;
    let sumE = 0;
    for (const [i, d] of targets.entries()) {
      const pT = fakeVector(history.slice(0, 300 + i), T_SPEC);
      const pE = fakeVector(history.slice(0, 300 + i), { window: 5, oddTilt: 3 });
      for (const [family, p] of [['transformer', pT], ['ensemble', pE]] as const) {
        repo.upsertForecasts([{ targetRound: d.round, machine: 3, family, modelKey: `${family}-all-small`, modelCreatedAt: NOW, trainedThroughRound: d.round - 1, dataVersion: 1, probabilities: Array.from(p), createdAt: NOW }]);
      }
      sumT += ll(pT, d.numbers);
      sumE += ll(pE, d.numbers);
    }
    // The first request stored the live forecasts for round 901; when 901 arrives they are scored
    // too, and count for machine 3 only if 901 was drawn on machine 3.
    const d901 = ALL.find((d) => d.round === 901)!;
    let n = 12;
    if (d901.machine === 3) {
      sumT += ll(fakeVector(own(history, 3), T_SPEC), d901.numbers);
      sumE += ll(fakeVector(own(history, 3), E_SPEC), d901.numbers);
      n++;
    }
    drawsRepo(db).upsertMany([d901], NOW);
    const r = await service.generate({ machine: 3, count: 1, seed: 1, method: 'blending' });
    const wT = Math.exp(sumT / n) / (Math.exp(sumT / n) + Math.exp(sumE / n));
    expect(r.metadata.machines[0].blending_scored_draws).toBe(n);
    expect(r.metadata.weights!.transformer).toBeCloseTo(wT, 9);
    expect(r.metadata.weights!.ensemble).toBeCloseTo(1 - wT, 9);
  });

  it('the ensemble endpoint can restrict the families and drop sets below a confidence threshold', async () => {
    service = makeService();
    const all = await service.generate({ machine: 2, count: 10, seed: 6, method: 'weighted_voting', models: ['ensemble'] });
    expect(all.metadata.models_used).toEqual(['ensemble']);
    expect(all.metadata.fallback).toBe(false);
    const kept = await service.generate({ machine: 2, count: 10, seed: 6, method: 'weighted_voting', models: ['ensemble'], confidenceThreshold: 0.6 });
    const expectedKept = all.predictions.filter((p) => p.confidence_score >= 0.6).map((p) => p.numbers);
    expect(kept.predictions.map((p) => p.numbers)).toEqual(expectedKept);
    expect(kept.metadata.dropped_below_threshold).toBe(10 - expectedKept.length);
  });
});
