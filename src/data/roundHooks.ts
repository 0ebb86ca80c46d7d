// Work that must happen in the same transaction as a round's data being written (a draw added,
// its prize figures filled in): checking the player's tickets of that round. Writers call
// roundsWritten inside their transaction; services register what to do, once per database.
// A hook that throws rolls the whole write back, so nothing is left half-checked.
import type { Db } from './db.js';

export type RoundsWrittenHook = (rounds: readonly number[]) => void;

const hooks = new WeakMap<Db, Map<string, RoundsWrittenHook>>();

/** Register `fn` under `name` for this database (a second registration of a name replaces the first). */
export function onRoundsWritten(db: Db, name: string, fn: RoundsWrittenHook): void {
  let forDb = hooks.get(db);
  if (!forDb) {
    forDb = new Map();
    hooks.set(db, forDb);
  }
  forDb.set(name, fn);
}

export function hasRoundsWrittenHook(db: Db, name: string): boolean {
  return hooks.get(db)?.has(name) ?? false;
}

/** Call from inside the transaction that wrote these rounds' draws or prize figures. */
export function roundsWritten(db: Db, rounds: readonly number[]): void {
  const forDb = hooks.get(db);
  if (!forDb || rounds.length === 0) return;
  for (const fn of forDb.values()) fn(rounds);
}
