/**
 * Moving retrained models into the served models directory, and repairing it after a crash.
 *
 * A retrain writes into a staging store beside the served one (`<models>/.staging-*`, a name
 * the store's listing skips), so serving never sees a half-trained set. Promotion then moves
 * each model directory into place with renames in one synchronous pass, so no request of this
 * process runs between the first and the last. A crash can still fall between the two renames
 * of one model (the old directory moved aside, the new one not yet in place):
 * `recoverModelsDir`, run at start-up, puts the old one back, so every model key always has
 * a complete model — the old or the new one.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const STAGING_PREFIX = '.staging-';
const OLD_RE = /^\.(.+)\.old-(\d+)-\d+$/;
const TMP_RE = /^\.(.+)\.tmp-(\d+)-\d+$/;
const STAGING_RE = /^\.staging-(\d+)-\d+$/;

/** Whether a process (another hogi still writing there) is alive; our own pid counts as dead at start-up. */
function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A fresh staging directory path for this process. */
export function stagingDir(modelsDir: string, now = Date.now()): string {
  return join(resolve(modelsDir), `${STAGING_PREFIX}${process.pid}-${now}`);
}

/**
 * Move `keys` from a staging store into the models directory (each replaces the model of the
 * same key), then delete the staging directory. Returns the keys moved.
 */
export function promoteStaged(staging: string, modelsDir: string, keys: readonly string[]): string[] {
  const root = resolve(modelsDir);
  mkdirSync(root, { recursive: true });
  const moved: string[] = [];
  const stamp = `${process.pid}-${Date.now()}`;
  const olds: string[] = [];
  for (const key of keys) {
    const from = join(staging, key);
    if (!existsSync(join(from, 'manifest.json'))) continue;
    const final = join(root, key);
    const old = join(root, `.${key}.old-${stamp}`);
    if (existsSync(final)) {
      renameSync(final, old);
      olds.push(old);
    }
    renameSync(from, final);
    moved.push(key);
  }
  for (const o of olds) rmSync(o, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
  return moved;
}

/**
 * Repair the models directory after a crash: a model moved aside whose replacement never
 * arrived goes back in place; leftover staging, temporary and old directories are removed
 * (only those of processes no longer running: another `hogi train` may be writing its own).
 * Returns what it did, one line per action.
 */
export function recoverModelsDir(modelsDir: string): string[] {
  const root = resolve(modelsDir);
  if (!existsSync(root)) return [];
  const actions: string[] = [];
  const names = readdirSync(root);
  for (const name of names) {
    const m = OLD_RE.exec(name);
    if (!m || alive(Number(m[2]))) continue;
    const key = m[1];
    if (!existsSync(join(root, key, 'manifest.json'))) {
      rmSync(join(root, key), { recursive: true, force: true });
      renameSync(join(root, name), join(root, key));
      actions.push(`restored ${key} (a swap was interrupted)`);
    } else {
      rmSync(join(root, name), { recursive: true, force: true });
      actions.push(`removed ${name}`);
    }
  }
  for (const name of names) {
    const pid = STAGING_RE.exec(name)?.[1] ?? TMP_RE.exec(name)?.[2];
    if (pid !== undefined && !alive(Number(pid))) {
      rmSync(join(root, name), { recursive: true, force: true });
      actions.push(`removed ${name}`);
    }
  }
  return actions;
}
