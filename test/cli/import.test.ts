import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { dumpDb } from '../helpers/dbDump.js';
import { wireResponse } from '../helpers/dhlotteryWire.js';
import { historyDrawsCsv, historyMachinesCsv, REPO_ROOT, loadHistoryDraws } from '../helpers/history.js';
import { runCli } from '../helpers/cli.js';

// The shipped history written as the shared data folder's CSV files (test/helpers/history.ts).
const DRAWS_CSV = historyDrawsCsv();
const MACHINES_CSV = historyMachinesCsv();

const FIX = (name: string) => resolve(REPO_ROOT, 'test/fixtures/import', name);

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-import-'));
  dbPath = join(dir, 'hogi.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI in-process against this file's database, output captured. */
async function hogi(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(['--db', dbPath, ...args]);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

function dump() {
  const db = openDb(dbPath);
  try {
    return dumpDb(db);
  } finally {
    db.close();
  }
}

describe('hogi import', () => {
  it('loads draws.csv and machines.csv: 1245 draws, 979 machine labels, with the counts printed', async () => {
    const r = await hogi('import', DRAWS_CSV, MACHINES_CSV);
    expect(r.code).toBe(0);
    expect(r.out).toContain('added 1245, updated 0, unchanged 0, rejected 0');
    expect(r.out).toContain('1245 draws, 979 with a machine');
    const rows = dump().draws as Array<{ machine_type: number | null }>;
    expect(rows).toHaveLength(1245);
    expect(rows.filter((x) => x.machine_type !== null)).toHaveLength(979);
  });

  it('says so when re-importing changes nothing, and leaves the database untouched', async () => {
    await hogi('import', FIX('draws-small.csv'), FIX('machines-small.csv'));
    const before = dump();
    const r = await hogi('import', FIX('draws-small.csv'), FIX('machines-small.csv'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('added 0, updated 0, unchanged 3, rejected 0');
    expect(r.out).toMatch(/Nothing changed/);
    expect(dump()).toEqual(before);
  });

  it('prints every problem of every bad record, exits 1 and writes nothing', async () => {
    await hogi('import', FIX('draws-small.csv'));
    const before = dump();
    const r = await hogi('import', FIX('res-bad.json'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/record 0, round 1001: 홀짝_비율: expected "2:4".*found "3:3"/);
    expect(r.err).toMatch(/record 1, round 1002: 총합: expected 67.*found 68/);
    expect(r.err).toMatch(/record 2, round 1003: AC값: expected 5 .*or 3 .*found 7/);
    expect(r.err).toMatch(/nothing was written/);
    expect(r.out).toContain('rejected 3');
    expect(dump()).toEqual(before);
  });

  it('refuses an unknown format, naming the file and the formats it accepts', async () => {
    const before = dump();
    const r = await hogi('import', FIX('unknown.csv'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('unknown.csv');
    expect(r.err).toMatch(/format: expected res\.json/);
    expect(dump()).toEqual(before);
  });

  it('reports a missing file as a problem with the others, not a crash', async () => {
    const r = await hogi('import', join(dir, 'nope.csv'), FIX('res-bad.json'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nope\.csv: file: expected a readable file, found ENOENT/);
    expect(r.err).toMatch(/res-bad\.json, record 2/);
  });

  it('refuses to change the 호기 of a stored round without --overwrite, and applies it with it', async () => {
    await hogi('import', FIX('draws-small.csv'), FIX('machines-small.csv'));
    const before = dump();
    const refused = await hogi('import', FIX('res-machine-change.json'));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/round 1001: machine \(호기\): stored 1호기, file has 2호기/);
    expect(refused.err).toMatch(/--overwrite/);
    expect(dump()).toEqual(before);

    const applied = await hogi('import', '--overwrite', FIX('res-machine-change.json'));
    expect(applied.code).toBe(0);
    expect(applied.out).toContain('added 0, updated 1, unchanged 0, rejected 0');
    expect((dump().draws as Array<{ draw_round: number; machine_type: number }>).find((d) => d.draw_round === 1001)?.machine_type).toBe(2);
  });

  it('--dry-run reports what would change and writes nothing', async () => {
    const before = dump();
    const r = await hogi('import', '--dry-run', FIX('draws-small.csv'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('would be: added 3');
    expect(dump()).toEqual(before);
  });

  it('--json prints counts, problems and conflicts for scripts', async () => {
    const r = await hogi('import', '--json', FIX('draws-small.csv'), FIX('res-duplicate.json'));
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { added: number; rejected: number; written: boolean; problems: Array<{ field: string; index: number }>; files: unknown[] };
    expect(j).toMatchObject({ added: 3, rejected: 1, written: false });
    expect(j.problems).toEqual([expect.objectContaining({ field: '회차', index: 1 })]);
    expect(j.files).toHaveLength(2);
  });

  it('imports a saved dhlottery API response', async () => {
    const draws = loadHistoryDraws().slice(0, 3);
    const f = join(dir, 'api.json');
    writeFileSync(f, wireResponse(draws));
    const r = await hogi('import', f);
    expect(r.code).toBe(0);
    expect(r.out).toContain('dhlottery API JSON, 3 records');
    expect(r.out).toContain('added 3');
  });
});

describe('hogi export', () => {
  beforeEach(async () => {
    await hogi('import', FIX('draws-small.csv'));
    await hogi('import', FIX('res-foreign.json'));
  });

  it('writes res.json and CSV files that import back to the same rows', async () => {
    for (const format of ['resjson', 'csv']) {
      const out = join(dir, `out.${format}`);
      const r = await hogi('export', '--format', format, '--out', out);
      expect(r.code).toBe(0);
      expect(r.out).toContain('wrote 3 round(s)');
      const before = dump().draws;
      const other = join(dir, `b-${format}.db`);
      const saved = dbPath;
      dbPath = other;
      expect((await hogi('import', out)).code).toBe(0);
      const strip = (rows: unknown[]) => rows.map((x) => ({ ...(x as object), created_at: 0, updated_at: 0 }));
      expect(strip(dump().draws)).toEqual(strip(before));
      dbPath = saved;
    }
  });

  it('filters by round range and machine', async () => {
    const out = join(dir, 'f.csv');
    expect((await hogi('export', '--format', 'csv', '--out', out, '--from', '1002', '--machine', '3호기')).code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0])).toEqual(['1003']);
  });

  it('rejects bad arguments with exit code 2 and writes no file', async () => {
    const out = join(dir, 'x.json');
    expect((await hogi('export', '--format', 'xml', '--out', out)).code).toBe(2);
    expect((await hogi('export', '--format', 'csv')).code).toBe(2);
    expect((await hogi('export', '--format', 'csv', '--out', out, '--from', '9', '--to', '3')).code).toBe(2);
    expect((await hogi('export', '--format', 'csv', '--out', out, '--machine', '4번')).code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('a failed export leaves neither a partial file nor a temp file, and keeps an existing file', async () => {
    const out = join(dir, 'keep.json');
    writeFileSync(out, 'old');
    const r = await hogi('export', '--format', 'resjson', '--out', out, '--from', '5000');
    expect(r.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('old');
    const missingDir = join(dir, 'no-such-dir', 'x.json');
    const r2 = await hogi('export', '--format', 'resjson', '--out', missingDir);
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/cannot write/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
