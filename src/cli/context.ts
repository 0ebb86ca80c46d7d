import type { Command } from 'commander';
import { openDb, resolveDbPath, type Db } from '../data/db.js';

/** What commands take from outside besides their arguments: the clock (tests pin it). */
export interface CliContext {
  now: () => Date;
}

export const defaultCliContext: CliContext = { now: () => new Date() };

/** The database for a command: --db, then HOGI_DB, then ./data/hogi.db. */
export function dbFor(cmd: Command): Db {
  const opts = cmd.optsWithGlobals<{ db?: string }>();
  return openDb(resolveDbPath(opts.db));
}

export function dbPathFor(cmd: Command): string {
  return resolveDbPath(cmd.optsWithGlobals<{ db?: string }>().db);
}
