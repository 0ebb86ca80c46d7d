import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { runCli as run } from '../helpers/cli.js';
import { clockAfterDraw } from '../helpers/clock.js';
import { loadHistoryDraws } from '../helpers/history.js';

let dir: string;
let emptyDb: string;
let historyDb: string;
const latest = Math.max(...loadHistoryDraws().map((d) => d.round));
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-wheel-'));
  emptyDb = join(dir, 'empty.db');
  historyDb = join(dir, 'history.db');
  const conn = openDb(historyDb);
  drawsRepo(conn).upsertMany(loadHistoryDraws(), '2026-01-01T00:00:00Z');
  conn.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** `hogi wheel` reads the stored prize rounds for the least-shared labelling: an empty database unless a test gives one. */
const runCli = (args: string[], db = emptyDb) => run(['--db', db, ...args], { now: clockAfterDraw(latest) });

const POOL = '3,7,11,15,19,23,27,31,35,39,42,45';

describe('hogi wheel', () => {
  it('prints the tickets, the cost and what was verified', async () => {
    const r = await runCli(['wheel', '--pool', POOL, '--guarantee', '4if6', '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/4if6 wheel on 12 numbers/);
    const tickets = r.stdout.split('\n').filter((l) => /^\s*\d+\s+(\s?\d{1,2}\s){5}\s?\d{1,2}$/.test(l));
    expect(tickets.length).toBeGreaterThan(0);
    expect(r.stdout).toContain(`${tickets.length} tickets, ${(tickets.length * 1000).toLocaleString('en-US')} won`);
    expect(r.stdout).toMatch(/Verified: all 924 ways 6 drawn numbers/);
  });

  it('prints in Korean by default', async () => {
    const r = await runCli(['wheel', '--pool', POOL, '--guarantee', '3if6']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3if6 휠 — 풀 12개 번호/);
    expect(r.stdout).toMatch(/검증: 당첨 번호 중 6개가 풀에 들어오는 924가지 경우/);
  });

  it('--json gives the API view with a held proof, and --fixed puts the numbers on every ticket', async () => {
    const r = await runCli(['wheel', '--pool', POOL, '--guarantee', '3if5', '--fixed', '7', '--seed', '4', '--json']);
    expect(r.code).toBe(0);
    const w = JSON.parse(r.stdout) as { tickets: number[][]; proof: { guarantee_held: boolean }; construction: { seed: number } };
    expect(w.proof.guarantee_held).toBe(true);
    expect(w.construction.seed).toBe(4);
    for (const t of w.tickets) expect(t).toContain(7);
    const again = await runCli(['wheel', '--pool', POOL, '--guarantee', '3if5', '--fixed', '7', '--seed', '4', '--json']);
    expect(JSON.parse(again.stdout).tickets).toEqual(w.tickets);
  });

  it('--budget alone picks the strongest guarantee that fits', async () => {
    const r = await runCli(['wheel', '--pool', POOL, '--budget', '3', '--json']);
    expect(r.code).toBe(0);
    const w = JSON.parse(r.stdout) as { tickets: unknown[]; budget: { limit: number } };
    expect(w.tickets.length).toBeLessThanOrEqual(3);
    expect(w.budget.limit).toBe(3);
  });

  it('says so and exits 1 when no guarantee fits the budget', async () => {
    const r = await runCli(['wheel', '--pool', '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20', '--budget', '1', '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no guarantee fits in 1 ticket/);
    const ko = await runCli(['wheel', '--pool', '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20', '--budget', '1']);
    expect(ko.stderr).toMatch(/20개 번호로 1장 안에 들어가는 보장이 없습니다/);
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['an unknown guarantee', ['--pool', POOL, '--guarantee', '2if6'], /--guarantee must be one of 3if6/],
    ['a duplicate pool number', ['--pool', '1,2,3,4,5,6,7,7', '--guarantee', '3if6'], /--pool: holds 7 more than once/],
    ['a number above 45', ['--pool', '1,2,3,4,5,6,99', '--guarantee', '3if6'], /--pool: must be a whole number from 1 to 45, got 99/],
    ['too few numbers', ['--pool', '1,2,3,4,5,6', '--guarantee', '3if6'], /--pool: must hold 7 to 20 numbers, got 6/],
    ['text in the pool', ['--pool', '1,2,x', '--guarantee', '3if6'], /--pool must list whole numbers/],
    ['a fixed number outside the pool', ['--pool', POOL, '--guarantee', '3if6', '--fixed', '8'], /--fixed: 8 is not in the pool/],
    ['no guarantee and no budget', ['--pool', POOL], /give --guarantee/],
    ['a zero budget', ['--pool', POOL, '--budget', '0'], /--budget must be ≥ 1/],
    ['an unknown language', ['--pool', POOL, '--guarantee', '3if6', '--lang', 'fr'], /Allowed choices are ko, en/],
  ];
  for (const [what, args, message] of bad) {
    it(`exits 2 with a clear message for ${what}`, async () => {
      const r = await runCli(['wheel', ...args, '--lang', 'en']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }

  it('relabels to the least-shared wheel from the stored prize rounds and prints the figures; --no-least-shared keeps the ascending one', async () => {
    const args = ['wheel', '--pool', '1,2,3,4,5,7,11,12,23,31,38,44', '--guarantee', '4if6', '--json'];
    const least = JSON.parse((await runCli(args, historyDb)).stdout) as { tickets: number[][]; popularity: { applied: boolean; before: { mean_ratio: Record<string, number> }; after: { mean_ratio: Record<string, number> } } };
    const plain = JSON.parse((await runCli([...args, '--no-least-shared'], historyDb)).stdout) as { tickets: number[][]; popularity: { applied: boolean } };
    expect(least.popularity.applied).toBe(true);
    expect(plain.popularity.applied).toBe(false);
    expect(least.tickets).toHaveLength(plain.tickets.length);
    expect(least.tickets).not.toEqual(plain.tickets);
    const m = (r: Record<string, number>) => r['1'] + r['2'] + r['3'];
    expect(m(least.popularity.after.mean_ratio)).toBeLessThan(m(least.popularity.before.mean_ratio));
    const text = await runCli(['wheel', '--pool', '1,2,3,4,5,7,11,12,23,31,38,44', '--guarantee', '4if6', '--lang', 'en'], historyDb);
    expect(text.stdout).toMatch(new RegExp(`Least shared \\(model fitted on the prize rounds through ${latest}, seed 16\\): mean predicted tier 1–3 co-winner ratio over the tickets [0-9.]+ → [0-9.]+`));
    expect(text.stdout).toMatch(/odds are unchanged/);
  });

  it('says the popularity model cannot be fitted on a database without prize rounds, and still prints the wheel', async () => {
    const r = await runCli(['wheel', '--pool', POOL, '--guarantee', '4if6', '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Least shared: The popularity model cannot be fitted/);
  });

  it('--save stores the wheel as tickets of five games for the next undrawn round and prints their ids', async () => {
    const r = await runCli(['wheel', '--pool', POOL, '--guarantee', '4if6', '--save', '--lang', 'en'], historyDb);
    expect(r.code, r.stderr).toBe(0);
    const games = r.stdout.split('\n').filter((l) => /^\s*\d+\s+(\s?\d{1,2}\s){5}\s?\d{1,2}$/.test(l)).length;
    const parts = Math.ceil(games / 5);
    expect(r.stdout).toMatch(new RegExp(`Saved as ${parts} tickets? for round ${latest + 1} \\(the next draw; five games a ticket, ${games} games\\): #\\d+`));
    const listed = JSON.parse((await runCli(['tickets', 'list', '--round', String(latest + 1), '--json'], historyDb)).stdout) as { total: number; items: Array<{ games: unknown[]; status: string }> };
    expect(listed.total).toBe(parts);
    expect(listed.items.reduce((s, t) => s + t.games.length, 0)).toBe(games);
    const json = JSON.parse((await runCli(['wheel', '--pool', POOL, '--guarantee', '3if6', '--save', '--round', '1000', '--json'], historyDb)).stdout) as { saved: { round: number; round_source: string; ticket_ids: number[] } };
    expect(json.saved).toMatchObject({ round: 1000, round_source: 'given' });
    expect(json.saved.ticket_ids.length).toBeGreaterThan(0);
  });

  it('refuses --round without --save, and a round beyond four digits, with exit 2', async () => {
    expect((await runCli(['wheel', '--pool', POOL, '--guarantee', '3if6', '--round', '5'])).stderr).toMatch(/--round and --label go with --save/);
    const r = await runCli(['wheel', '--pool', POOL, '--guarantee', '3if6', '--save', '--round', '10000', '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--round: must be a whole number from 1 to 9999/);
  });
});
