// Prizes CSV (the layout of ../shared/data/prizes.csv): per round, winners and prize per winning
// ticket of all five tiers, then how the first-prize tickets were bought.
//
//   round,winners_1,prize_each_1,…,winners_5,prize_each_5,first_auto,first_semi_auto,first_manual
//
// Tier 1 maps onto the draw's first-prize figures, so a prizes file that disagrees with a stored
// draw (or a draws file of the same import) is caught like any other disagreement. Empty split
// cells mean unknown (the split is published from round 262). Rows only add to stored rounds or
// to rounds a draws file of the same import brings.
import { completeLowerTiers, type FirstPrizeSplit, type LowerTiers } from '../../domain/prizes.js';
import type { Draw } from '../../domain/draw.js';
import { parseCsv, writeCsv } from './csv.js';
import { DuplicateRounds, RecordCheck, record } from './fields.js';
import type { ParseResult } from './types.js';

export const PRIZES_CSV_HEADER = [
  'round',
  'winners_1', 'prize_each_1', 'winners_2', 'prize_each_2', 'winners_3', 'prize_each_3',
  'winners_4', 'prize_each_4', 'winners_5', 'prize_each_5',
  'first_auto', 'first_semi_auto', 'first_manual',
] as const;

export function isPrizesCsvHeader(header: readonly string[]): boolean {
  return header.join(',') === PRIZES_CSV_HEADER.join(',');
}

const col = (name: (typeof PRIZES_CSV_HEADER)[number]) => PRIZES_CSV_HEADER.indexOf(name);

export function parsePrizesCsv(text: string, source: string): ParseResult {
  const { header, rows } = parseCsv(text);
  const result: ParseResult = { format: 'prizes-csv', source, records: [], problems: [] };
  if (!isPrizesCsvHeader(header)) {
    result.problems.push({ source, field: 'header', expected: PRIZES_CSV_HEADER.join(','), found: JSON.stringify(header.join(',')) });
    return result;
  }
  const dups = new DuplicateRounds();
  rows.forEach((row, index) => {
    const c = new RecordCheck(source, index, 'text');
    if (row.length !== PRIZES_CSV_HEADER.length) {
      c.addRaw('row', `${PRIZES_CSV_HEADER.length} fields (${PRIZES_CSV_HEADER.join(',')})`, `${row.length} fields: ${JSON.stringify(row.join(','))}`);
      result.problems.push(...c.problems);
      return;
    }
    const round = c.readRound(row[0], 'round');
    const firstPrizeWinners = c.readCount(row[col('winners_1')], 'winners_1');
    const firstPrizeEach = c.readCount(row[col('prize_each_1')], 'prize_each_1');
    const tiers = ([2, 3, 4, 5] as const).map((k) => ({
      winners: c.readCount(row[col(`winners_${k}`)], `winners_${k}`),
      prizeEach: c.readCount(row[col(`prize_each_${k}`)], `prize_each_${k}`),
    }));
    const parts = (['first_auto', 'first_manual', 'first_semi_auto'] as const).map((f) => ({ f, raw: row[col(f)] }));
    const blank = parts.filter((p) => p.raw.trim() === '').length;
    let firstPrizeSplit: FirstPrizeSplit | undefined;
    if (blank === 0) {
      const [auto, manual, semiAuto] = parts.map((p) => c.readCount(p.raw, p.f));
      if (auto !== undefined && manual !== undefined && semiAuto !== undefined) {
        if (firstPrizeWinners !== undefined && auto + manual + semiAuto !== firstPrizeWinners) {
          c.addRaw('first_auto,first_semi_auto,first_manual', `counts adding up to winners_1 (${firstPrizeWinners})`, `${auto} + ${semiAuto} + ${manual} = ${auto + manual + semiAuto}`);
        } else firstPrizeSplit = { auto, manual, semiAuto };
      }
    } else if (blank < 3) {
      c.addRaw('first_auto,first_semi_auto,first_manual', 'all three counts, or all three empty (unknown)', JSON.stringify(parts.map((p) => p.raw).join(',')));
    }
    dups.check(c, round, 'round');
    if (!c.ok) {
      result.problems.push(...c.problems);
      return;
    }
    const lowerTiers = completeLowerTiers(tiers) ?? undefined; // never null here: every count was read (c.ok)
    result.records.push(record({ source, index, round: round as number, firstPrizeWinners, firstPrizeEach, lowerTiers, firstPrizeSplit }));
  });
  return result;
}

/** Rounds whose five tiers are known, in the same layout (so `hogi import` reads it back). */
export function writePrizesCsv(draws: readonly Draw[]): string {
  return writeCsv(
    PRIZES_CSV_HEADER,
    draws
      .filter((d) => d.lowerTiers && d.firstPrizeWinners !== null && d.firstPrizeEach !== null)
      .map((d) => {
        const t = d.lowerTiers as LowerTiers;
        const s = d.firstPrizeSplit ?? null;
        return [
          d.round, d.firstPrizeWinners, d.firstPrizeEach,
          ...t.flatMap((x) => [x.winners, x.prizeEach]),
          s?.auto ?? null, s?.semiAuto ?? null, s?.manual ?? null,
        ];
      }),
  );
}
