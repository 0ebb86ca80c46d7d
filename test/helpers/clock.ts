// Fixed clocks on the draw calendar, for tests whose history is a slice ending at some round:
// with the real clock every such slice is years behind, so health would say DATA_STALE and
// predictions would target the calendar's next round instead of the slice's.
import { drawTime } from '../../src/domain/calendar.js';

/** One hour after round `round` was drawn: that round is the newest drawn, the next one is predicted. */
export function afterDraw(round: number): Date {
  return new Date(drawTime(round).getTime() + 3_600_000);
}

/** A clock that always reads afterDraw(round). */
export const clockAfterDraw = (round: number) => (): Date => afterDraw(round);
