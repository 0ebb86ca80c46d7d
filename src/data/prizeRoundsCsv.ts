/**
 * Reads the per-round prize figures from the two CSV layouts hogi ships with
 * (draws.csv: round,date,n1..n6,bonus,first_prize_each,first_prize_winners,total_sales;
 * prizes.csv: round,winners_1,prize_each_1,…,winners_5,prize_each_5,first_auto,first_semi_auto,first_manual)
 * and joins them by round. Rounds missing from either file are left out. Every cell is checked;
 * a bad cell is reported with its file, line and column.
 */
import { ValidationError, show, type Problem } from '../domain/problems.js';
import { validatePrizeRounds, type PrizeRound } from '../domain/prizeRound.js';

const DRAW_COLUMNS = ['round', 'date', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'bonus', 'first_prize_each', 'first_prize_winners', 'total_sales'];
const PRIZE_COLUMNS = [
  'round',
  ...[1, 2, 3, 4, 5].flatMap((k) => [`winners_${k}`, `prize_each_${k}`]),
  'first_auto',
  'first_semi_auto',
  'first_manual',
];

function table(text: string, source: string, columns: string[], problems: Problem[]): Array<Record<string, string>> {
  const lines = text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  for (const c of columns) if (!header.includes(c)) problems.push({ source, field: c, expected: 'a column in the header', found: show(lines[0] ?? '') });
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const rec: Record<string, string> = {};
    header.forEach((h, i) => (rec[h] = (cells[i] ?? '').trim()));
    return rec;
  });
}

export function parsePrizeRoundsCsv(drawsCsv: string, prizesCsv: string, sources = { draws: 'draws.csv', prizes: 'prizes.csv' }): PrizeRound[] {
  const problems: Problem[] = [];
  const draws = table(drawsCsv, sources.draws, DRAW_COLUMNS, problems);
  const prizes = table(prizesCsv, sources.prizes, PRIZE_COLUMNS, problems);
  if (problems.length) throw new ValidationError(problems);
  const int = (rec: Record<string, string>, field: string, index: number, source: string, optional: boolean): number | null => {
    const v = rec[field];
    if (v === '' && optional) return null;
    const n = Number(v);
    if (v === '' || !Number.isSafeInteger(n) || n < 0) {
      problems.push({ source, index, round: Number(rec.round) || undefined, field, expected: optional ? 'a non-negative whole number or empty' : 'a non-negative whole number', found: show(v) });
      return null;
    }
    return n;
  };
  const byRound = new Map<number, { rec: Record<string, string>; index: number }>();
  prizes.forEach((rec, index) => byRound.set(Number(rec.round), { rec, index }));
  const out: PrizeRound[] = [];
  draws.forEach((d, index) => {
    const round = int(d, 'round', index, sources.draws, false);
    const p = round === null ? undefined : byRound.get(round);
    if (round === null || !p) return;
    const numbers = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'].map((f) => int(d, f, index, sources.draws, false) ?? 0).sort((a, b) => a - b);
    const winners = [1, 2, 3, 4, 5].map((k) => int(p.rec, `winners_${k}`, p.index, sources.prizes, true));
    const prizeEach = [1, 2, 3, 4, 5].map((k) => int(p.rec, `prize_each_${k}`, p.index, sources.prizes, true));
    const auto = int(p.rec, 'first_auto', p.index, sources.prizes, true);
    const semi = int(p.rec, 'first_semi_auto', p.index, sources.prizes, true);
    const manual = int(p.rec, 'first_manual', p.index, sources.prizes, true);
    out.push({
      round,
      date: d.date,
      totalSales: int(d, 'total_sales', index, sources.draws, false) ?? 0,
      winners,
      prizeEach,
      firstSplit: auto !== null && semi !== null && manual !== null ? { auto, manual, semiAuto: semi } : null,
      numbers,
      bonus: int(d, 'bonus', index, sources.draws, false) ?? 0,
    });
  });
  if (problems.length) throw new ValidationError(problems);
  return validatePrizeRounds(out.sort((a, b) => a.round - b.round));
}
