import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_DB_PATH, openDb, resolveDbPath, type Db } from '../data/db.js';
import { drawsRepo } from '../data/drawsRepo.js';
import { seedFromSnapshot, snapshotEnabled } from '../data/snapshot.js';
import { UsageError } from './errors.js';

/** What commands take from outside besides their arguments: the clock (tests pin it). */
export interface CliContext {
  now: () => Date;
}

export const defaultCliContext: CliContext = { now: () => new Date() };

/**
 * The database for a command: --db, then HOGI_DB, then ./data/hogi.db. An empty one first gets the
 * history that ships with hogi (one transaction, one line on stderr) unless --no-snapshot or
 * HOGI_SNAPSHOT=0; `seed: false` for commands that do not read draws (keys).
 */
export function dbFor(cmd: Command, options: { seed?: boolean } = {}): Db {
  const opts = cmd.optsWithGlobals<{ snapshot?: boolean }>();
  const db = openDb(dbPathFor(cmd));
  if ((options.seed ?? true) && opts.snapshot !== false && snapshotEnabled(process.env)) seedEmpty(db);
  return db;
}

function seedEmpty(db: Db): void {
  try {
    const r = seedFromSnapshot(drawsRepo(db));
    if (r.loaded) process.stderr.write(`hogi: ${r.message}; for rounds after ${r.latestRound} run \`hogi sync\`\n`);
  } catch (e) {
    // A damaged install should not stop commands that can work without the history (import, sync).
    process.stderr.write(`hogi: warning: ${(e as Error).message}; the database stays empty\n`);
  }
}

/**
 * The database path for a command. A path given with --db or HOGI_DB must be in a folder that
 * exists (a typo would otherwise create a new, empty database and report "no draws"); only the
 * default ./data folder is created on first use.
 */
export function dbPathFor(cmd: Command): string {
  const given = cmd.optsWithGlobals<{ db?: string }>().db;
  const path = resolveDbPath(given);
  if (path === ':memory:' || path === DEFAULT_DB_PATH) return path;
  const folder = dirname(resolve(path));
  const source = given !== undefined ? '--db' : 'HOGI_DB';
  if (!existsSync(folder)) throw new UsageError(`${source} ${path}: the folder ${folder} does not exist (create it first, or check the path)`);
  if (!statSync(folder).isDirectory()) throw new UsageError(`${source} ${path}: ${folder} is not a folder`);
  return path;
}
