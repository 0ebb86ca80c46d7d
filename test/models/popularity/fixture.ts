// A slice of real rounds (1060–1238) copied from the shipped draws.csv / prizes.csv, in their format.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePrizeRoundsCsv } from '../../../src/data/prizeRoundsCsv.js';
import type { PrizeRound } from '../../../src/domain/prizeRound.js';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/popularity');
export const FIXTURE_DRAWS_CSV = resolve(dir, 'draws.csv');
export const FIXTURE_PRIZES_CSV = resolve(dir, 'prizes.csv');

export function fixtureRounds(): PrizeRound[] {
  return parsePrizeRoundsCsv(readFileSync(FIXTURE_DRAWS_CSV, 'utf8'), readFileSync(FIXTURE_PRIZES_CSV, 'utf8'));
}
