/**
 * The draw calendar of Lotto 6/45: one draw every Saturday at 20:35 KST, round N on
 * 2002-12-07 + 7·(N−1) days (true for every round so far), ticket sales closing at 20:00 KST.
 * Pure: every function takes the instant it reasons about; nothing here reads a clock.
 */

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** KST is UTC+9 all year (no daylight saving). */
const KST_OFFSET_MS = 9 * 3_600_000;

/** Round 1: Saturday 2002-12-07, 20:35 KST = 11:35 UTC. */
const FIRST_DRAW_MS = Date.UTC(2002, 11, 7, 20 - 9, 35);
/** Sales for a round close 35 minutes before its draw (20:00 KST). */
const SALES_CLOSE_BEFORE_MS = 35 * 60_000;
/** A drawn round not stored this long after its draw makes the data stale. */
export const STALE_AFTER_MS = 12 * 3_600_000;

function checkRound(round: number): void {
  if (!Number.isInteger(round) || round < 1) throw new RangeError(`round must be an integer ≥ 1, got ${round}`);
}

/** When round `round` is drawn (20:35 KST on its Saturday). */
export function drawTime(round: number): Date {
  checkRound(round);
  return new Date(FIRST_DRAW_MS + (round - 1) * WEEK_MS);
}

/** When ticket sales for `round` close (20:00 KST on its Saturday). */
export function salesCloseTime(round: number): Date {
  return new Date(drawTime(round).getTime() - SALES_CLOSE_BEFORE_MS);
}

/** The KST calendar date of round `round`'s draw, "YYYY-MM-DD". */
export function drawDate(round: number): string {
  return new Date(drawTime(round).getTime() + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The newest round drawn at or before `now` (0 before the first draw). */
export function latestDrawnRound(now: Date): number {
  const since = now.getTime() - FIRST_DRAW_MS;
  return since < 0 ? 0 : Math.floor(since / WEEK_MS) + 1;
}

/** The next round not yet drawn at `now`: the draw a prediction made now is for. */
export function nextRound(now: Date): number {
  return latestDrawnRound(now) + 1;
}

/** "2026-12-12 20:35 KST" */
export function formatKst(at: Date): string {
  const k = new Date(at.getTime() + KST_OFFSET_MS).toISOString();
  return `${k.slice(0, 10)} ${k.slice(11, 16)} KST`;
}

export interface Freshness {
  /** The newest round the calendar says has been drawn. */
  expectedLatestRound: number;
  /** The newest round stored; null for an empty database. */
  storedLatestRound: number | null;
  /** Drawn rounds newer than the stored latest (0 when up to date or ahead). */
  missingRounds: number;
  /** True when a drawn round is still missing more than 12 hours after its draw. */
  stale: boolean;
  /** The next round to be drawn, and when; its sales close 35 minutes earlier. */
  nextRound: number;
  nextDrawAt: Date;
  nextSalesCloseAt: Date;
}

/**
 * How current a database whose newest round is `storedLatest` is at `now`. An empty database is
 * not called stale here (it has its own, louder reason: no draws at all).
 */
export function freshness(storedLatest: number | null, now: Date): Freshness {
  const expected = latestDrawnRound(now);
  const next = expected + 1;
  const missing = storedLatest === null ? 0 : Math.max(0, expected - storedLatest);
  // The oldest missing round is the one that has waited longest since its draw.
  const stale = storedLatest !== null && missing > 0 && now.getTime() - drawTime(storedLatest + 1).getTime() > STALE_AFTER_MS;
  return {
    expectedLatestRound: expected,
    storedLatestRound: storedLatest,
    missingRounds: missing,
    stale,
    nextRound: next,
    nextDrawAt: drawTime(next),
    nextSalesCloseAt: salesCloseTime(next),
  };
}
