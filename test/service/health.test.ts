// The HealthService on its own: the report the health route renders, without HTTP.
import { describe, expect, it } from 'vitest';
import { HealthService, type HealthServiceOptions } from '../../src/service/health.js';
import { afterDraw } from '../helpers/clock.js';

const cacheStats = () => ({ enabled: true, entries: 0, bytes: 0, hits: 0, misses: 0, hit_rate: null, ttl_seconds: 300 });
const predictions: HealthServiceOptions['predictions'] = { modelsDir: '/nonexistent', config: 'small', runtime: 'tfjs', peekVectors: () => null, lastPredictionAt: null, cacheStats };

function service(summary: () => { latestRound: number | null; totalDraws: number; dataVersion: number }, meta: (k: string) => string | null = () => null) {
  return new HealthService({ draws: { summary, meta }, predictions, cycle: () => null, clock: () => afterDraw(1200) });
}

describe('HealthService', () => {
  it('is unhealthy, says why and hints at the database when it cannot be read', () => {
    const heard: unknown[] = [];
    const r = service(() => {
      throw new Error('disk gone');
    }).report((e) => heard.push(e));
    expect(r.status).toBe('unhealthy');
    expect(r.reasons.map((x) => x.code)).toEqual(['database_unreadable']);
    expect(r.hint).toBe('check_database');
    expect(r.models).toBeNull();
    expect((heard[0] as Error).message).toBe('disk gone');
  });

  it('is degraded on an empty database with the load-data hint, and on stale data with its missing rounds', () => {
    const empty = service(() => ({ latestRound: null, totalDraws: 0, dataVersion: 0 })).report();
    expect(empty.status).toBe('degraded');
    expect(empty.reasons.map((x) => x.code)).toContain('no_draws');
    expect(empty.hint).toBe('load_data');
    const stale = service(() => ({ latestRound: 1197, totalDraws: 1197, dataVersion: 1 })).report();
    expect(stale.reasons.find((x) => x.code === 'DATA_STALE')?.text).toMatch(/3 rounds behind: round 1200 has been drawn but the newest stored is 1197/);
    expect(stale.hint).toBe('stale_data');
    expect(stale.models?.status).toBe('warming');
  });

  it('reports a failed sync after the last success', () => {
    const meta = (k: string) => (k.includes('error') ? JSON.stringify({ at: '2026-01-02T00:00:00Z', message: 'offline' }) : JSON.stringify({ at: '2026-01-01T00:00:00Z', latestRound: 1200 }));
    const r = service(() => ({ latestRound: 1200, totalDraws: 1200, dataVersion: 1 }), meta).report();
    expect(r.sync).toMatchObject({ status: 'failed', lastError: 'offline', lastSuccessRound: 1200 });
    expect(r.reasons.map((x) => x.code)).toContain('sync_failed');
  });
});
