import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export const DEFAULT_DB_PATH = './data/hogi.db';

/** --db beats HOGI_DB (the configured path, passed in by the edge) beats ./data/hogi.db. */
export function resolveDbPath(cliValue?: string, configured?: string): string {
  return cliValue ?? configured ?? DEFAULT_DB_PATH;
}

/**
 * Open (creating if needed) a database, set WAL and foreign keys, and apply pending migrations.
 * ':memory:' gives a private in-memory database (tests).
 */
export function openDb(path: string, options: { readonly?: boolean } = {}): Db {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  if (path !== ':memory:' && !options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // NORMAL is durable across application crashes in WAL mode; only power loss can drop the last commit.
  db.pragma('synchronous = NORMAL');
  if (!options.readonly) migrate(db);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Apply migrations above user_version, each in its own transaction. Append-only: never edit a shipped one. */
export function migrate(db: Db): number {
  let version = schemaVersion(db);
  if (version > MIGRATIONS.length) {
    throw new Error(`database schema version ${version} is newer than this hogi (${MIGRATIONS.length}); upgrade hogi`);
  }
  for (const m of MIGRATIONS.slice(version)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    version = m.version;
  }
  return version;
}
