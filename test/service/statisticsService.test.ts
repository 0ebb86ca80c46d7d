import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo, type DrawsRepo } from '../../src/data/drawsRepo.js';
import type { Draw } from '../../src/domain/draw.js';
import { statisticsService } from '../../src/service/statisticsService.js';
import { loadHistoryDraws } from '../helpers/history.js';

const slice = (from: number, to: number): Draw[] => loadHistoryDraws().filter((d) => d.round >= from && d.round <= to);

/** A repo that counts the window reads (the expensive part an analysis does). */
function countingRepo(repo: DrawsRepo): { repo: DrawsRepo; reads: () => number } {
  let n = 0;
  return {
    repo: {
      ...repo,
      list: (q) => {
        n++;
        return repo.list(q);
      },
    },
    reads: () => n,
  };
}

/** Expected shares by counting the window's draws directly (independent of domain/stats). */
function expectedShares(draws: Draw[], machine: number | null, rounds: number): Record<string, number> {
  const window = draws
    .filter((d) => machine === null || d.machine === machine)
    .sort((a, b) => b.round - a.round)
    .slice(0, rounds);
  const out: Record<string, number> = {};
  for (let n = 1; n <= 45; n++) out[String(n)] = Math.round((window.filter((d) => d.numbers.includes(n)).length / window.length) * 1e4) / 1e4;
  return out;
}

describe('statistics service', () => {
  const dbs: Db[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) if (db.open) db.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('a repeated request is answered without reading the draws again, with the same answer', () => {
    const db = openDb(':memory:');
    dbs.push(db);
    const draws = slice(1000, 1200);
    drawsRepo(db).upsertMany(draws, '2026-01-01T00:00:00Z');
    const { repo, reads } = countingRepo(drawsRepo(db));
    const svc = statisticsService(repo);
    const a = svc.machineAnalysis(2, 30);
    expect(a.number_frequency.frequency_distribution).toEqual(expectedShares(draws, 2, 30));
    expect(svc.machineAnalysis(2, 30)).toBe(a);
    expect(reads()).toBe(1);
    expect(svc.computations).toBe(1);
    // Other machines and windows are their own entries, each correct.
    expect(svc.machineAnalysis(null, 30).number_frequency.frequency_distribution).toEqual(expectedShares(draws, null, 30));
    expect(svc.machineAnalysis(2, 31).number_frequency.frequency_distribution).toEqual(expectedShares(draws, 2, 31));
    expect(reads()).toBe(3);
    // Shared answers cannot be altered by one caller for the next.
    expect(Object.isFrozen(a.number_frequency.frequency_distribution)).toBe(true);
  });

  it('new draws are reflected at once, including draws written through another connection (hogi import beside the server)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hogi-stats-'));
    dirs.push(dir);
    const path = join(dir, 'hogi.db');
    const serverDb = openDb(path);
    const cliDb = openDb(path);
    dbs.push(serverDb, cliDb);
    const all = slice(1000, 1200);
    drawsRepo(cliDb).upsertMany(all.filter((d) => d.round < 1150), '2026-01-01T00:00:00Z');
    const svc = statisticsService(drawsRepo(serverDb));
    const before = svc.machineAnalysis(null, 20);
    expect(before.analysis_period.end_round).toBe(1149);
    drawsRepo(cliDb).upsertMany(all.filter((d) => d.round >= 1150), '2026-01-02T00:00:00Z');
    const after = svc.machineAnalysis(null, 20);
    expect(after.analysis_period.end_round).toBe(1200);
    expect(after.number_frequency.frequency_distribution).toEqual(expectedShares(all, null, 20));
    expect(svc.computations).toBe(2);
  });

  it('keeps at most maxEntries analyses, dropping the least recently used', () => {
    const db = openDb(':memory:');
    dbs.push(db);
    drawsRepo(db).upsertMany(slice(1100, 1200), '2026-01-01T00:00:00Z');
    const { repo, reads } = countingRepo(drawsRepo(db));
    const svc = statisticsService(repo, { maxEntries: 2 });
    svc.machineAnalysis(1, 10);
    svc.machineAnalysis(1, 20);
    svc.machineAnalysis(1, 10); // 10 is now the most recently used
    svc.machineAnalysis(1, 30); // evicts 20
    expect(reads()).toBe(3);
    svc.machineAnalysis(1, 10);
    expect(reads()).toBe(3);
    svc.machineAnalysis(1, 20);
    expect(reads()).toBe(4);
  });
});

describe('the window statistics `hogi stats` prints', () => {
  it('loads only the last N draws (of the machine) yet gives the same figures as the window over the whole history', async () => {
    const { windowStats } = await import('../../src/domain/stats.js');
    const db = openDb(':memory:');
    try {
      const history = slice(900, 1245);
      drawsRepo(db).upsertMany(history, '2026-01-01T00:00:00.000Z');
      const service = statisticsService(drawsRepo(db));
      for (const [machine, rounds] of [[null, 50], [2, 30], [3, 1000]] as const) {
        const w = service.window(machine, rounds);
        expect(w).toEqual(windowStats(history, { rounds, ...(machine !== null ? { machine } : {}) }));
        const own = machine === null ? history : history.filter((d) => d.machine === machine);
        expect(w.totalRounds).toBe(Math.min(rounds, own.length));
        expect(w.endRound).toBe(own[own.length - 1].round);
      }
    } finally {
      db.close();
    }
  });
});
