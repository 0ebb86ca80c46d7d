import type { Command } from 'commander';
import { openDb, resolveDbPath, type Db } from '../data/db.js';
import { drawsRepo } from '../data/drawsRepo.js';
import { seedFromSnapshot, snapshotEnabled } from '../data/snapshot.js';

/**
 * The database for a command: --db, then HOGI_DB, then ./data/hogi.db. An empty one first gets the
 * history that ships with hogi (one transaction, one line on stderr) unless --no-snapshot or
 * HOGI_SNAPSHOT=0; `seed: false` for commands that do not read draws (keys).
 */
export function dbFor(cmd: Command, options: { seed?: boolean } = {}): Db {
  const opts = cmd.optsWithGlobals<{ db?: string; snapshot?: boolean }>();
  const db = openDb(resolveDbPath(opts.db));
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

export function dbPathFor(cmd: Command): string {
  return resolveDbPath(cmd.optsWithGlobals<{ db?: string }>().db);
}
