// What a new user tripped over on the command line: a --db typo silently making an empty
// database, `draws` accepting machines and ranges `predict` refuses, `--limit` printing oldest
// first, and out-of-range --sets/--seed exiting 1 or not at all. Bad arguments exit 2, alike everywhere.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/history.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-cli-validation-'));
  db = join(dir, 'hogi.db');
  const imp = await runCli(['--db', db, 'import', join(REPO_ROOT, 'test/fixtures/import/draws-small.csv')]);
  expect(imp.code, imp.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hogi = (...args: string[]) => runCli(['--db', db, ...args]);

describe('--db', () => {
  it('refuses a path in a folder that does not exist (exit 2), creating nothing', async () => {
    const missing = join(dir, 'no-such-folder', 'hogi.db');
    for (const args of [['draws'], ['stats'], ['import', join(REPO_ROOT, 'test/fixtures/import/draws-small.csv')]]) {
      const r = await runCli(['--db', missing, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--db .*no-such-folder.* does not exist/);
      expect(r.stdout).not.toMatch(/No draws stored yet/);
    }
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });
});

describe('hogi draws', () => {
  it('refuses an unknown machine and a reversed range with exit 2, as predict does', async () => {
    for (const args of [['draws', '--machine', '4'], ['draws', '--machine', '0'], ['stats', '--machine', '9'], ['export', '--machine', '4', '--format', 'csv', '--out', join(dir, 'x.csv')]]) {
      const r = await hogi(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--machine must be 1, 2, 3/);
    }
    for (const cmd of ['draws', 'export', 'fairness']) {
      const r = await hogi(cmd, '--from', '1003', '--to', '1001', ...(cmd === 'export' ? ['--format', 'csv', '--out', join(dir, 'y.csv')] : []));
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toMatch(/--from \(1003\) must not exceed --to \(1001\)/);
    }
    const p = await hogi('predict', '--machine', '4');
    expect(p.code).toBe(2);
  });

  it('--limit prints the newest draws, newest first, as its help says', async () => {
    const r = await hogi('draws', '--limit', '2');
    expect(r.code, r.stderr).toBe(0);
    const rounds = [...r.stdout.matchAll(/^\s*(\d{4})\s/gm)].map((m) => Number(m[1]));
    expect(rounds).toEqual([1003, 1002]);
    const all = await hogi('draws');
    expect([...all.stdout.matchAll(/^\s*(\d{4})\s/gm)].map((m) => Number(m[1]))).toEqual([1001, 1002, 1003]);
  });
});

describe('hogi predict options', () => {
  it.each([
    ['--sets', '0'],
    ['--sets', '21'],
    ['--sets', 'abc'],
    ['--seed', '-5'],
    ['--seed', '4294967296'],
    ['--window', '5'],
  ])('%s %s exits 2 with the valid range', async (flag, value) => {
    const r = await hogi('predict', '--machine', '1', flag, value);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
  });

  it('refuses a negative seed in train, backtest and fairness too', async () => {
    for (const args of [['train', '--seed', '-5'], ['backtest', '--from', '1002', '--to', '1003', '--seed', '-1'], ['fairness', '--seed', '-5']]) {
      const r = await hogi(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--seed must be 0\.\./);
    }
  });
});
