/**
 * dhlottery records → Draws. Field map (the issue's): ltEpsd → round, ltRflYmd
 * (YYYYMMDD) → date, tm1WnNo..tm6WnNo → numbers, bnsWnNo → bonus, rnk1WnAmt → first
 * prize each, rnk1WnNope → first-prize winners, wholEpsdSumNtslAmt → total sales
 * (rlvtEpsdSumNtslAmt is deliberately not read).
 *
 * A missing or renamed field is a changed format, not a null: guessing would store
 * wrong data silently.
 */
import { validateDraw, type Draw } from '../../domain/draw.js';
import { formatProblem, type Problem } from '../../domain/problems.js';
import { ChangedFormatError } from './errors.js';

const NUMBER_FIELDS = ['tm1WnNo', 'tm2WnNo', 'tm3WnNo', 'tm4WnNo', 'tm5WnNo', 'tm6WnNo'] as const;
const REQUIRED_FIELDS = ['ltEpsd', 'ltRflYmd', ...NUMBER_FIELDS, 'bnsWnNo', 'rnk1WnAmt', 'rnk1WnNope', 'wholEpsdSumNtslAmt'] as const;

// The API sends numbers; digit strings are accepted because they are unambiguous.
function int(v: unknown): unknown {
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  return v;
}

function isoDate(v: unknown): unknown {
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s === 'string') {
    const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s.trim());
    if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  }
  return v;
}

/**
 * Map and validate a `data.list`. Throws ChangedFormatError listing what is missing or
 * wrong; returns the draws in list order otherwise.
 */
export function dhlotteryRecordsToDraws(list: readonly unknown[], url: string): Draw[] {
  const problems: Problem[] = [];
  const draws: Draw[] = [];
  const seen = new Map<number, Draw>();
  list.forEach((rec, index) => {
    if (!rec || typeof rec !== 'object' || Array.isArray(rec)) {
      problems.push({ index, field: 'record', expected: 'an object', found: JSON.stringify(rec)?.slice(0, 40) ?? 'nothing' });
      return;
    }
    const r = rec as Record<string, unknown>;
    const missing = REQUIRED_FIELDS.filter((f) => !(f in r));
    if (missing.length > 0) {
      problems.push({ index, field: missing.join(', '), expected: 'present', found: `keys ${Object.keys(r).slice(0, 12).join(', ')}` });
      return;
    }
    let firstPrizeEach = int(r.rnk1WnAmt);
    let firstPrizeWinners = int(r.rnk1WnNope);
    let totalSales = int(r.wholEpsdSumNtslAmt);
    // Right after a draw the numbers are out but the prize figures are still zero; no round ever
    // had zero sales, so all-zero means "not published yet" and is stored as unknown.
    if (firstPrizeEach === 0 && firstPrizeWinners === 0 && totalSales === 0) {
      firstPrizeEach = null;
      firstPrizeWinners = null;
      totalSales = null;
    }
    const { draw, problems: p } = validateDraw(
      {
        round: int(r.ltEpsd),
        date: isoDate(r.ltRflYmd),
        numbers: NUMBER_FIELDS.map((f) => int(r[f])),
        bonus: int(r.bnsWnNo),
        machine: null,
        firstPrizeEach,
        firstPrizeWinners,
        totalSales,
      },
      { index },
    );
    problems.push(...p);
    if (!draw) return;
    const prev = seen.get(draw.round);
    if (prev) {
      if (JSON.stringify(prev) !== JSON.stringify(draw)) {
        problems.push({ index, round: draw.round, field: 'ltEpsd', expected: 'each round once', found: 'two different records for this round' });
      }
      return;
    }
    seen.set(draw.round, draw);
    draws.push(draw);
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).map(formatProblem).join('; ');
    throw new ChangedFormatError(url, `${problems.length} bad record field${problems.length === 1 ? '' : 's'}: ${shown}${problems.length > 5 ? '; …' : ''}`);
  }
  return draws;
}
