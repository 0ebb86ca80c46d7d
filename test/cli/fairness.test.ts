import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
const FAST = ['--null-simulations', '20', '--power-simulations', '10', '--permutations', '99'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-fair-'));
  db = join(dir, 'hogi.db');
  const h = openDb(db);
  drawsRepo(h).upsertMany(all.filter((d) => d.round <= 700), '2026-01-01T00:00:00Z');
  h.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hogi fairness', () => {
  it('--json gives the report for one machine over a round range, with its draw count', async () => {
    const r = await runCli(['--db', db, 'fairness', '--machine', '2호기', '--from', '262', '--to', '700', '--seed', '3', ...FAST, '--json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.params).toMatchObject({ machines: [2], from: 262, to: 700, seed: 3, permutations: 99, nullSimulations: 20, powerSimulations: 10 });
    expect(rep.scopes).toHaveLength(1);
    expect(rep.scopes[0].draws).toBe(all.filter((d) => d.machine === 2 && d.round >= 262 && d.round <= 700).length);
    expect(rep.scopes[0].tests.map((t: { test: string }) => t.test)).toEqual(['frequency', 'pairs', 'gaps', 'runs', 'autocorrelation']);
  });

  it('prints every scope with its conclusion and a test table by default, and --out writes fairness.json', async () => {
    const out = join(dir, 'report');
    const r = await runCli(['--db', db, 'fairness', '--from', '262', '--to', '700', ...FAST, '--out', out]);
    expect(r.code).toBe(0);
    for (const label of ['all machines together', '1호기', '2호기', '3호기']) expect(r.stdout).toContain(label);
    expect(r.stdout).toMatch(/No evidence|Evidence/);
    expect(r.stdout).toMatch(/공정한 추첨/);
    expect(r.stdout).toContain('machines_differ');
    expect(existsSync(join(out, 'fairness.json'))).toBe(true);
    const saved = JSON.parse(readFileSync(join(out, 'fairness.json'), 'utf8'));
    expect(saved.scopes.map((s: { machine: unknown }) => s.machine)).toEqual(['all', 1, 2, 3]);
  });

  it('rejects a reversed range and an unknown machine with exit code 2', async () => {
    const a = await runCli(['--db', db, 'fairness', '--from', '700', '--to', '300']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/must not exceed/);
    const b = await runCli(['--db', db, 'fairness', '--machine', '9']);
    expect(b.code).toBe(2);
  });
});
