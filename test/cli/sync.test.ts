import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import type { Draw } from '../../src/domain/draw.js';
import { progressReporter } from '../../src/cli/commands/sync.js';
import { runCli } from '../helpers/cli.js';
import { loadHistoryDraws } from '../helpers/history.js';
import { startFixtureServer, type FixtureServer } from '../data/sync/fixtureServer.js';

const shared = loadHistoryDraws();
let dir: string;
let fx: FixtureServer;
let n = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-sync-cli-'));
  fx = await startFixtureServer({ draws: shared });
  process.env.HOGI_DHLOTTERY_URL = fx.dhlotteryUrl;
  process.env.HOGI_LOTTOTAPA_URL = fx.lottotapaUrl;
});
afterAll(async () => {
  delete process.env.HOGI_DHLOTTERY_URL;
  delete process.env.HOGI_LOTTOTAPA_URL;
  await fx.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fx.reset(shared);
});

/** A fresh database file holding `draws`. */
function dbWith(draws: readonly Draw[]): string {
  const path = join(dir, `t${n++}.db`);
  const h = openDb(path);
  drawsRepo(h).upsertMany(draws, '2026-01-01T00:00:00.000Z');
  h.close();
  return path;
}

function contents(path: string): string {
  const h = openDb(path);
  try {
    const repo = drawsRepo(h);
    return JSON.stringify({ draws: repo.list(), version: repo.dataVersion() });
  } finally {
    h.close();
  }
}

const fast = ['--interval-ms', '0', '--retries', '0'];

describe('hogi sync', () => {
  it('loads the whole history into an empty database and reports the counts', async () => {
    const db = dbWith([]);
    const r = await runCli(['--db', db, 'sync', ...fast]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/latest official round: 1245/);
    expect(r.stdout).toMatch(/added 1245, labelled 979/);
    expect(r.stdout).toMatch(/stored now: 1245 draws, 979 with a machine/);
    // Not a terminal here: plain progress lines on stderr instead of a bar.
    expect(r.stderr).toMatch(/fetching 1244 round\(s\) from dhlottery\.co\.kr/);
    const h = openDb(db);
    expect(drawsRepo(h).count()).toBe(1245);
    h.close();

    const again = await runCli(['--db', db, 'sync', ...fast]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Up to date/);
  });

  it('prints the summary as JSON for scripts', async () => {
    const db = dbWith(shared.slice(0, 1243));
    const r = await runCli(['--db', db, 'sync', '--json', ...fast]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ latestRound: 1245, previousRound: 1243, added: 2, labelled: 0, conflicts: [], stored: { draws: 1245 } });
  });

  it('writes nothing on --dry-run', async () => {
    const db = dbWith(shared.slice(0, 1200));
    const before = contents(db);
    const r = await runCli(['--db', db, 'sync', '--dry-run', ...fast]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dry run, would be: added 45/);
    expect(contents(db)).toBe(before);
  });

  it('explains being offline in one paragraph, exits 1 and changes nothing', async () => {
    const db = dbWith(shared.slice(0, 1200));
    const before = contents(db);
    const srv = createServer();
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
    const { port } = srv.address() as AddressInfo;
    await new Promise<void>((res) => srv.close(() => res()));
    const r = await runCli(['--db', db, 'sync', ...fast, '--dhlottery-url', `http://127.0.0.1:${port}/lt645/selectPstLt645Info.do`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`could not reach 127\\.0\\.0\\.1:${port}.*check your internet connection.*nothing was changed`));
    expect(contents(db)).toBe(before);
  });

  it('explains a block page, exits 1 and changes nothing', async () => {
    const db = dbWith(shared.slice(0, 1200));
    const before = contents(db);
    fx.state.dhMode = 'block-html';
    const r = await runCli(['--db', db, 'sync', ...fast]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/waiting or reject page.*접속 대기.*Wait a while.*nothing was changed/);
    expect(r.stderr).not.toMatch(/--no-labels/);
    expect(contents(db)).toBe(before);
  });

  it('explains a timeout with the limit used, exits 1 and changes nothing', async () => {
    const db = dbWith(shared.slice(0, 1200));
    const before = contents(db);
    fx.state.dhMode = 'hang';
    const r = await runCli(['--db', db, 'sync', ...fast, '--timeout-ms', '50']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/did not answer within 50 ms \(1 attempt\).*--timeout-ms.*nothing was changed/);
    expect(contents(db)).toBe(before);
  });

  it('explains a changed lottotapa page, points to --no-labels, and changes nothing', async () => {
    const db = dbWith(shared.slice(0, 1200));
    const before = contents(db);
    fx.state.tapaMode = 'no-pattern';
    const r = await runCli(['--db', db, 'sync', ...fast]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not in the expected format.*--no-labels.*nothing was changed/);
    expect(contents(db)).toBe(before);
    const draws = await runCli(['--db', db, 'sync', ...fast, '--no-labels']);
    expect(draws.code).toBe(0);
    expect(draws.stderr).toMatch(/warning: machine labels were not fetched/);
  });

  it('lists conflicts on stderr, keeps stored values and exits 3', async () => {
    const stored = shared.slice(0, 1240).map((d) => ({ ...d }));
    stored[1238] = { ...stored[1238], machine: null };
    const wrong = shared[1239].machine === 3 ? 1 : 3;
    stored[1239] = { ...stored[1239], machine: wrong };
    const db = dbWith(stored);
    const r = await runCli(['--db', db, 'sync', ...fast]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`round 1240: machine \\(호기\\): stored ${wrong}호기, lottotapa says ${shared[1239].machine}호기`));
    const h = openDb(db);
    expect(drawsRepo(h).get(1240)?.machine).toBe(wrong);
    expect(drawsRepo(h).count()).toBe(1245);
    h.close();
  });

  it('rejects bad arguments with one line and exit code 2', async () => {
    for (const args of [['--timeout-ms', 'soon'], ['--retries', '-1'], ['--timeout-ms', '0'], ['--dhlottery-url', 'not a url'], ['--lottotapa-url', 'ftp://x/y']]) {
      const r = await runCli(['--db', dbWith([]), 'sync', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('draws a progress bar of rounds fetched, with an ETA, on a terminal', () => {
    let out = '';
    const stream = { isTTY: true, columns: 100, write: (s: string | Uint8Array) => ((out += String(s)), true) };
    const p = progressReporter(stream);
    p.onProgress({ phase: 'draws', done: 0, total: 4 });
    for (let i = 1; i <= 4; i++) p.onProgress({ phase: 'draws', done: i, total: 4 });
    expect(out).toMatch(/draws {2}\[.*\] 4\/4 rounds \| ETA/);
  });

  it('has --help', async () => {
    const r = await runCli(['sync', '--help']);
    expect(r.code).toBe(0);
  });
});
