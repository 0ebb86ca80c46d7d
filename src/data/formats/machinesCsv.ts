import { parseCsv, writeCsv } from './csv.js';
import { DuplicateRounds, MACHINE_FORMS, RecordCheck, record } from './fields.js';
import type { ParseResult } from './types.js';
import type { Draw } from '../../domain/draw.js';

export const MACHINES_CSV_HEADER = ['round', 'machine'] as const;

export function isMachinesCsvHeader(header: readonly string[]): boolean {
  return header.join(',') === MACHINES_CSV_HEADER.join(',');
}

/**
 * Machines CSV (`round,machine`): labels only. Each row must name a machine; the round must be
 * stored already or come with a full draw in the same import (checked by the import service).
 */
export function parseMachinesCsv(text: string, source: string): ParseResult {
  const { header, rows } = parseCsv(text);
  const result: ParseResult = { format: 'machines-csv', source, records: [], problems: [] };
  if (!isMachinesCsvHeader(header)) {
    result.problems.push({ source, field: 'header', expected: MACHINES_CSV_HEADER.join(','), found: JSON.stringify(header.join(',')) });
    return result;
  }
  const dups = new DuplicateRounds();
  rows.forEach((row, index) => {
    const c = new RecordCheck(source, index, 'text');
    if (row.length !== 2) {
      c.addRaw('row', '2 fields (round,machine)', `${row.length} fields: ${JSON.stringify(row.join(','))}`);
      result.problems.push(...c.problems);
      return;
    }
    const round = c.readRound(row[0], 'round');
    // A row without a label says nothing; treat it as a mistake rather than skip it silently.
    let machine: number | undefined;
    if (row[1].trim() === '') c.add('machine', MACHINE_FORMS, row[1]);
    else machine = c.readOptionalMachine(row[1], 'machine');
    dups.check(c, round, 'round');
    if (!c.ok) {
      result.problems.push(...c.problems);
      return;
    }
    result.records.push(record({ source, index, round: round as number, machine }));
  });
  return result;
}

/** Labelled rounds only. */
export function writeMachinesCsv(draws: readonly Draw[]): string {
  return writeCsv(MACHINES_CSV_HEADER, draws.filter((d) => d.machine !== null).map((d) => [d.round, d.machine]));
}
