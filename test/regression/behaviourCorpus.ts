/**
 * Behaviour corpus for refactors (issue 11): records what the service layer computes for
 * fixed seeds, small configs and a slice of history, so a restructuring can be checked to
 * change nothing. Not a test file (it trains real models).
 *
 *   npx tsx test/regression/behaviourCorpus.ts record OUT_DIR      # writes OUT_DIR/corpus.json and OUT_DIR/models (a model store)
 *   npx tsx test/regression/behaviourCorpus.ts compare OLD_DIR NEW_DIR
 *
 * The saved store of the first run lets the second prove that models saved by the old code
 * still load (and predict the same) with the new one.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDb } from '../../src/data/db.js';
import { backtestsRepo } from '../../src/data/backtestsRepo.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { PredictionService } from '../../src/service/predictions/service.js';
import { historyBefore, type Draw } from '../../src/domain/draw.js';
import { ensembleConfig } from '../../src/models/ensemble.js';
import { initTf } from '../../src/runtime/tfjs.js';
import { runBacktest } from '../../src/service/backtest/engine.js';
import { backtestModelFactory } from '../../src/service/backtest/blocks.js';
import { ModelManager } from '../../src/service/modelManager.js';
import { modelStore } from '../../src/service/modelStore.js';
import { MODEL_LOADERS } from '../../src/service/registry.js';
import { walkForwardRecords } from '../../src/service/predictions/stacking.js';
import { loadHistoryDraws } from '../helpers/history.js';

const small = ensembleConfig('small');
const OVERRIDES = {
  ensemble: { mlp: { ...small.mlp, maxIter: 4 }, rf: { ...small.rf, nEstimators: 6 }, gbm: { ...small.gbm, nEstimators: 6 } },
  transformer: { maxEpochs: 2, dModel: 16, nHeads: 2, nLayers: 1, dimFeedforward: 32, seqLen: 10 },
};

const round6 = (xs: ArrayLike<number>) => Array.from(xs, (x) => Number(x.toPrecision(12)));
const sha = (a: Record<string, Float32Array>) => {
  const h = createHash('sha256');
  for (const k of Object.keys(a).sort()) h.update(k).update(Buffer.from(a[k].buffer, a[k].byteOffset, a[k].byteLength));
  return h.digest('hex');
};

async function record(out: string) {
  await initTf('wasm', () => undefined);
  const all = loadHistoryDraws();
  const history = all.filter((d) => d.round >= 800 && d.round <= 1000);
  const create = backtestModelFactory(OVERRIDES);
  const corpus: Record<string, unknown> = {};
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const store = modelStore(join(out, 'models'));

  // 1. Each family fitted through the service's factory, predicted, saved in a store.
  const target = 990;
  for (const family of ['ensemble', 'transformer'] as const) {
    for (const machine of [1, 2] as const) {
      const model = create(family, machine, 'small', 7);
      await model.fit(historyBefore(history, 980));
      const p = model.predict(historyBefore(history, target));
      const a = (model as unknown as { toArtifacts(): { manifest: Record<string, unknown>; weights: Record<string, Float32Array> } }).toArtifacts();
      const key = `${family}-m${machine}-small`;
      corpus[`fit:${key}`] = { prediction: round6(p), weightsSha: sha(a.weights), validation: a.manifest.validationMetrics ?? null };
      store.save(key, a as never, {
        family,
        machine,
        config: 'small',
        seed: 7,
        trainedRounds: { from: 800, to: 979, count: 0, dataHash: 'corpus' },
        validation: {},
        trainingMs: 0,
        createdAt: '2026-01-01T00:00:00.000Z',
      });
    }
  }

  // 2. Walk-forward stacking records (machine scope and pooled).
  for (const scope of ['machine', 'pooled'] as const) {
    const records = await walkForwardRecords(history, { from: 985, to: 994, retrainEvery: 5, scope, config: 'small', seed: 3, createModel: create as never });
    corpus[`stacking:${scope}`] = records.map(canonicalRecord);
  }

  // 3. A short in-process backtest: its id, every row and the summary.
  const db = openDb(':memory:');
  const result = await runBacktest({
    db,
    draws: history,
    params: { from: 975, to: 994, machine: 'all', retrainEvery: 10, methods: ['random', 'frequency_baseline', 'transformer', 'ensemble', 'weighted_voting', 'stacking', 'blending', 'strategy_1', 'strategy_2', 'strategy_3'], sets: 3, seed: 7, config: 'small', window: 50 },
    trainer: 'in-process',
    createModel: create,
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
  corpus.backtest = {
    id: result.id,
    status: result.status,
    rounds: result.roundsDone,
    summary: result.summary,
    rows: backtestsRepo(db).results(result.id).map((r) => ({ ...r, probabilities: r.probabilities ? round6(r.probabilities) : null })),
  };
  // 4. Answers of the prediction service (the API's and the CLI's) from the stored models.
  const sdb = openDb(':memory:');
  drawsRepo(sdb).upsertMany(history, '2026-01-01T00:00:00.000Z');
  let n = 0;
  const service = new PredictionService({
    db: sdb,
    modelsDir: join(out, 'models'),
    runner: 'in-process',
    config: 'small',
    now: () => new Date('2026-01-01T00:00:00Z'),
    newId: () => `p${++n}`,
    newSeed: () => 17,
  });
  const requests = [
    { machine: 'all', count: 3, algorithm: 'enhanced', seed: 5, lang: 'en' },
    { machine: 1, count: 2, method: 'blending', seed: 6, lang: 'ko' },
    { machine: 2, count: 2, algorithm: 'basic', seed: 7, lang: 'en' },
    { machine: 3, count: 2, algorithm: 'enhanced', models: ['ensemble'], seed: 8, lang: 'ko' },
  ] as const;
  corpus.service = [];
  for (const r of requests) (corpus.service as unknown[]).push(JSON.parse(JSON.stringify(withoutTimings(await service.generate(r))).replaceAll(out, '<OUT>')));
  await service.close();
  writeFileSync(join(out, 'corpus.json'), JSON.stringify(corpus, null, 1));
  console.log(`recorded ${Object.keys(corpus).length} entries in ${out}`);
}

/** A walk-forward record in one form whatever the code's record shape (two-family pT/pE, or named members). */
function canonicalRecord(r: object): unknown {
  const o = Object.fromEntries(Object.entries(r));
  if ('members' in o) {
    const m = o.members as Record<string, { vector: ArrayLike<number>; trainedThroughRound: number }>;
    return { targetRound: o.targetRound, transformer: { p: round6(m.transformer.vector), through: m.transformer.trainedThroughRound }, ensemble: { p: round6(m.ensemble.vector), through: m.ensemble.trainedThroughRound }, drawn: o.drawn };
  }
  const t = o.trainedThroughRound as { transformer: number; ensemble: number };
  return { targetRound: o.targetRound, transformer: { p: round6(o.pT as number[]), through: t.transformer }, ensemble: { p: round6(o.pE as number[]), through: t.ensemble }, drawn: o.drawn };
}

/** The answer without wall-clock timings (they differ on every run). */
function withoutTimings(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutTimings);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).filter(([k]) => !/(_ms|Ms)$/.test(k)).map(([k, x]) => [k, typeof x === 'number' || typeof x === 'string' || x === null ? x : withoutTimings(x)]));
  }
  return v;
}

async function loadOld(oldDir: string, history: readonly Draw[]) {
  const manager = new ModelManager({ store: modelStore(join(oldDir, 'models')), loaders: MODEL_LOADERS });
  const out: Record<string, number[]> = {};
  for (const family of ['ensemble', 'transformer'] as const) {
    for (const machine of [1, 2] as const) {
      const m = await manager.get(family, machine, 'small');
      out[`fit:${family}-m${machine}-small`] = round6(m.predict(historyBefore(history, 990)));
    }
  }
  return out;
}

async function compare(oldDir: string, newDir: string) {
  await initTf('wasm', () => undefined);
  const a = JSON.parse(readFileSync(join(oldDir, 'corpus.json'), 'utf8')) as Record<string, unknown>;
  const b = JSON.parse(readFileSync(join(newDir, 'corpus.json'), 'utf8')) as Record<string, unknown>;
  let bad = 0;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const same = JSON.stringify(a[k]) === JSON.stringify(b[k]);
    if (!same) bad++;
    console.log(`${same ? 'same     ' : 'DIFFERENT'} ${k}`);
  }
  // Models saved by the old code, loaded by this code, predict what the old code predicted.
  const history = loadHistoryDraws().filter((d) => d.round >= 800 && d.round <= 1000);
  const loaded = await loadOld(oldDir, history);
  for (const [k, p] of Object.entries(loaded)) {
    const same = JSON.stringify(p) === JSON.stringify((a[k] as { prediction: number[] }).prediction);
    if (!same) bad++;
    console.log(`${same ? 'same     ' : 'DIFFERENT'} old store ${k} loaded by this build`);
  }
  console.log(bad ? `${bad} difference(s)` : 'no differences');
  process.exitCode = bad ? 1 : 0;
}

const [cmd, x, y] = process.argv.slice(2);
if (cmd === 'record' && x) await record(resolve(x));
else if (cmd === 'compare' && x && y) await compare(resolve(x), resolve(y));
else {
  console.error('usage: behaviourCorpus.ts record OUT_DIR | compare OLD_DIR NEW_DIR');
  process.exitCode = 2;
}
