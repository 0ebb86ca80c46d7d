import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { fairnessReport } from '../../src/domain/fairness/index.js';
import { fairnessInWorker, fairnessService } from '../../src/service/fairness.js';
import { loadHistoryDraws } from '../helpers/history.js';

const FAST = { nullSimulations: 20, powerSimulations: 10, permutations: 99 };

describe('fairness service', () => {
  it('a report computed in a worker thread equals the in-process one', async () => {
    const draws = loadHistoryDraws().filter((d) => d.round >= 262 && d.round <= 500);
    const options = { machines: ['all' as const, 1], seed: 9, ...FAST };
    expect(await fairnessInWorker(draws, options)).toEqual(fairnessReport(draws, options));
  });

  it('caches per data version and parameters; concurrent equal requests share one computation', async () => {
    const db = openDb(':memory:');
    const repo = drawsRepo(db);
    repo.upsertMany(loadHistoryDraws().filter((d) => d.round >= 262 && d.round <= 450), '2026-01-01T00:00:00Z');
    let calls = 0;
    const svc = fairnessService(repo, {
      compute: async (draws, o) => {
        calls++;
        return fairnessReport(draws, o);
      },
    });
    const [a, b] = await Promise.all([svc.reportAsync({ machines: ['all'], ...FAST }), svc.reportAsync({ machines: ['all'], ...FAST })]);
    expect(a).toBe(b);
    expect(calls).toBe(1);
    // The synchronous path finds the finished report too.
    expect(await svc.report({ machines: ['all'], ...FAST })).toBe(a);
    // Other parameters, or new data, compute again.
    await svc.reportAsync({ machines: ['all'], ...FAST, seed: 1 });
    expect(calls).toBe(2);
    repo.upsertMany(loadHistoryDraws().filter((d) => d.round === 451), '2026-01-02T00:00:00Z');
    const c = await svc.reportAsync({ machines: ['all'], ...FAST });
    expect(calls).toBe(3);
    expect(c.scopes[0].draws).toBe(a.scopes[0].draws + 1);
    await expect(svc.reportAsync({ machines: [8] })).rejects.toThrow(/unknown machine/);
    expect(calls).toBe(3);
    db.close();
  });
});
