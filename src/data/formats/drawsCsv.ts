import { parseCsv, writeCsv } from './csv.js';
import { DuplicateRounds, RecordCheck, record } from './fields.js';
import type { ParseResult } from './types.js';
import type { Draw } from '../../domain/draw.js';

/** The header of ../shared/data/draws.csv; numbers n1..n6 ascending. */
export const DRAWS_CSV_HEADER = [
  'round', 'date', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'bonus', 'first_prize_each', 'first_prize_winners', 'total_sales',
] as const;

/** The same without the prize columns: round, date, numbers and bonus only. */
export const DRAWS_CSV_BASIC_HEADER = DRAWS_CSV_HEADER.slice(0, 9);

/** Optional trailing columns (in this order) so hogi's own CSV export is lossless. */
export const DRAWS_CSV_EXTRA = ['machine', 'memo'] as const;

const ACCEPTED_HEADERS: readonly string[] = [
  DRAWS_CSV_BASIC_HEADER.join(','),
  [...DRAWS_CSV_BASIC_HEADER, 'machine'].join(','),
  DRAWS_CSV_HEADER.join(','),
  [...DRAWS_CSV_HEADER, 'machine'].join(','),
  [...DRAWS_CSV_HEADER, 'memo'].join(','),
  [...DRAWS_CSV_HEADER, 'machine', 'memo'].join(','),
];

export const DRAWS_CSV_HEADER_TEXT = `${DRAWS_CSV_BASIC_HEADER.join(',')}[,first_prize_each,first_prize_winners,total_sales][,machine][,memo]`;

export function isDrawsCsvHeader(header: readonly string[]): boolean {
  return ACCEPTED_HEADERS.includes(header.join(','));
}

/**
 * Draws CSV: one full draw per row. The prize columns are optional (absent or empty cells mean
 * unknown), an empty machine cell means not labelled, an empty memo means none.
 */
export function parseDrawsCsv(text: string, source: string): ParseResult {
  const { header, rows } = parseCsv(text);
  const result: ParseResult = { format: 'draws-csv', source, records: [], problems: [] };
  if (!isDrawsCsvHeader(header)) {
    result.problems.push({ source, field: 'header', expected: DRAWS_CSV_HEADER_TEXT, found: JSON.stringify(header.join(',')) });
    return result;
  }
  const col = (name: string) => header.indexOf(name);
  const machineCol = col('machine');
  const memoCol = col('memo');
  const dups = new DuplicateRounds();
  rows.forEach((row, index) => {
    const c = new RecordCheck(source, index, 'text');
    if (row.length !== header.length) {
      c.addRaw('row', `${header.length} fields (${header.join(',')})`, `${row.length} fields: ${JSON.stringify(row.join(','))}`);
      result.problems.push(...c.problems);
      return;
    }
    const round = c.readRound(row[0], 'round');
    const date = c.readDate(row[1], 'date');
    const numbers = c.readNumbers(row.slice(2, 8), 'n1..n6');
    const bonus = c.readBonus(row[8], numbers, 'bonus');
    const prizes = col('first_prize_each') >= 0;
    const firstPrizeEach = prizes ? c.readOptionalCount(row[col('first_prize_each')], 'first_prize_each') : undefined;
    const firstPrizeWinners = prizes ? c.readOptionalCount(row[col('first_prize_winners')], 'first_prize_winners') : undefined;
    const totalSales = prizes ? c.readOptionalCount(row[col('total_sales')], 'total_sales') : undefined;
    const machine = machineCol >= 0 ? c.readOptionalMachine(row[machineCol], 'machine') : undefined;
    const memo = memoCol >= 0 ? c.readOptionalMemo(row[memoCol], 'memo') : undefined;
    dups.check(c, round, 'round');
    if (!c.ok) {
      result.problems.push(...c.problems);
      return;
    }
    result.records.push(record({ source, index, round: round as number, date, numbers, bonus, machine, firstPrizeEach, firstPrizeWinners, totalSales, memo }));
  });
  return result;
}

/** Draws as CSV with the machine and memo columns, so importing the file restores every field. */
export function writeDrawsCsv(draws: readonly Draw[]): string {
  return writeCsv(
    [...DRAWS_CSV_HEADER, ...DRAWS_CSV_EXTRA],
    draws.map((d) => [d.round, d.date, ...d.numbers, d.bonus, d.firstPrizeEach, d.firstPrizeWinners, d.totalSales, d.machine, d.memo ?? null]),
  );
}
