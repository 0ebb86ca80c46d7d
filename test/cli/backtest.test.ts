// hogi backtest as a user runs it: a database file, the CLI in-process, output captured.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import type { BacktestDetail } from '../../src/service/backtest/service.js';
import { runCli } from '../helpers/cli.js';
import { loadHistoryDraws } from '../helpers/history.js';

const history = loadHistoryDraws().filter((d) => d.round >= 1100);
let dir: string;
let dbPath: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-backtest-cli-'));
  dbPath = join(dir, 'hogi.db');
  const db = openDb(dbPath);
  drawsRepo(db).upsertMany(history, '2026-01-01T00:00:00.000Z');
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = ['backtest', '--from', '1221', '--to', '1240', '--methods', 'random,frequency_baseline', '--sets', '4', '--seed', '3'];

describe('hogi backtest', () => {
  it('--json prints only the stored backtest as JSON on stdout, progress on stderr', async () => {
    const r = await runCli(['--db', dbPath, ...args, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as BacktestDetail & { wall_seconds: number };
    const labelled = history.filter((d) => d.round >= 1221 && d.round <= 1240 && d.machine !== null).length;
    expect(out.status).toBe('completed');
    expect(out.progress).toEqual({ rounds_done: labelled, rounds_total: labelled, fraction: 1 });
    expect(out.params).toMatchObject({ from: 1221, to: 1240, machine: 'all', sets: 4, seed: 3, methods: ['random', 'frequency_baseline'] });
    expect(out.summary!.overall.methods.map((m) => m.method)).toEqual(['random', 'frequency_baseline']);
    expect(out.summary!.overall.methods[0].sets).toBe(4 * labelled);
    expect(r.stderr).toMatch(/starting backtest bt-[0-9a-f]{12}/);
  });

  it('the same command again finds the stored run (same id), and prints the table, chance values and conclusion in both languages', async () => {
    const first = JSON.parse((await runCli(['--db', dbPath, ...args, '--json'])).stdout) as BacktestDetail;
    const r = await runCli(['--db', dbPath, ...args]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`resuming backtest ${first.id}`));
    expect(r.stdout).toMatch(new RegExp(`backtest ${first.id} · rounds 1221–1240`));
    expect(r.stdout).toMatch(/method\s+rounds\s+matches\/set\s+95% CI\s+chance\s+p\s+p Holm/);
    expect(r.stdout).toMatch(/^frequency_baseline\s+\d+\s+\d\.\d{3}/m);
    expect(r.stdout).toMatch(/chance: 0\.800 matches per set; best of 4 independent tickets 1\.6\d\d/);
    expect(r.stdout).toMatch(/Walk-forward over \d+ draws/);
    expect(r.stdout).toMatch(/워크포워드/);
  });

  it('--out writes report.json with the charts data and a self-contained report.html', async () => {
    const out = join(dir, 'report');
    const r = await runCli(['--db', dbPath, ...args, '--out', out]);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).toMatch(/echarts/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { charts: { matches: Array<{ scope: string; method: string }> } };
    expect(report.charts.matches.filter((m) => m.scope === 'all').map((m) => m.method)).toEqual(['random', 'frequency_baseline']);
  });

  it('refuses bad arguments with exit code 2 and one line', async () => {
    const r = await runCli(['--db', dbPath, 'backtest', '--from', '1240', '--to', '1221']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from \(1240\) must not exceed --to \(1221\)/);
    const m = await runCli(['--db', dbPath, 'backtest', '--from', '1221', '--to', '1240', '--methods', 'oracle']);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/--methods takes random, frequency_baseline/);
  });
});
