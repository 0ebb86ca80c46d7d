import { openDb, type Db } from '../../src/data/db.js';

/** Every row of the draws and meta tables, to prove an operation left the database as it was. */
export function dumpDb(db: Db): { draws: unknown[]; meta: unknown[] } {
  return {
    draws: db.prepare('SELECT * FROM lottery_draws ORDER BY draw_round').all(),
    meta: db.prepare('SELECT * FROM meta ORDER BY key').all(),
  };
}

/** dumpDb of the database file at `path` (opened and closed again). */
export function dumpDbAt(path: string): { draws: unknown[]; meta: unknown[] } {
  const db = openDb(path);
  try {
    return dumpDb(db);
  } finally {
    db.close();
  }
}
