import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { runCli } from '../helpers/cli.js';
import { loadHistoryDraws } from '../helpers/history.js';

let dir: string;
let db: string;
const all = loadHistoryDraws();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-cli-'));
  db = join(dir, 'hogi.db');
  const h = openDb(db);
  drawsRepo(h).upsertMany(all, '2026-01-01T00:00:00Z');
  h.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hogi stats', () => {
  it('reports 3호기 over its last 50 draws as an independent tally does', async () => {
    const r = await runCli(['--db', db, 'stats', '--machine', '3', '--rounds', '50', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const last50 = all.filter((d) => d.machine === 3).slice(-50);
    const counts = new Array(46).fill(0);
    last50.forEach((d) => d.numbers.forEach((n) => counts[n]++));
    expect(out.machine_type).toBe('3호기');
    expect(out.analysis_period).toEqual({ total_rounds: 50, start_round: last50[0].round, end_round: last50[49].round });
    for (let n = 1; n <= 45; n++) expect(out.number_frequency.frequency_distribution[String(n)]).toBeCloseTo(counts[n] / 50, 4);
    const top = Math.max(...counts.slice(1));
    expect(counts[out.number_frequency.most_frequent[0]]).toBe(top);
    const avgSum = last50.reduce((a, d) => a + d.numbers.reduce((s, x) => s + x, 0), 0) / 50;
    expect(out.pattern_analysis.avg_total_sum).toBeCloseTo(avgSum, 3);
    const avgOdd = last50.reduce((a, d) => a + d.numbers.filter((x) => x % 2 === 1).length, 0) / 50;
    expect(out.pattern_analysis.avg_odd_count).toBeCloseTo(avgOdd, 3);
  });

  it('prints a table for people with the window and hot/cold numbers', async () => {
    const r = await runCli(['--db', db, 'stats', '--machine', '3호기', '--rounds', '50']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3호기: last 50 draws \(rounds \d+–\d+\)/);
    expect(r.stdout).toMatch(/^hot: {2}\d+(, \d+){5}$/m);
    expect(r.stdout).toMatch(/AC value \(0–10\)/);
  });

  it('rejects a bad machine with one line and exit code 2', async () => {
    const r = await runCli(['--db', db, 'stats', '--machine', '4번']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/"1호기"/);
  });

  it('rejects a non-numeric window with exit code 2', async () => {
    expect((await runCli(['--db', db, 'stats', '--rounds', 'ten'])).code).toBe(2);
  });
});

describe('hogi draws', () => {
  it('lists a range of one machine as JSON', async () => {
    const r = await runCli(['--db', db, 'draws', '--machine', '2', '--from', '1000', '--to', '1100', '--json']);
    const expected = all.filter((d) => d.machine === 2 && d.round >= 1000 && d.round <= 1100).map((d) => d.round);
    expect(JSON.parse(r.stdout).map((d: { round: number }) => d.round)).toEqual(expected);
  });

  it('explains how to load data when the database is empty', async () => {
    const r = await runCli(['--db', join(dir, 'empty.db'), 'draws']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hogi sync.*hogi import/);
  });

  it('has --help for every command', async () => {
    for (const c of ['draws', 'stats']) {
      const r = await runCli([c, '--help']);
      expect(r.code).toBe(0);
    }
  });
});
