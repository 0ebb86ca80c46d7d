import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
let dbPath: string;
let saved: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-snapshot-'));
  dbPath = join(dir, 'hogi.db');
  saved = process.env.HOGI_SNAPSHOT;
  // The suite turns the embedded default off (vitest.config.ts); these tests are about it.
  delete process.env.HOGI_SNAPSHOT;
});
afterEach(() => {
  if (saved === undefined) delete process.env.HOGI_SNAPSHOT;
  else process.env.HOGI_SNAPSHOT = saved;
  rmSync(dir, { recursive: true, force: true });
});

const storedRounds = () => {
  const db = openDb(dbPath);
  try {
    return drawsRepo(db).count();
  } finally {
    db.close();
  }
};

describe('the history that ships inside', () => {
  it('a command on an empty database loads the shipped history once, saying so on stderr', async () => {
    const r = await runCli(['--db', dbPath, 'draws', '--from', '1245', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/empty database: loaded the shipped history, 1245 draws \(rounds 1–1245, up to 2026-10-10\), 979 호기 labels and all five prize tiers for 1238 rounds/);
    expect(r.stderr).toContain('run `hogi sync`');
    const [d] = JSON.parse(r.stdout) as Array<{ round: number; numbers: number[] }>;
    expect(d.round).toBe(1245);
    expect(storedRounds()).toBe(1245);

    const again = await runCli(['--db', dbPath, 'draws', '--from', '1245', '--json']);
    expect(again.stderr).not.toMatch(/shipped history/);
  });

  it('leaves an empty database empty with --no-snapshot or HOGI_SNAPSHOT=0', async () => {
    const r = await runCli(['--db', dbPath, '--no-snapshot', 'draws']);
    expect(r.stdout).toContain('No draws stored yet');
    process.env.HOGI_SNAPSHOT = '0';
    const e = await runCli(['--db', dbPath, 'draws']);
    expect(e.stdout).toContain('No draws stored yet');
    expect(storedRounds()).toBe(0);
  });

  it('does not load the history for `hogi keys`, which needs no draws', async () => {
    const r = await runCli(['--db', dbPath, 'keys', 'list']);
    expect(r.code).toBe(0);
    expect(storedRounds()).toBe(0);
  });

  it('a user import into an empty database is checked against the shipped history', async () => {
    const r = await runCli(['--db', dbPath, 'import', join(import.meta.dirname, '../fixtures/import/draws-basic.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/loaded the shipped history/);
    expect(r.stdout).toContain('added 0, updated 0, unchanged 5, rejected 0');
  });
});
