import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { applyImport, planImport } from '../../src/data/importService.js';
import { predictionsRepo } from '../../src/data/predictionsRepo.js';
import type { Draw } from '../../src/domain/draw.js';
import { PredictionService } from '../../src/service/predictions/service.js';
import { prizeRank, scorePredictions } from '../../src/service/predictions/scoring.js';
import { loadHistoryDraws } from '../helpers/history.js';
import { E_SPEC, T_SPEC, fakeLoader, saveFake, tempModelsDir } from './predictionFakes.js';
import { clockAfterDraw } from '../helpers/clock.js';

const ALL = loadHistoryDraws();
const history = ALL.filter((d) => d.round <= 700);
const T = 701;

let db: Db;
let dir: string;
let service: PredictionService;

beforeEach(() => {
  db = openDb(':memory:');
  drawsRepo(db).upsertMany(history, '2026-01-01T00:00:00.000Z');
  dir = tempModelsDir();
  saveFake(dir, 'transformer', 'all', T_SPEC);
  saveFake(dir, 'ensemble', 'all', E_SPEC);
  service = new PredictionService({ db, modelsDir: dir, runner: 'in-process', loaders: fakeLoader().loaders, now: clockAfterDraw(T - 1) });
});
afterEach(async () => {
  await service.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Import a draw the way `hogi import` and `hogi sync` write it. */
function importDraw(d: Draw, now: string, overwrite = false): void {
  const repo = drawsRepo(db);
  const record = { source: 'test', index: 0, round: d.round, date: d.date, numbers: d.numbers, bonus: d.bonus, ...(d.machine !== null ? { machine: d.machine } : {}) };
  const plan = planImport(repo, { records: [record] }, { overwrite });
  expect(plan.ok).toBe(true);
  applyImport(repo, plan, { now: new Date(now) });
}

describe('prize ranks', () => {
  it('follows the 6/45 prize table: 6 → 1st, 5 + bonus → 2nd, 5 → 3rd, 4 → 4th, 3 → 5th, fewer → none', () => {
    expect(prizeRank(6, false)).toBe(1);
    expect(prizeRank(5, true)).toBe(2);
    expect(prizeRank(5, false)).toBe(3);
    expect(prizeRank(4, true)).toBe(4);
    expect(prizeRank(4, false)).toBe(4);
    expect(prizeRank(3, false)).toBe(5);
    expect(prizeRank(2, true)).toBeNull();
    expect(prizeRank(0, false)).toBeNull();
  });
});

describe('scoring stored predictions', () => {
  it('stores every prediction with its request, sets, models and target round, pending until the draw exists', async () => {
    const r = await service.generate({ machine: 2, count: 4, seed: 3, include: [5] });
    const stored = service.get(r.request_id)!;
    expect(stored.status).toBe('pending');
    expect(stored.draw).toBeNull();
    expect(stored.metadata.target_round).toBe(T);
    expect(stored.predictions.map((p) => p.numbers)).toEqual(r.predictions.map((p) => p.numbers));
    expect(stored.predictions.every((p) => p.matches === null && p.prize_rank === null)).toBe(true);
    const row = predictionsRepo(db).get(r.request_id)!.prediction;
    expect(JSON.parse(row.requestJson)).toMatchObject({ machine: 2, count: 4, seed: 3, include: [5] });
    expect(JSON.parse(row.modelVersionsJson)[0].models.map((m: { key: string }) => m.key)).toEqual(['transformer-all-small', 'ensemble-all-small']);
    expect(row.method).toBe('weighted_voting');
  });

  it('gives each set its matches, bonus match and prize rank once its draw is imported', async () => {
    const r = await service.generate({ machine: 1, count: 5, seed: 21 });
    expect(service.get(r.request_id)!.status).toBe('pending');
    const [first, second] = r.predictions.map((p) => p.numbers);
    // Round 701 is drawn with five numbers of the first set; its sixth is the bonus: 2nd prize.
    const extra = [...Array(45).keys()].map((i) => i + 1).find((n) => !first.includes(n) && !second.includes(n))!;
    const drawn = [...first.slice(0, 5), extra].sort((a, b) => a - b);
    const draw: Draw = { ...ALL.find((d) => d.round === T)!, numbers: drawn, bonus: first[5] };
    importDraw(draw, '2026-02-01T00:00:00.000Z');
    const summary = scorePredictions(db);
    expect(summary.sets).toBe(5);

    const stored = service.get(r.request_id)!;
    expect(stored.status).toBe('scored');
    expect(stored.draw).toMatchObject({ round: T, numbers: drawn, bonus: first[5] });
    for (const p of stored.predictions) {
      const matches = p.numbers.filter((n) => drawn.includes(n)).length;
      const bonus = p.numbers.includes(first[5]);
      expect(p.matches).toBe(matches);
      expect(p.bonus_match).toBe(bonus);
      const expectedRank = matches === 6 ? 1 : matches === 5 ? (bonus ? 2 : 3) : matches === 4 ? 4 : matches === 3 ? 5 : null;
      expect(p.prize_rank).toBe(expectedRank);
    }
    expect(stored.predictions[0].prize_rank).toBe(2);
    // Listing by machine and round shows the same results.
    const listed = service.list({ machine: 1, round: T });
    expect(listed.total).toBe(1);
    expect(listed.items[0].sets.map((s) => s.prize_rank)).toEqual(stored.predictions.map((p) => p.prize_rank));
    // Scoring again changes nothing.
    expect(scorePredictions(db)).toEqual({ sets: 0, forecasts: 0 });
  });

  it('scores each family forecast by its log-likelihood of the draw, and scores sets and forecasts again after a corrected draw', async () => {
    const r = await service.generate({ machine: 3, count: 3, seed: 1 });
    expect(service.get(r.request_id)!.status).toBe('pending');
    const f = predictionsRepo(db).getForecast(T, 3, 'transformer')!;
    expect(f.logLikelihood).toBeNull();
    const ll = (p: number[], drawn: readonly number[]) => p.reduce((s, x, i) => s + (drawn.includes(i + 1) ? Math.log(x) : Math.log(1 - x)), 0);
    const matches = (drawn: readonly number[]) => r.predictions.map((p) => p.numbers.filter((n) => drawn.includes(n)).length);

    const real = ALL.find((d) => d.round === T)!;
    importDraw(real, '2026-02-01T00:00:00.000Z');
    scorePredictions(db);
    expect(predictionsRepo(db).getForecast(T, 3, 'transformer')!.logLikelihood).toBeCloseTo(ll(f.probabilities, real.numbers), 9);
    expect(service.get(r.request_id)!.predictions.map((p) => p.matches)).toEqual(matches(real.numbers));

    // An import with --overwrite corrects the draw: its sets and forecasts are scored again.
    const fixed = r.predictions[0].numbers;
    const corrected = { ...real, numbers: fixed, bonus: [...Array(45).keys()].map((i) => i + 1).find((n) => !fixed.includes(n))! };
    importDraw(corrected, '2026-02-02T00:00:00.000Z', true);
    expect(scorePredictions(db)).toMatchObject({ sets: 3 });
    expect(predictionsRepo(db).getForecast(T, 3, 'transformer')!.logLikelihood).toBeCloseTo(ll(f.probabilities, fixed), 9);
    const stored = service.get(r.request_id)!;
    expect(stored.predictions.map((p) => p.matches)).toEqual(matches(fixed));
    expect(stored.predictions[0].prize_rank).toBe(1);
  });
});
