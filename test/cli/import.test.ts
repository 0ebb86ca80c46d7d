import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dumpDbAt } from '../helpers/dbDump.js';
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

const dump = () => dumpDbAt(dbPath);

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

  it('imports a draws CSV without prize columns and a prizes CSV together: all five tiers and the split', async () => {
    const r = await hogi('import', FIX('draws-basic.csv'), FIX('prizes-small.csv'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('draws CSV, 5 records');
    expect(r.out).toContain('prizes CSV, 5 records');
    expect(r.out).toContain('added 5, updated 0, unchanged 0, rejected 0');
    const rows = dump().draws as Array<Record<string, number | null>>;
    expect(rows.find((x) => x.draw_round === 264)).toMatchObject({
      first_prize_winners: 7, first_prize_each: 1344889200, winners_2: 27, prize_each_2: 58112497, winners_3: 1047, prize_each_3: 1498604,
      winners_4: 50096, prize_each_4: 62642, winners_5: 840243, prize_each_5: 5000, first_auto: 3, first_manual: 4, first_semi_auto: 0,
      total_sales: null,
    });
    // Round 261 came before the split was published: it stays unknown, not 0/0/0.
    expect(rows.find((x) => x.draw_round === 261)).toMatchObject({ winners_2: 32, first_auto: null, first_manual: null, first_semi_auto: null });
  });

  it('adds prize tiers to stored rounds from a prizes CSV, and refuses rows for rounds that are not stored', async () => {
    await hogi('import', FIX('draws-basic.csv'));
    const filled = await hogi('import', FIX('prizes-small.csv'));
    expect(filled.code).toBe(0);
    expect(filled.out).toContain('added 0, updated 5, unchanged 0, rejected 0');

    const lonely = join(dir, 'prizes-lonely.csv');
    writeFileSync(lonely, `${readFileSync(FIX('prizes-small.csv'), 'utf8').split('\n')[0]}\n900,1,1,1,1,1,1,1,1,1,1,1,0,0\n`);
    const before = dump();
    const r = await hogi('import', lonely);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/record 0, round 900: date: expected a date \(round 900 is not stored/);
    expect(dump()).toEqual(before);
  });

  it('refuses a prizes CSV whose first tier disagrees with the stored draw, naming the round and field', async () => {
    await hogi('import', FIX('draws-basic.csv'), FIX('prizes-small.csv'));
    const changed = join(dir, 'prizes-changed.csv');
    writeFileSync(changed, readFileSync(FIX('prizes-small.csv'), 'utf8').replace('263,6,1551704900', '263,7,1551704900').replace(/6,0,0(\r?\n)264/, '7,0,0$1264'));
    const before = dump();
    const r = await hogi('import', changed);
    expect(r.code).not.toBe(0);
    expect(`${r.out}${r.err}`).toMatch(/round 263: firstPrizeWinners: stored 6, file has 7/);
    expect(dump()).toEqual(before);
  });

  it('refuses a prizes CSV row whose split does not add up to the first-prize winners', async () => {
    const bad = join(dir, 'prizes-bad.csv');
    writeFileSync(bad, readFileSync(FIX('prizes-small.csv'), 'utf8').replace('264,7,1344889200', '264,9,1344889200'));
    const r = await hogi('import', FIX('draws-basic.csv'), bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/round 264: first_auto,first_semi_auto,first_manual: expected counts adding up to winners_1 \(9\)/);
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
