import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_DB_PATH, openDb, resolveDbPath, type Db } from '../data/db.js';
import { servicesFor } from '../service/services.js';
import { ConfigError, loadConfig, type HogiConfig } from '../config/env.js';
import { TicketNotifier } from '../service/tickets/notify.js';
import { ticketsService, type TicketsService } from '../service/tickets/service.js';
import { UsageError } from './errors.js';

/** What commands take from outside besides their arguments: the clock (tests pin it). */
export interface CliContext {
  now: () => Date;
}

export const defaultCliContext: CliContext = { now: () => new Date() };

/**
 * The configuration for a command, read from the environment when the command runs (config/env.ts);
 * a bad variable is a usage error (exit 2) naming the variable and its value.
 */
export function cliConfig(): HogiConfig {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * The database for a command: --db, then HOGI_DB, then ./data/hogi.db. An empty one first gets the
 * history that ships with hogi (one transaction, one line on stderr) unless --no-snapshot or
 * HOGI_SNAPSHOT=0; `seed: false` for commands that do not read draws (keys). The tickets service is
 * attached first, so draws written by the snapshot, `hogi import` or `hogi sync` check that round's
 * tickets in the same transaction (and, after it, tell the webhooks of `hogi notify`).
 */
export function dbFor(cmd: Command, options: { seed?: boolean } = {}): Db {
  const opts = cmd.optsWithGlobals<{ snapshot?: boolean }>();
  const db = openDb(dbPathFor(cmd));
  tickets.set(db, ticketsService({ db, notifier: new TicketNotifier({ db, log: (m) => process.stderr.write(`warning: ${m}\n`) }) }));
  if ((options.seed ?? true) && opts.snapshot !== false && cliConfig().snapshot) seedEmpty(db);
  return db;
}

const tickets = new WeakMap<Db, TicketsService>();

/**
 * Close a database from dbFor once the webhooks told about tickets its writes checked are sent
 * (they go out after the writing transaction; closing first would drop them).
 */
export async function closeDb(db: Db): Promise<void> {
  await tickets.get(db)?.settled();
  db.close();
}

function seedEmpty(db: Db): void {
  try {
    const r = servicesFor(db).draws.loadShippedHistory();
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
  const path = resolveDbPath(given, cliConfig().db);
  if (path === ':memory:' || path === DEFAULT_DB_PATH) return path;
  const folder = dirname(resolve(path));
  const source = given !== undefined ? '--db' : 'HOGI_DB';
  if (!existsSync(folder)) throw new UsageError(`${source} ${path}: the folder ${folder} does not exist (create it first, or check the path)`);
  if (!statSync(folder).isDirectory()) throw new UsageError(`${source} ${path}: ${folder} is not a folder`);
  return path;
}
