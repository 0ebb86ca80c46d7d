import { describe, expect, it } from 'vitest';
import { backtestsRepo, type BacktestResultRow } from '../../../src/data/backtestsRepo.js';
import { openDb, type Db } from '../../../src/data/db.js';
import type { Draw } from '../../../src/domain/draw.js';
import { runBacktest, type RunBacktestOptions } from '../../../src/service/backtest/engine.js';
import { BACKTEST_METHODS, type BacktestParams } from '../../../src/service/backtest/types.js';
import { ensembleConfig } from '../../../src/models/ensemble.js';
import { loadHistoryDraws } from '../../helpers/history.js';
import { fakeFactory, type FakeFit } from './fakes.js';

const history = loadHistoryDraws().filter((d) => d.round >= 700 && d.round <= 1000);
const params: BacktestParams = { from: 979, to: 994, machine: 'all', retrainEvery: 10, methods: [...BACKTEST_METHODS], sets: 3, seed: 7, config: 'small', window: 50 };

async function run(draws: readonly Draw[], extra: Partial<RunBacktestOptions> = {}, db: Db = openDb(':memory:')) {
  const result = await runBacktest({ db, draws, params, trainer: 'in-process', createModel: fakeFactory(), ...extra });
  return { db, result, rows: backtestsRepo(db).results(result.id) };
}

// One uninterrupted run shared by the tests that only read it.
let baseRun: ReturnType<typeof run> | null = null;
const base = () => (baseRun ??= run(history));

/** What a round's prediction is, leaving out its scores against the draw itself. */
const predictionOf = (r: BacktestResultRow) => ({ method: r.method, sets: r.sets, probabilities: r.probabilities, detail: r.detail });

describe('walk-forward backtest engine', () => {
  it('trains every block only on draws before the block and predicts each round only from draws before it', async () => {
    const fits: FakeFit[] = [];
    const { result } = await run(history, { createModel: fakeFactory(fits) });
    expect(result.status).toBe('completed');
    const labelled = history.filter((d) => d.round >= params.from && d.round <= params.to && d.machine !== null);
    expect(result.roundsTotal).toBe(labelled.length);
    // Blocks start at 979 and 989; each fit saw nothing from its block start on.
    expect(fits.length).toBeGreaterThan(0);
    for (const f of fits) {
      const blockStart = Math.max(...[979, 989].filter((b) => b <= Math.min(...f.predictedFrom.map((r) => r + 1))));
      expect(f.lastFitRound).toBeLessThan(blockStart);
      for (const last of f.predictedFrom) expect(last).toBeLessThan(blockStart + 10);
    }
  });

  it('no look-ahead: changing draw t and every later draw leaves the stored predictions for t unchanged', async () => {
    const t = 985; // mid-block: its block's models are reused for later rounds too
    const perturbed = history.map((d) =>
      d.round >= t ? { ...d, numbers: d.numbers.map((n) => (n % 45) + 1).sort((a, b) => a - b), bonus: (d.bonus % 45) + 1 } : d,
    );
    const a = await base();
    const b = await run(perturbed);
    expect(b.result.id).not.toBe(a.result.id); // different data, different run
    for (const round of [979, 982, 984, t]) {
      const pa = a.rows.filter((r) => r.round === round).map(predictionOf);
      const pb = b.rows.filter((r) => r.round === round).map(predictionOf);
      expect(pa.length).toBeGreaterThan(0);
      expect(pb).toEqual(pa);
    }
    // The scores of t do change: the draw they are scored against changed.
    const ma = a.rows.filter((r) => r.round === t).map((r) => r.matches);
    const mb = b.rows.filter((r) => r.round === t).map((r) => r.matches);
    expect(mb).not.toEqual(ma);
  });

  it('is reproducible from its seed: same data, parameters and seed store identical rows; another seed other tickets', async () => {
    const a = await base();
    const b = await run(history);
    expect(b.result.id).toBe(a.result.id);
    expect(b.rows).toEqual(a.rows);
    expect(JSON.parse(backtestsRepo(b.db).get(b.result.id)!.summaryJson!)).toEqual(JSON.parse(backtestsRepo(a.db).get(a.result.id)!.summaryJson!));
    const db = openDb(':memory:');
    const other = await runBacktest({ db, draws: history, params: { ...params, seed: 8, methods: ['random', 'frequency_baseline'] }, trainer: 'in-process', createModel: fakeFactory() });
    const otherRows = backtestsRepo(db).results(other.id);
    for (const m of ['random', 'frequency_baseline']) {
      expect(otherRows.filter((r) => r.method === m).map((r) => r.sets)).not.toEqual(a.rows.filter((r) => r.method === m).map((r) => r.sets));
    }
  });

  it('resumes an interrupted run where it stopped, and ends with exactly the rows of an uninterrupted run', async () => {
    const full = await base();
    const db = openDb(':memory:');
    const abort = new AbortController();
    let seen = 0;
    const first = await runBacktest({
      db,
      draws: history,
      params,
      trainer: 'in-process',
      createModel: fakeFactory(),
      signal: abort.signal,
      onEvent: (e) => {
        if (e.type === 'round' && ++seen === 7) abort.abort();
      },
    });
    expect(first.status).toBe('interrupted');
    expect(first.roundsDone).toBe(7);
    expect(backtestsRepo(db).get(first.id)!.status).toBe('running');
    expect(new Set(backtestsRepo(db).results(first.id).map((r) => r.round)).size).toBe(7);

    const fits: FakeFit[] = [];
    const events: string[] = [];
    const second = await runBacktest({ db, draws: history, params, trainer: 'in-process', createModel: fakeFactory(fits), onEvent: (e) => events.push(e.type === 'start' ? `start:${e.resumed}:${e.roundsDone}` : e.type) });
    expect(second.id).toBe(first.id);
    expect(second.resumed).toBe(true);
    expect(events[0]).toBe('start:true:7');
    expect(events.filter((e) => e === 'round')).toHaveLength(full.result.roundsTotal - 7);
    expect(second.status).toBe('completed');
    expect(backtestsRepo(db).results(second.id)).toEqual(full.rows);
    expect(JSON.parse(backtestsRepo(db).get(second.id)!.summaryJson!)).toEqual(JSON.parse(backtestsRepo(full.db).get(full.result.id)!.summaryJson!));
  });

  it('skips rounds without a machine label and counts them', async () => {
    const unlabelled = history.map((d) => (d.round === 980 || d.round === 981 ? { ...d, machine: null } : d));
    const { result, rows, db } = await run(unlabelled, { params: { ...params, methods: ['random', 'frequency_baseline'] } });
    expect(rows.some((r) => r.round === 980 || r.round === 981)).toBe(false);
    const stored = JSON.parse(backtestsRepo(db).get(result.id)!.paramsJson) as { skippedUnlabelled: number };
    expect(stored.skippedUnlabelled).toBe(2);
  });

  it('scores each machine strategy only on rounds drawn on its machine, and stacking only after enough earlier rounds', async () => {
    const { rows } = await base();
    for (const r of rows.filter((x) => x.method.startsWith('strategy_'))) expect(r.method).toBe(`strategy_${r.machine}`);
    const stackingRounds = rows.filter((r) => r.method === 'stacking').map((r) => r.round);
    const rounds = [...new Set(rows.map((r) => r.round))].sort((a, b) => a - b);
    // The meta-model needs 10 earlier rounds of both families (StackingCombiner's minimum).
    expect(Math.min(...stackingRounds)).toBe(rounds[10]);
    for (const r of rows) {
      expect(r.sets).toHaveLength(3);
      const drawn = new Set(history.find((d) => d.round === r.round)!.numbers);
      expect(r.matches).toEqual(r.sets.map((s) => s.filter((n) => drawn.has(n)).length));
    }
  });

  it('trains the retrain blocks of the real model families in worker threads', async () => {
    const small = ensembleConfig('small');
    const db = openDb(':memory:');
    const r = await runBacktest({
      db,
      draws: history,
      params: {
        ...params,
        from: 996,
        to: 1000,
        retrainEvery: 5,
        methods: ['transformer', 'ensemble'],
        modelOverrides: {
          transformer: { dModel: 8, nHeads: 2, nLayers: 1, dimFeedforward: 16, seqLen: 6, maxEpochs: 1, patience: 1 },
          ensemble: { rf: { ...small.rf, nEstimators: 2, maxDepth: 2 }, gbm: { ...small.gbm, nEstimators: 2, maxDepth: 2 }, mlp: { ...small.mlp, hiddenLayerSizes: [4], maxIter: 1 } },
        },
      },
      trainer: 'worker',
      workers: 1,
    });
    expect(r.status).toBe('completed');
    const rows = backtestsRepo(db).results(r.id);
    expect(rows).toHaveLength(2 * r.roundsTotal);
    for (const row of rows) {
      expect(row.probabilities).toHaveLength(45);
      expect(row.probabilities!.reduce((a, b) => a + b, 0)).toBeCloseTo(6, 6);
      const through = Number(row.detail!.trained_through_round);
      const blockStart = 996;
      expect(through).toBeLessThan(blockStart);
      expect(history.find((d) => d.round === through)!.machine).toBe(row.machine);
    }
  });
});
