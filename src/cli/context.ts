import type { Command } from 'commander';
import { openDb, resolveDbPath, type Db } from '../data/db.js';
import { TicketNotifier } from '../service/tickets/notify.js';
import { ticketsService } from '../service/tickets/service.js';

/**
 * The database for a command: --db, then HOGI_DB, then ./data/hogi.db. The tickets service is
 * attached, so draws written by `hogi import` or `hogi sync` check that round's tickets in the same transaction
 * (and, after it, tell the webhooks of `hogi notify`).
 */
export function dbFor(cmd: Command): Db {
  const opts = cmd.optsWithGlobals<{ db?: string }>();
  const db = openDb(resolveDbPath(opts.db));
  ticketsService({ db, notifier: new TicketNotifier({ db, log: (m) => process.stderr.write(`warning: ${m}\n`) }) });
  return db;
}

export function dbPathFor(cmd: Command): string {
  return resolveDbPath(cmd.optsWithGlobals<{ db?: string }>().db);
}
