import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

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
});
