import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/data/db.js';
import { drawsRepo } from '../../../src/data/drawsRepo.js';
import type { Draw } from '../../../src/domain/draw.js';
import type { Machine } from '../../../src/domain/machine.js';
import { NoPopularityDataError, PredictionService } from '../../../src/service/predictions/service.js';
import { SHARING_BOUND } from '../../../src/service/popularity/sharing.js';
import { satisfiesConstraints, strategyFor } from '../../../src/strategies/index.js';
import { generateSets, InfeasibleRequestError } from '../../../src/strategies/sets.js';
import { E_SPEC, T_SPEC, fakeLoader, saveFake, tempModelsDir } from '../predictionFakes.js';
import { fixtureRounds } from '../../models/popularity/fixture.js';

const rounds = fixtureRounds();
// The fixture has no machine labels; these tests need labelled draws, so label them in turn.
const draws: Draw[] = rounds.map((r) => ({
  round: r.round,
  date: r.date,
  numbers: r.numbers,
  bonus: r.bonus,
  machine: ((r.round % 3) + 1) as Machine,
  firstPrizeEach: r.prizeEach[0],
  firstPrizeWinners: r.winners[0],
  totalSales: r.totalSales,
}));

let db: Db;
let dir: string;
let service: PredictionService;

function makeService(withPrizes: boolean): PredictionService {
  const { loaders } = fakeLoader();
  return new PredictionService({
    db,
    modelsDir: dir,
    runner: 'in-process',
    loaders,
    timeoutMs: 5000,
    modelsCheckMs: 0,
    ...(withPrizes ? { popularitySource: () => rounds } : {}),
  });
}

beforeEach(() => {
  db = openDb(':memory:');
  drawsRepo(db).upsertMany(draws, '2026-01-01T00:00:00.000Z');
  dir = tempModelsDir();
  saveFake(dir, 'transformer', 'all', T_SPEC);
  saveFake(dir, 'ensemble', 'all', E_SPEC);
});
afterEach(async () => {
  await service?.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('avoid_sharing', () => {
  it('every set has a predicted ratio ≤ 0.85 in tiers 1–3, meets its machine rules and the fixed/excluded numbers, and the seed reproduces it', async () => {
    service = makeService(true);
    for (const machine of [1, 2, 3] as const) {
      const req = { machine, count: 5, seed: 21, include: [20], exclude: [1, 2, 44], avoidSharing: true, lang: 'en' as const };
      const r = await service.generate(req);
      expect(r.predictions).toHaveLength(5);
      expect(r.metadata.avoid_sharing).toBe(true);
      for (const p of r.predictions) {
        const pop = p.popularity;
        expect(pop).toBeTruthy();
        for (const k of ['1', '2', '3'] as const) expect(pop?.ratio[k]).toBeLessThanOrEqual(SHARING_BOUND);
        expect(satisfiesConstraints(p.numbers, strategyFor(machine).constraints)).toBe(true);
        expect(p.numbers).toContain(20);
        for (const n of [1, 2, 44]) expect(p.numbers).not.toContain(n);
        expect(p.explanation.join(' ')).toMatch(/model vector ranks those/);
      }
      const again = await service.generate(req);
      expect(again.predictions.map((p) => p.numbers)).toEqual(r.predictions.map((p) => p.numbers));
    }
  });

  it('without the switch every set still carries its popularity figures next to an average combination', async () => {
    service = makeService(true);
    const r = await service.generate({ machine: 2, count: 4, seed: 5 });
    expect(r.metadata.average_combination_popularity?.ratio['1']).toBe(1);
    for (const p of r.predictions) {
      expect(Object.keys(p.popularity?.ratio ?? {})).toEqual(['1', '2', '3', '4', '5']);
      expect(p.popularity?.expected_prize_if_won['1']).toBeGreaterThan(0);
    }
    // At least one plain set would have failed the bound here, so the switch changes the answer.
    const plain = await service.generate({ machine: 2, count: 8, seed: 5 });
    expect(plain.predictions.some((p) => ['1', '2', '3'].some((k) => (p.popularity?.ratio[k as '1'] ?? 0) > SHARING_BOUND))).toBe(true);
  });

  it('with first-prize figures only, sets come with popularity null, and avoid_sharing is refused saying what to load', async () => {
    service = makeService(false);
    const r = await service.generate({ machine: 1, count: 2, seed: 1 });
    for (const p of r.predictions) expect(p.popularity).toBeNull();
    await expect(service.generate({ machine: 1, count: 2, seed: 1, avoidSharing: true })).rejects.toThrow(NoPopularityDataError);
  });

  it('when no candidate passes the sharing rule the request fails with the reason instead of returning a shared set', () => {
    const probabilities = new Float64Array(45).fill(6 / 45);
    const why = { ko: '공유 회피 실패', en: 'no set passed the sharing rule' };
    expect(() => generateSets({ probabilities, strategy: strategyFor(2), count: 1, seed: 3, lang: 'en', accept: { test: () => false, tries: 20, why } })).toThrow(InfeasibleRequestError);
    expect(() => generateSets({ probabilities, strategy: strategyFor(2), count: 1, seed: 3, lang: 'en', accept: { test: () => false, tries: 20, why } })).toThrow(/no set passed the sharing rule/);
  });
});
