// The System page words the health reasons in the reader's language from the codes the server sends.
import { describe, expect, it } from 'vitest';
import { healthHint, healthReasons } from '../../web/src/healthReasons.js';
import { HEALTH_REASON_CODES } from '../../src/api/monitoringSchemas.js';
import type { Health } from '../../web/src/types.js';

function health(reasons: string[], codes: Health['reason_codes'], lastError: string | null = null): Health {
  const database = { status: 'ok' as const, response_time_ms: 0.2, latest_round: 1200, total_draws: 1200, data_version: 3, freshness: null };
  return {
    status: codes.length ? 'degraded' : 'healthy',
    timestamp: '2026-11-28T12:10:00.000Z',
    reasons,
    reason_codes: codes,
    database,
    components: {
      database,
      ml_models: null,
      cache: null,
      sync: {
        status: lastError ? 'failed' : 'ok', last_success: null, last_success_round: null, last_error: lastError, last_error_at: null,
        scheduler: 'off', schedule: null, phase: null, next_run: null, next_run_kst: null, last_cycle: null, training: null,
      },
    },
    hint: null,
  };
}

describe('health reasons in the reader language', () => {
  it('keeps the server English words in English', () => {
    const h = health(['no draws stored yet'], ['no_draws']);
    expect(healthReasons(h, 'en')).toEqual(['no draws stored yet']);
  });

  it('words every code the server can send in Korean, one line per reason, in order', () => {
    const codes = [...HEALTH_REASON_CODES];
    const lines = healthReasons(health(codes.map((c) => `english ${c}`), codes), 'ko');
    expect(lines).toHaveLength(codes.length);
    for (const line of lines) {
      expect(line).toMatch(/[가-힣]/);
      expect(line).not.toMatch(/english/);
    }
    expect(new Set(lines).size).toBe(codes.length);
  });

  it('keeps the English sync error out of the Korean sentence and says where the original is', () => {
    const h = health(['the last sync failed: dhlottery.co.kr is unreachable'], ['sync_failed'], 'dhlottery.co.kr is unreachable');
    expect(healthReasons(h, 'ko')).toEqual(['마지막 동기화가 실패했습니다 (원인은 동기화 칸의 오류 원문에 있습니다)']);
  });

  it('words the stale-data reason with the rounds missing and how to fix it', () => {
    const h = health(['the stored history is 8 rounds behind'], ['DATA_STALE']);
    h.components.database = {
      ...h.components.database,
      freshness: { expected_latest_round: 1253, stored_latest_round: 1245, missing_rounds: 8, stale: true, next_round: 1254, next_draw_at: '2026-12-12T11:35:00.000Z', next_draw_at_kst: '2026-12-12 20:35 KST', sales_close_at: '2026-12-12T11:00:00.000Z' },
    };
    const [line] = healthReasons(h, 'ko');
    expect(line).toMatch(/8회차 뒤처져.*1253회.*1245회.*hogi sync.*hogi import/);
    expect(healthHint({ ...h, hint: 'Drawn rounds are missing.' }, 'ko')).toMatch(/빠진 회차.*hogi sync/);
    expect(healthHint({ ...h, hint: 'Drawn rounds are missing.' }, 'en')).toBe('Drawn rounds are missing.');
  });

  it('falls back to the server words when codes and reasons do not line up', () => {
    const h = health(['a', 'b'], ['no_draws']);
    expect(healthReasons(h, 'ko')).toEqual(['a', 'b']);
  });
});
