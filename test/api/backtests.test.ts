import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtestsRepo } from '../../src/data/backtestsRepo.js';
import { runBacktest } from '../../src/service/backtest/engine.js';
import type { BacktestSummary } from '../../src/service/backtest/summary.js';
import { BACKTEST_METHODS } from '../../src/service/backtest/types.js';
import { PredictionService } from '../../src/service/predictions/service.js';
import { fakeFactory } from '../service/backtest/fakes.js';
import { appWith, closeApp, envelopeOf, sharedSlice, type TestApp } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await appWith(sharedSlice(800, 1000));
});
afterAll(() => closeApp(t));

const params = { from: 983, to: 996, machine: 'all' as const, retrainEvery: 7, methods: [...BACKTEST_METHODS], sets: 3, seed: 11, config: 'small' as const, window: 50 };

describe('backtests API', () => {
  it('before any backtest: an empty list, and machine analysis says no measured performance exists', async () => {
    const list = await t.app.inject({ url: '/api/backtests' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ items: [], total: 0, page: 1, page_size: 20 });
    const a = await t.app.inject({ url: '/api/statistics/machine-analysis/1' });
    expect(a.statusCode).toBe(200);
    const pm = a.json().performance_metrics;
    expect(pm.source).toBe('none');
    expect(pm.prediction_accuracy).toBeNull();
    expect(pm.note).toMatch(/No completed backtest/);
  });

  it('lists a stored backtest with its parameters and progress, and serves its summary', async () => {
    const r = await runBacktest({ db: t.db, draws: t.draws, params, trainer: 'in-process', createModel: fakeFactory() });
    const list = (await t.app.inject({ url: '/api/backtests' })).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({
      id: r.id,
      status: 'completed',
      params: { from: 983, to: 996, machine: 'all', retrain_every: 7, sets: 3, seed: 11, config: 'small', window: 50 },
      progress: { rounds_done: r.roundsTotal, rounds_total: r.roundsTotal, fraction: 1 },
      error: null,
    });
    const detail = await t.app.inject({ url: `/api/backtests/${r.id}` });
    expect(detail.statusCode).toBe(200);
    const stored = JSON.parse(backtestsRepo(t.db).get(r.id)!.summaryJson!) as BacktestSummary;
    expect(detail.json().summary).toEqual(stored);
    expect(detail.json().summary.overall.methods.map((m: { method: string }) => m.method)).toEqual([...BACKTEST_METHODS]);
  });

  it('answers 404 in the error envelope for an unknown id', async () => {
    for (const url of ['/api/backtests/bt-000000000000', '/api/backtests/bt-000000000000/rounds']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(404);
      const e = envelopeOf(res);
      expect(e.error.code).toBe('NOT_FOUND');
      expect(e.error.field).toBe('id');
    }
  });

  it('pages the stored rounds with every method\'s tickets and scores', async () => {
    const id = (await t.app.inject({ url: '/api/backtests' })).json().items[0].id as string;
    const page = (await t.app.inject({ url: `/api/backtests/${id}/rounds?page=2&page_size=3` })).json();
    const rounds = backtestsRepo(t.db).doneRounds(id);
    expect(page.total).toBe(rounds.length);
    expect(page.items.map((i: { round: number }) => i.round)).toEqual(rounds.slice(3, 6));
    const first = page.items[0];
    const draw = t.draws.find((d) => d.round === first.round)!;
    for (const m of first.methods) {
      expect(m.sets).toHaveLength(3);
      expect(m.matches).toEqual(m.sets.map((s: number[]) => s.filter((n) => draw.numbers.includes(n)).length));
      expect(m.probabilities).toBeUndefined();
    }
    const withP = (await t.app.inject({ url: `/api/backtests/${id}/rounds?page_size=1&include_probabilities=true` })).json();
    const wv = withP.items[0].methods.find((m: { method: string }) => m.method === 'weighted_voting');
    expect(wv.probabilities).toHaveLength(45);
    expect(wv.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(6, 6);
  });

  it('machine analysis takes performance_metrics from the latest completed backtest: the machine strategy on its own rounds', async () => {
    const id = (await t.app.inject({ url: '/api/backtests' })).json().items[0].id as string;
    const summary = JSON.parse(backtestsRepo(t.db).get(id)!.summaryJson!) as BacktestSummary;
    const pm = (await t.app.inject({ url: '/api/statistics/machine-analysis/2' })).json().performance_metrics;
    const m2 = summary.machines.find((m) => m.machine === 2)!.methods.find((m) => m.method === 'strategy_2')!;
    expect(pm.source).toBe('backtest');
    expect(pm.backtest_id).toBe(id);
    expect(pm.rounds).toBe(summary.machines.find((m) => m.machine === 2)!.rounds);
    expect(pm.prediction_accuracy).toMatchObject({ method: 'strategy_2', mean_matches_per_set: m2.mean_matches, chance_mean_matches: m2.chance_mean_matches, p_value: m2.p_value, verdict: m2.verdict });
    expect(pm.differentiation.per_machine.map((x: { method: string }) => x.method)).toEqual(['strategy_1', 'strategy_2', 'strategy_3']);
    const all = (await t.app.inject({ url: '/api/statistics/machine-analysis/all' })).json().performance_metrics;
    expect(all.prediction_accuracy.method).toBe('weighted_voting');
    expect(all.prediction_accuracy.mean_matches_per_set).toBe(summary.overall.methods.find((m) => m.method === 'weighted_voting')!.mean_matches);
  });

  it('premium uses the combination method the latest backtest ranks best by log-loss, and says where that comes from', async () => {
    const id = (await t.app.inject({ url: '/api/backtests' })).json().items[0].id as string;
    const summary = JSON.parse(backtestsRepo(t.db).get(id)!.summaryJson!) as BacktestSummary;
    const best = [...summary.ranking.ranked].sort((a, b) => a.mean_log_loss - b.mean_log_loss)[0].method;
    expect(summary.ranking.best).toBe(best);
    const dir = mkdtempSync(join(tmpdir(), 'hogi-bt-api-'));
    const service = new PredictionService({ db: t.db, modelsDir: dir, runner: 'in-process' });
    try {
      const r = await service.generate({ machine: 1, count: 2, algorithm: 'premium', seed: 1, lang: 'en' });
      expect(r.metadata.method_reason).toContain(id);
      // Without trained models the families fall back, but the reason names the ranked method (stacking also needs `hogi train --stacking`).
      expect(r.metadata.method_reason).toContain(best);
    } finally {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a later backtest that did not score the product path or the combination methods does not hide the one that did', async () => {
    const first = (await t.app.inject({ url: '/api/backtests' })).json().items[0].id as string;
    const later = await runBacktest({ db: t.db, draws: t.draws, params: { ...params, methods: ['random'], seed: 12 }, trainer: 'in-process' });
    expect(later.id).not.toBe(first);
    const list = (await t.app.inject({ url: '/api/backtests' })).json();
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([later.id, first]);
    const pm = (await t.app.inject({ url: '/api/statistics/machine-analysis/1' })).json().performance_metrics;
    expect(pm.backtest_id).toBe(first);
    expect(pm.prediction_accuracy.method).toBe('strategy_1');
    expect(t.app.backtests.methodRanking()!.source).toContain(first);
  });
});

