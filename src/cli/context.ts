import type { Command } from 'commander';
import { openDb, resolveDbPath, type Db } from '../data/db.js';

/** The database for a command: --db, then HOGI_DB, then ./data/hogi.db. */
export function dbFor(cmd: Command): Db {
  const opts = cmd.optsWithGlobals<{ db?: string }>();
  return openDb(resolveDbPath(opts.db));
}

export function dbPathFor(cmd: Command): string {
  return resolveDbPath(cmd.optsWithGlobals<{ db?: string }>().db);
}
