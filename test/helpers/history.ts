// Test-only access to the history that ships in snapshot/ (never the reference data folder beside the clone: a fresh clone has none).
// The draws come through the product's own verified loader; the CSV files are written from them in
// the layouts of the shared data folder (draws.csv, machines.csv, prizes.csv), for tests that
// import files the way a user would.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Draw } from '../../src/domain/draw.js';
import { writeCsv } from '../../src/data/formats/csv.js';
import { DRAWS_CSV_HEADER } from '../../src/data/formats/drawsCsv.js';
import { writeMachinesCsv } from '../../src/data/formats/machinesCsv.js';
import { writePrizesCsv } from '../../src/data/formats/prizesCsv.js';
import { loadSnapshot } from '../../src/data/snapshot.js';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../..');

let cache: { draws: Draw[]; sha256: string } | null = null;

function snapshot(): { draws: Draw[]; sha256: string } {
  if (!cache) {
    const { draws, manifest } = loadSnapshot();
    cache = { draws, sha256: manifest.sha256 };
  }
  return cache;
}

const copy = (d: Draw): Draw => ({ ...d });

/** All 1245 shipped draws (labels where known, five tiers and the split where known), oldest first. */
export function loadHistoryDraws(): Draw[] {
  return snapshot().draws.map(copy);
}

/** The shipped draws without prize tiers and split: the shape a draws CSV + machines CSV import gives. */
export function loadHistoryDrawsWithoutTiers(): Draw[] {
  return snapshot().draws.map(({ lowerTiers: _t, firstPrizeSplit: _s, ...d }) => d);
}

/** Write `text` to `path` unless it exists, atomically (test files run in parallel processes). */
function writeOnce(path: string, text: string): string {
  if (!existsSync(path)) {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  }
  return path;
}

function csvDir(): string {
  const dir = join(tmpdir(), `hogi-history-${snapshot().sha256.slice(0, 16)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** draws.csv in the shared folder's layout (round,date,n1..n6,bonus,first_prize_each,first_prize_winners,total_sales). */
export function historyDrawsCsv(): string {
  const draws = snapshot().draws;
  const text = writeCsv(DRAWS_CSV_HEADER, draws.map((d) => [d.round, d.date, ...d.numbers, d.bonus, d.firstPrizeEach, d.firstPrizeWinners, d.totalSales]));
  return writeOnce(join(csvDir(), 'draws.csv'), text);
}

/** machines.csv (round,machine) for the labelled rounds. */
export function historyMachinesCsv(): string {
  return writeOnce(join(csvDir(), 'machines.csv'), writeMachinesCsv(snapshot().draws));
}

/** prizes.csv (round, five tiers, first_auto, first_semi_auto, first_manual) for the rounds whose tiers are known. */
export function historyPrizesCsv(): string {
  return writeOnce(join(csvDir(), 'prizes.csv'), writePrizesCsv(snapshot().draws));
}
