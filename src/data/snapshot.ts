// The history that ships inside hogi: every draw with its 호기 label, all five prize tiers and the
// first-prize split, in snapshot/history.json.gz, with snapshot/manifest.json recording its SHA-256,
// what it holds and where it came from (snapshot/SOURCES.md). scripts/build-snapshot.ts writes
// both from ../shared/data; this module reads them back, verifies the checksum and validates
// every draw, and loads them into an empty database in one transaction.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { validateDraw, type Draw } from '../domain/draw.js';
import { formatProblem, type Problem } from '../domain/problems.js';
import type { DrawsRepo } from './drawsRepo.js';

/** snapshot/ at the package root: from src/data (tsx) and from dist/data (built) alike. */
export const SNAPSHOT_DIR = fileURLToPath(new URL('../../snapshot/', import.meta.url));
export const SNAPSHOT_FORMAT = 'hogi-history/1';

/**
 * One draw as a compact row:
 * [round, date, [n1..n6], bonus, firstPrizeEach, firstPrizeWinners, totalSales, machine,
 *  [w2, p2, w3, p3, w4, p4, w5, p5] | null, [auto, manual, semiAuto] | null]
 */
export type SnapshotRow = [
  number, string, number[], number, number | null, number | null, number | null, number | null,
  number[] | null, [number, number, number] | null,
];

export interface SnapshotBody {
  format: typeof SNAPSHOT_FORMAT;
  /** Column names of each row, for people reading the file. */
  columns: string[];
  draws: SnapshotRow[];
}

export interface SnapshotManifest {
  format: typeof SNAPSHOT_FORMAT;
  file: string;
  sha256: string;
  bytes: number;
  /** Rounds held, and how many carry a label, all five tiers, and the split. */
  rounds: { from: number; to: number; count: number };
  latest_date: string;
  labelled: number;
  prize_tiers: number;
  first_prize_split: number;
  /** The inputs it was built from, with their SHA-256 (as SOURCES.md lists them). */
  sources: Array<{ file: string; sha256: string; rows: number }>;
  provenance: string;
  built_by: string;
}

export class SnapshotError extends Error {
  constructor(message: string) {
    super(`shipped history snapshot: ${message}`);
    this.name = 'SnapshotError';
  }
}

export const SNAPSHOT_COLUMNS = [
  'round', 'date', 'numbers', 'bonus', 'first_prize_each', 'first_prize_winners', 'total_sales', 'machine',
  'tiers_2_to_5 [winners, prize_each]×4', 'first_prize_split [auto, manual, semi_auto]',
];

export function encodeDraw(d: Draw): SnapshotRow {
  const t = d.lowerTiers ?? null;
  const s = d.firstPrizeSplit ?? null;
  return [
    d.round, d.date, [...d.numbers], d.bonus, d.firstPrizeEach, d.firstPrizeWinners, d.totalSales, d.machine,
    t ? t.flatMap((x) => [x.winners, x.prizeEach]) : null,
    s ? [s.auto, s.manual, s.semiAuto] : null,
  ];
}

/** A row back into a validated draw; problems name the round and field. */
export function decodeRow(row: unknown, index: number, problems: Problem[]): Draw | null {
  if (!Array.isArray(row) || row.length !== 10) {
    problems.push({ source: 'snapshot', index, field: 'row', expected: '10 columns', found: Array.isArray(row) ? `${row.length} columns` : typeof row });
    return null;
  }
  const [round, date, numbers, bonus, firstPrizeEach, firstPrizeWinners, totalSales, machine, tiers, split] = row as unknown[];
  const t = Array.isArray(tiers) && tiers.length === 8 ? [0, 2, 4, 6].map((i) => ({ winners: tiers[i] as unknown, prizeEach: tiers[i + 1] as unknown })) : tiers;
  const s = Array.isArray(split) && split.length === 3 ? { auto: split[0] as unknown, manual: split[1] as unknown, semiAuto: split[2] as unknown } : split;
  const v = validateDraw(
    { round, date, numbers, bonus, firstPrizeEach, firstPrizeWinners, totalSales, machine, lowerTiers: t, firstPrizeSplit: s },
    { index, source: 'snapshot' },
  );
  problems.push(...v.problems);
  return v.draw ? { ...v.draw, lowerTiers: v.draw.lowerTiers ?? null, firstPrizeSplit: v.draw.firstPrizeSplit ?? null } : null;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function readManifest(dir = SNAPSHOT_DIR): SnapshotManifest {
  let raw: string;
  try {
    raw = readFileSync(`${dir}/manifest.json`, 'utf8');
  } catch (e) {
    throw new SnapshotError(`cannot read ${dir}/manifest.json (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); reinstall hogi`);
  }
  const m = JSON.parse(raw) as SnapshotManifest;
  if (m.format !== SNAPSHOT_FORMAT) throw new SnapshotError(`manifest format ${JSON.stringify(m.format)}, expected ${SNAPSHOT_FORMAT}`);
  return m;
}

/** Decode and check snapshot bytes against a manifest: checksum first, then every draw. */
export function decodeSnapshot(gz: Uint8Array, manifest: SnapshotManifest): Draw[] {
  const actual = sha256(gz);
  if (actual !== manifest.sha256) {
    throw new SnapshotError(`${manifest.file} has SHA-256 ${actual}, but manifest.json records ${manifest.sha256}: the file is damaged or was changed; reinstall hogi or rebuild it with scripts/build-snapshot.ts`);
  }
  let body: SnapshotBody;
  try {
    body = JSON.parse(gunzipSync(gz).toString('utf8')) as SnapshotBody;
  } catch (e) {
    throw new SnapshotError(`${manifest.file} does not unpack as gzip JSON (${(e as Error).message})`);
  }
  if (body.format !== SNAPSHOT_FORMAT || !Array.isArray(body.draws)) throw new SnapshotError(`${manifest.file} is not a ${SNAPSHOT_FORMAT} file`);
  const problems: Problem[] = [];
  const draws = body.draws.map((r, i) => decodeRow(r, i, problems)).filter((d): d is Draw => d !== null);
  if (problems.length > 0) throw new SnapshotError(`${problems.length} bad value(s): ${problems.slice(0, 3).map(formatProblem).join('; ')}`);
  if (draws.length !== manifest.rounds.count) throw new SnapshotError(`holds ${draws.length} draws, manifest.json says ${manifest.rounds.count}`);
  return draws;
}

/** The shipped history, verified. Throws SnapshotError when it is missing, damaged or invalid. */
export function loadSnapshot(dir = SNAPSHOT_DIR): { draws: Draw[]; manifest: SnapshotManifest } {
  const manifest = readManifest(dir);
  let gz: Buffer;
  try {
    gz = readFileSync(`${dir}/${manifest.file}`);
  } catch (e) {
    throw new SnapshotError(`cannot read ${dir}/${manifest.file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); reinstall hogi`);
  }
  return { draws: decodeSnapshot(gz, manifest), manifest };
}

export interface SeedResult {
  /** True when the database was empty and the snapshot was written. */
  loaded: boolean;
  draws: number;
  labelled: number;
  prizeTiers: number;
  latestRound: number | null;
  latestDate: string | null;
  /** One line for people: what was loaded, or why nothing was. */
  message: string;
}

/**
 * Load the snapshot when no draw is stored, in ONE transaction that also re-checks the database
 * is empty (two processes starting together load it once). A database with draws is left alone.
 */
export function seedFromSnapshot(repo: DrawsRepo, options: { now?: Date; load?: () => { draws: Draw[]; manifest: SnapshotManifest } } = {}): SeedResult {
  const none: SeedResult = { loaded: false, draws: 0, labelled: 0, prizeTiers: 0, latestRound: null, latestDate: null, message: 'the database already holds draws; the shipped history was not needed' };
  if (repo.count() > 0) return none;
  const { draws, manifest } = (options.load ?? loadSnapshot)();
  const loaded = repo.seedIfEmpty(draws, (options.now ?? new Date()).toISOString());
  if (!loaded) return none;
  const last = draws[draws.length - 1];
  const labelled = draws.filter((d) => d.machine !== null).length;
  const prizeTiers = draws.filter((d) => d.lowerTiers).length;
  return {
    loaded,
    draws: draws.length,
    labelled,
    prizeTiers,
    latestRound: last.round,
    latestDate: last.date,
    message:
      `empty database: loaded the shipped history, ${draws.length} draws (rounds ${draws[0].round}–${last.round}, up to ${last.date}), ` +
      `${labelled} 호기 labels and all five prize tiers for ${prizeTiers} rounds (snapshot ${manifest.sha256.slice(0, 12)}; provenance in snapshot/SOURCES.md)`,
  };
}
