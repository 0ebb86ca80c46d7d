import { describe, expect, it } from 'vitest';
import { drawDate, drawTime, formatKst, freshness, latestDrawnRound, nextRound, salesCloseTime } from '../../src/domain/calendar.js';

/** An instant given in KST wall-clock time. */
const kst = (iso: string) => new Date(`${iso}+09:00`);

describe('draw calendar', () => {
  it('puts round 1 on 2002-12-07 and every later round a week after the one before, at 20:35 KST', () => {
    expect(drawDate(1)).toBe('2002-12-07');
    expect(drawDate(1245)).toBe('2026-10-10');
    expect(drawDate(1253)).toBe('2026-12-05');
    expect(formatKst(drawTime(1253))).toBe('2026-12-05 20:35 KST');
    expect(drawTime(1254).getTime() - drawTime(1253).getTime()).toBe(7 * 86_400_000);
  });

  it('closes sales at 20:00 KST on the draw day', () => {
    expect(formatKst(salesCloseTime(1254))).toBe('2026-12-12 20:00 KST');
  });

  it('counts a round as drawn from 20:35 KST on, not before', () => {
    expect(latestDrawnRound(kst('2026-12-05T20:34:59'))).toBe(1252);
    expect(latestDrawnRound(kst('2026-12-05T20:35:00'))).toBe(1253);
    expect(nextRound(kst('2026-12-05T20:34:59'))).toBe(1253);
    expect(nextRound(kst('2026-12-05T21:00:00'))).toBe(1254);
    expect(latestDrawnRound(kst('2002-12-01T12:00:00'))).toBe(0);
  });

  it('reports a database that stops at 1245 as 8 rounds behind and stale on 2026-12-05 after the draw', () => {
    const f = freshness(1245, kst('2026-12-05T21:00:00'));
    expect(f).toMatchObject({ expectedLatestRound: 1253, storedLatestRound: 1245, missingRounds: 8, stale: true, nextRound: 1254 });
    expect(formatKst(f.nextDrawAt)).toBe('2026-12-12 20:35 KST');
  });

  it('waits 12 hours after a draw before calling its absence stale', () => {
    // Round 1253 was drawn at 20:35 on 2026-12-05; the database has 1252.
    expect(freshness(1252, kst('2026-12-06T08:35:00'))).toMatchObject({ missingRounds: 1, stale: false });
    expect(freshness(1252, kst('2026-12-06T08:35:01'))).toMatchObject({ missingRounds: 1, stale: true });
    expect(freshness(1253, kst('2026-12-06T09:00:00'))).toMatchObject({ missingRounds: 0, stale: false });
  });

  it('does not call an empty database or one ahead of the calendar stale', () => {
    expect(freshness(null, kst('2026-12-06T09:00:00'))).toMatchObject({ stale: false, missingRounds: 0, storedLatestRound: null });
    expect(freshness(1300, kst('2026-12-06T09:00:00'))).toMatchObject({ stale: false, missingRounds: 0 });
  });

  it('refuses round numbers that are not positive integers', () => {
    expect(() => drawTime(0)).toThrow(RangeError);
    expect(() => drawTime(1.5)).toThrow(RangeError);
  });
});
