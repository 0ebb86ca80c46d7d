import type { Db } from '../../src/data/db.js';

/** Every row of the draws and meta tables, to prove an operation left the database as it was. */
export function dumpDb(db: Db): { draws: unknown[]; meta: unknown[] } {
  return {
    draws: db.prepare('SELECT * FROM lottery_draws ORDER BY draw_round').all(),
    meta: db.prepare('SELECT * FROM meta ORDER BY key').all(),
  };
}
