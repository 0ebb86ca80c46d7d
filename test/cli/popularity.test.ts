import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { runCli } from '../helpers/cli.js';
import { loadHistoryDraws, loadHistoryDrawsWithoutTiers } from '../helpers/history.js';
import { FIXTURE_DRAWS_CSV, FIXTURE_PRIZES_CSV } from '../models/popularity/fixture.js';

const SRC = ['--draws-csv', FIXTURE_DRAWS_CSV, '--prizes-csv', FIXTURE_PRIZES_CSV];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-pop-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hogi popularity', () => {
  it('score prints the ratio per tier and the prize if won, and --json gives the same figures', async () => {
    const t = await runCli(['popularity', 'score', '1,2,3,4,5,6', ...SRC]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/co-winner ratio/);
    expect(t.stdout).toContain('never better odds');
    const j = await runCli(['popularity', 'score', '6,5,4,3,2,1', ...SRC, '--json']);
    expect(j.code).toBe(0);
    const body = JSON.parse(j.stdout);
    expect(body.numbers).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.stdout).toContain(body.ratio['1'].toFixed(3));
  });

  it('score refuses bad numbers with exit code 2 and says why', async () => {
    const r = await runCli(['popularity', 'score', '1,2,3,4,5,99', ...SRC]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/99 is not a whole number from 1 to 45/);
  });

  it('backtest --json gives rounds with predicted and realized ratios per tier and the summary; --out writes report.json and report.html', async () => {
    const out = join(dir, 'report');
    const r = await runCli(['popularity', 'backtest', '--from', '1225', '--to', '1238', '--retrain-every', '20', ...SRC, '--json', '--out', out]);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.rounds).toHaveLength(14);
    expect(rep.rounds[0].round).toBe(1225);
    expect(Object.keys(rep.rounds[0].tiers)).toEqual(['1', '2', '3', '4', '5']);
    expect(rep.rounds[0].tiers['5'].realized_ratio).toBeGreaterThan(0);
    expect(rep.summary.tiers['5'].pearson_ci95).toBeDefined();
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('score and backtest read the five tiers from the database (as the shipped history fills it), with no CSV flags', async () => {
    const path = join(dir, 'seeded.db');
    const conn = openDb(path);
    drawsRepo(conn).upsertMany(loadHistoryDraws(), '2026-01-01T00:00:00Z');
    conn.close();
    const db = ['--db', path];
    // Dates and small numbers: more shared than average in every tier that counts many tickets.
    const s = await runCli([...db, 'popularity', 'score', '3,7,12,17,24,28', '--json']);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const body = JSON.parse(s.stdout);
    expect(body.after_round).toBeGreaterThanOrEqual(1238);
    // Tiers 2–5 come from the stored tiers: a first-prize-only source could not fit them.
    expect(body.model.trained_through).toBeGreaterThanOrEqual(1238);
    expect(body.ratio['5']).toBeGreaterThan(1);
    const b = await runCli([...db, 'popularity', 'backtest', '--from', '1230', '--to', '1238', '--retrain-every', '20', '--json']);
    expect(b.code).toBe(0);
    const rep = JSON.parse(b.stdout);
    expect(rep.rounds).toHaveLength(9);
    expect(rep.rounds[8].tiers['3'].realized_ratio).toBeGreaterThan(0);
  });

  it('with draws stored but no prize tiers it says what to load, exit code 1', async () => {
    const path = join(dir, 'no-tiers.db');
    const conn = openDb(path);
    drawsRepo(conn).upsertMany(loadHistoryDrawsWithoutTiers(), '2026-01-01T00:00:00Z');
    conn.close();
    const r = await runCli(['--db', path, 'popularity', 'score', '1,2,3,4,5,6']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/prize/i);
  });

  it('with nothing stored it says what to load, exit code 1', async () => {
    const r = await runCli(['--db', join(dir, 'empty.db'), 'popularity', 'score', '1,2,3,4,5,6']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No draws stored yet/);
  });
});
