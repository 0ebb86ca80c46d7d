// `hogi import` against hostile files: truncated, binary, not UTF-8, enormous (100 MB, refused by
// size without being read), endless (/dev/zero) and deeply nested. Each gets a clear error
// naming the file, exit code 1, and the database stays exactly as it was.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES, MAX_IMPORT_JSON_DEPTH, readImportFile } from '../../src/data/importFile.js';
import { Random } from '../../src/domain/random.js';
import { runCli } from '../helpers/cli.js';
import { dumpDbAt } from '../helpers/dbDump.js';
import { historyDrawsCsv } from '../helpers/history.js';

// The shipped history written as the shared data folder's CSV files (test/helpers/history.ts).
const DRAWS_CSV = historyDrawsCsv();

let dir: string;
let dbPath: string;
let resJson: string;

const hogi = (...args: string[]) => runCli(['--db', dbPath, ...args]);
const dump = () => dumpDbAt(dbPath);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-import-hostile-'));
  dbPath = join(dir, 'hogi.db');
  // The store holds part of the history, so a refused import has something to leave alone.
  const partial = join(dir, 'partial.csv');
  const lines = readFileSync(DRAWS_CSV, 'utf8').trim().split(/\r?\n/);
  writeFileSync(partial, `${lines.slice(0, 1001).join('\n')}\n`);
  expect((await hogi('import', partial)).code).toBe(0);
  // A genuine res.json of the stored rounds, to cut short below.
  resJson = join(dir, 'res.json');
  expect((await hogi('export', '--format', 'resjson', '--include-unlabelled', '--out', resJson)).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function expectRefused(file: string, message: RegExp): Promise<string> {
  const before = dump();
  const r = await hogi('import', file);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/nothing was written/);
  expect(r.stderr + r.stdout).toMatch(message);
  expect(r.stderr).not.toMatch(/RangeError|TypeError|at .*\.ts:\d+/);
  expect(dump()).toEqual(before);
  return r.stderr;
}

describe('hogi import refuses hostile files and writes nothing', () => {
  it('a truncated res.json (cut mid-record)', async () => {
    const text = readFileSync(resJson, 'utf8');
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, text.slice(0, Math.floor(text.length * 0.6)));
    await expectRefused(cut, /does not parse/);
  });

  it('a truncated draws CSV (the last row cut in half), even though its other rows are new and valid', async () => {
    const lines = readFileSync(DRAWS_CSV, 'utf8').trim().split(/\r?\n/);
    const cut = join(dir, 'cut.csv');
    writeFileSync(cut, `${lines[0]}\n${lines.slice(1001, 1100).join('\n')}\n${lines[1100].slice(0, 15)}`);
    await expectRefused(cut, /cut\.csv/);
  });

  it('a binary file, and bytes that are not UTF-8', async () => {
    const rnd = new Random(99);
    const bin = Buffer.from(Array.from({ length: 4096 }, () => rnd.nextInt(256)));
    bin[10] = 0;
    const binPath = join(dir, 'random.bin');
    writeFileSync(binPath, bin);
    await expectRefused(binPath, /binary file/);
    const latin = join(dir, 'latin1.csv');
    writeFileSync(latin, Buffer.concat([Buffer.from('round,date\n1,'), Buffer.from([0xc0, 0xff, 0xfe]), Buffer.from('\n')]));
    await expectRefused(latin, /not valid UTF-8/);
  });

  it(`an enormous file (100 MB, above the ${MAX_IMPORT_BYTES / 1024 / 1024} MiB limit) is refused by its size, before reading`, async () => {
    const big = join(dir, 'huge.csv');
    const header = readFileSync(DRAWS_CSV, 'utf8').split(/\r?\n/, 1)[0];
    const row = Buffer.from('1,2002-12-07,10,23,29,33,37,40,16,0,0,3681782000\n');
    const chunk = Buffer.alloc(1024 * 1024);
    for (let o = 0; o + row.length <= chunk.length; o += row.length) row.copy(chunk, o);
    const fd = openSync(big, 'w');
    try {
      writeSync(fd, `${header}\n`);
      for (let i = 0; i < 100; i++) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    const err = await expectRefused(big, /at most 16\.0 MiB/);
    expect(err).toMatch(/100\.0 MiB; nothing was read/);
  });

  it.skipIf(!existsSync('/dev/zero'))('an endless stream (/dev/zero) is read only up to the limit', () => {
    const r = readImportFile('/dev/zero', { maxBytes: 1024 * 1024 });
    expect(r.records).toEqual([]);
    expect(r.problems[0]).toMatchObject({ field: 'file', found: expect.stringMatching(/reading stopped/) });
  });

  it('deeply nested JSON (a million levels, and res.json whose records nest deeper than the limit)', async () => {
    const deep = join(dir, 'deep.json');
    writeFileSync(deep, `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`);
    await expectRefused(deep, new RegExp(`nested deeper than ${MAX_IMPORT_JSON_DEPTH} levels`));
    const nestedRes = join(dir, 'nested-res.json');
    writeFileSync(nestedRes, `{"metadata":{},"lottery_data":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    await expectRefused(nestedRes, /nested deeper/);
  });

  it('an empty file and a directory', async () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '');
    await expectRefused(empty, /empty file/);
    await expectRefused(dir, /a directory/);
  });

  it('one hostile file among good ones: all or nothing', async () => {
    const lines = readFileSync(DRAWS_CSV, 'utf8').trim().split(/\r?\n/);
    const good = join(dir, 'good.csv');
    writeFileSync(good, `${lines[0]}\n${lines.slice(1001).join('\n')}\n`);
    const bin = join(dir, 'zero.bin');
    writeFileSync(bin, Buffer.alloc(100));
    await expectRefused(bin, /binary/);
    const before = dump();
    const r = await hogi('import', good, bin);
    expect(r.code).toBe(1);
    expect(dump()).toEqual(before);
    // The good file alone still imports.
    expect((await hogi('import', good)).code).toBe(0);
    expect(dump().draws.length).toBe(lines.length - 1);
  });
});
