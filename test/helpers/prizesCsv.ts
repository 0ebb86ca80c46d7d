// Test-only: prize figures arriving the way a user brings them with `hogi import prizes.csv`: the
// product's own format detection and prizes CSV parser, the import plan, and its one-transaction
// write (the write that checks the round's tickets). The fixture is in the shipped prizes.csv
// layout (round, winners_k and prize_each_k for k = 1..5, the first-prize split).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DrawsRepo } from '../../src/data/drawsRepo.js';
import { parseImportText } from '../../src/data/formats/detect.js';
import { applyImport, planImport, type ImportCounts } from '../../src/data/importService.js';
import { REPO_ROOT } from './history.js';

export const TICKET_PRIZES_CSV = resolve(REPO_ROOT, 'test/fixtures/tickets/prizes-small.csv');

/** The fixture's header and the rows of `rounds` (official figures of rounds 1, 2, 3 and 1100). */
export function ticketPrizesCsv(rounds: readonly number[]): string {
  const [header, ...rows] = readFileSync(TICKET_PRIZES_CSV, 'utf8').trim().split(/\r?\n/);
  const picked = rows.filter((r) => rounds.includes(Number(r.split(',')[0])));
  if (picked.length !== rounds.length) throw new Error(`prizes-small.csv has no row for some of rounds ${rounds.join(', ')}`);
  return `${[header, ...picked].join('\n')}\n`;
}

/** Import prizes CSV text as `hogi import` does (refused plans throw, naming their problems). */
export function importPrizesCsv(repo: DrawsRepo, text: string): ImportCounts {
  const parsed = parseImportText(text, 'prizes-small.csv');
  if (parsed.format !== 'prizes-csv') throw new Error(`read as ${parsed.format}, not a prizes CSV`);
  const plan = planImport(repo, parsed);
  if (!plan.ok) throw new Error(`prizes import refused: ${JSON.stringify([...plan.problems, ...plan.conflicts])}`);
  return applyImport(repo, plan);
}
