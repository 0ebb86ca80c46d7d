import { describe, expect, it } from 'vitest';
import { openDb, schemaVersion } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { MIGRATIONS } from '../../src/data/migrations.js';
import type { Draw } from '../../src/domain/draw.js';
import { rankedPrizes } from '../../src/domain/prizes.js';

const draw = (round: number, machine: number | null = 1): Draw => ({
  round,
  date: '2024-01-06',
  numbers: [3, 11, 19, 27, 35, 43],
  bonus: 7,
  machine,
  firstPrizeEach: 100,
  firstPrizeWinners: 2,
  totalSales: 1000,
  memo: null,
});

describe('draws repository', () => {
  it('applies every migration to a new database', () => {
    const db = openDb(':memory:');
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
  });

  it('stores derived statistics columns next to the numbers', () => {
    const db = openDb(':memory:');
    drawsRepo(db).upsertMany([draw(1)], '2024-01-01T00:00:00Z');
    const row = db.prepare('SELECT odd_even_ratio, high_low_ratio, ac_value, total_sum, last_digit_sum FROM lottery_draws').get();
    // 3 11 19 27 35 43: all odd, three ≥ 23; differences are multiples of 8 → {8,16,24,32,40} → AC 0.
    expect(row).toEqual({ odd_even_ratio: '6:0', high_low_ratio: '3:3', ac_value: 0, total_sum: 138, last_digit_sum: 3 + 1 + 9 + 7 + 5 + 3 });
  });

  it('reads back exactly what was written and filters by machine and range', () => {
    const repo = drawsRepo(openDb(':memory:'));
    repo.upsertMany([draw(1, 1), draw(2, 2), draw(3, null), draw(4, 2)], 'now');
    // Prize tiers and the split were not given: they read back as unknown (null), not as zeros.
    expect(repo.get(2)).toEqual({ ...draw(2, 2), lowerTiers: null, firstPrizeSplit: null });
    expect(repo.list({ machine: 2 }).map((d) => d.round)).toEqual([2, 4]);
    expect(repo.list({ from: 2, to: 3 }).map((d) => d.round)).toEqual([2, 3]);
    expect(repo.list({ descending: true, limit: 2 }).map((d) => d.round)).toEqual([4, 3]);
    expect(repo.count({ machine: 2 })).toBe(2);
    expect(repo.latest()?.round).toBe(4);
  });

  it('stores all five prize tiers and the first-prize split and reads them back in rank order', () => {
    const repo = drawsRepo(openDb(':memory:'));
    const lowerTiers = [
      { winners: 90, prizeEach: 55_000_000 },
      { winners: 3_000, prizeEach: 1_500_000 },
      { winners: 150_000, prizeEach: 50_000 },
      { winners: 2_500_000, prizeEach: 5_000 },
    ] as const;
    const d = { ...draw(5, 1), firstPrizeWinners: 12, firstPrizeEach: 2_000_000_000, lowerTiers, firstPrizeSplit: { auto: 8, manual: 3, semiAuto: 1 } };
    repo.upsertMany([d], 'now');
    expect(repo.get(5)).toEqual({ ...d, memo: d.memo ?? null });
    expect(rankedPrizes(repo.get(5)!)).toEqual([
      { rank: 1, winners: 12, prizeEach: 2_000_000_000 },
      { rank: 2, winners: 90, prizeEach: 55_000_000 },
      { rank: 3, winners: 3_000, prizeEach: 1_500_000 },
      { rank: 4, winners: 150_000, prizeEach: 50_000 },
      { rank: 5, winners: 2_500_000, prizeEach: 5_000 },
    ]);
  });

  it('refuses negative prize figures at the schema, so nothing half-valid is stored', () => {
    const repo = drawsRepo(openDb(':memory:'));
    const bad = { ...draw(6), lowerTiers: [{ winners: -1, prizeEach: 1 }, { winners: 1, prizeEach: 1 }, { winners: 1, prizeEach: 1 }, { winners: 1, prizeEach: 1 }] as const };
    expect(() => repo.upsertMany([draw(5), bad], 'now')).toThrow(/CHECK/);
    expect(repo.count()).toBe(0);
  });

  it('loads draws into an empty database once: a second seed finds draws and writes nothing', () => {
    const repo = drawsRepo(openDb(':memory:'));
    expect(repo.seedIfEmpty([draw(1), draw(2)], 'now')).toBe(true);
    const version = repo.dataVersion();
    expect(repo.seedIfEmpty([draw(3)], 'now')).toBe(false);
    expect(repo.count()).toBe(2);
    expect(repo.dataVersion()).toBe(version);
  });

  it('writes nothing when one row of a batch violates the schema', () => {
    const repo = drawsRepo(openDb(':memory:'));
    repo.upsertMany([draw(1)], 'now');
    const before = repo.dataVersion();
    expect(() => repo.upsertMany([draw(2), { ...draw(3), bonus: 99 }], 'now')).toThrow();
    expect(repo.count()).toBe(1);
    expect(repo.dataVersion()).toBe(before);
  });

  it('bumps the data version on every write', () => {
    const repo = drawsRepo(openDb(':memory:'));
    expect(repo.dataVersion()).toBe(0);
    repo.upsertMany([draw(1)], 'now');
    repo.upsertMany([draw(2)], 'now');
    expect(repo.dataVersion()).toBe(2);
  });
});
