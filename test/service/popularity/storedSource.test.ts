import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/data/db.js';
import { drawsRepo } from '../../../src/data/drawsRepo.js';
import { parsePrizeRoundsCsv } from '../../../src/data/prizeRoundsCsv.js';
import { storedPrizeSource } from '../../../src/service/popularity/service.js';
import { historyDrawsCsv, historyPrizesCsv, loadHistoryDraws, loadHistoryDrawsWithoutTiers } from '../../helpers/history.js';

describe('storedPrizeSource (the popularity model reading the database)', () => {
  it('gives the same prize rounds from the stored tiers as the draws + prizes CSV pair of the same history', () => {
    const repo = drawsRepo(openDb(':memory:'));
    repo.upsertMany(loadHistoryDraws(), '2026-01-01T00:00:00Z');
    const stored = storedPrizeSource(repo)();
    const fromCsv = parsePrizeRoundsCsv(readFileSync(historyDrawsCsv(), 'utf8'), readFileSync(historyPrizesCsv(), 'utf8'));
    // The CSV pair holds the rounds with known tiers; the database also holds the later draws, their tiers unknown.
    const lastWithTiers = fromCsv[fromCsv.length - 1].round;
    expect(fromCsv.length).toBeGreaterThan(1200);
    expect(stored.filter((r) => r.round <= lastWithTiers)).toEqual(fromCsv);
    for (const r of stored.filter((x) => x.round > lastWithTiers)) expect(r.winners.slice(1)).toEqual([null, null, null, null]);
    const last = stored.find((r) => r.round === 1238)!;
    expect(last.winners.every((w) => w !== null)).toBe(true);
    expect(last.firstSplit).not.toBeNull();
  });

  it('reads tiers 2–5 and the first-prize split as unknown (null, never 0) for rounds stored without them', () => {
    const repo = drawsRepo(openDb(':memory:'));
    repo.upsertMany(loadHistoryDrawsWithoutTiers().slice(1000, 1010), '2026-01-01T00:00:00Z');
    const rounds = storedPrizeSource(repo)();
    expect(rounds).toHaveLength(10);
    for (const r of rounds) {
      expect(r.winners[0]).not.toBeNull();
      expect(r.winners.slice(1)).toEqual([null, null, null, null]);
      expect(r.prizeEach.slice(1)).toEqual([null, null, null, null]);
      expect(r.firstSplit).toBeNull();
    }
  });
});
