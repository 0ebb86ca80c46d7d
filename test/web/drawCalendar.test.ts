// The header countdown and the stale banner read health's freshness and count on the server's clock.
import { describe, expect, it } from 'vitest';
import { countdownText, drawWhen, msUntilDraw, nextDrawText, staleText, type Freshness } from '../../web/src/drawCalendar.js';
import type { Health } from '../../web/src/types.js';

const fresh: Freshness = {
  expected_latest_round: 1253,
  stored_latest_round: 1245,
  missing_rounds: 8,
  stale: true,
  next_round: 1254,
  next_draw_at: '2026-12-12T11:35:00.000Z',
  next_draw_at_kst: '2026-12-12 20:35 KST',
  sales_close_at: '2026-12-12T11:00:00.000Z',
};

function healthAt(timestamp: string, f: Freshness | null): Health {
  const database = { status: 'ok' as const, response_time_ms: 0.2, latest_round: 1245, total_draws: 1245, data_version: 3, freshness: f };
  return { status: 'degraded', timestamp, reasons: [], reason_codes: [], database, components: { database, ml_models: null, cache: null, sync: null }, hint: null };
}

describe('next draw and stale data on the dashboard', () => {
  it('counts down from the server timestamp, not the device clock, less the time since the answer', () => {
    // Server says 2026-12-05 21:00 KST; the draw is 2026-12-12 20:35 KST: 6 days 23 h 35 min.
    const h = healthAt('2026-12-05T12:00:00.000Z', fresh);
    expect(msUntilDraw(h, 0)).toBe(((6 * 24 + 23) * 60 + 35) * 60_000);
    expect(countdownText(msUntilDraw(h, 0)!, 'ko')).toBe('6일 23시간 35분');
    expect(countdownText(msUntilDraw(h, 60_000)!, 'en')).toBe('6d 23h 34m');
    expect(msUntilDraw(healthAt('2026-12-05T12:00:00.000Z', null), 0)).toBeNull();
  });

  it('shows minutes and seconds in the last hour, and says so at the draw', () => {
    expect(countdownText(34 * 60_000 + 5_000, 'ko')).toBe('34:05');
    expect(countdownText(3 * 3_600_000 + 61_000, 'ko')).toBe('3시간 1분 1초');
    expect(countdownText(0, 'ko')).toBe('곧 추첨');
  });

  it('names the round and the Korean date and time of the draw', () => {
    expect(drawWhen(fresh.next_draw_at, 'ko')).toBe('12월 12일 (토) 20:35');
    expect(drawWhen(fresh.next_draw_at, 'en')).toBe('Sat 12 Dec, 20:35 KST');
    expect(nextDrawText(fresh, 60_000 * 90, 'ko')).toBe('다음 추첨 제1254회 · 12월 12일 (토) 20:35 · 1시간 30분 0초 남음');
  });

  it('has a stale banner with the rounds missing only when health says stale', () => {
    expect(staleText(fresh, 'ko')).toMatch(/8회차 뒤처져.*제1253회.*제1245회/);
    expect(staleText(fresh, 'en')).toMatch(/8 rounds behind/);
    expect(staleText({ ...fresh, stale: false, missing_rounds: 1 }, 'ko')).toBeNull();
    expect(staleText(null, 'ko')).toBeNull();
  });
});
