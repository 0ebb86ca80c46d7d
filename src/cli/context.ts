import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_DB_PATH, openDb, resolveDbPath, type Db } from '../data/db.js';
import { UsageError } from './errors.js';

/** What commands take from outside besides their arguments: the clock (tests pin it). */
export interface CliContext {
  now: () => Date;
}

export const defaultCliContext: CliContext = { now: () => new Date() };

/** The database for a command: --db, then HOGI_DB, then ./data/hogi.db. */
export function dbFor(cmd: Command): Db {
  return openDb(dbPathFor(cmd));
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
