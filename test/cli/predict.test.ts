// hogi predict / hogi train --stacking / scoring on import, with small pooled models trained
// on a slice of the history (wasm backend) and inference in worker threads, as a user runs it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { initTf } from '../../src/runtime/tfjs.js';
import { modelStore } from '../../src/service/modelStore.js';
import type { PredictionResponse } from '../../src/service/predictions/service.js';
import { trainModels, trainTargets } from '../../src/service/training.js';
import { satisfiesConstraints, strategyFor } from '../../src/strategies/index.js';
import { loadHistoryDraws } from '../helpers/history.js';
import { runCli } from '../helpers/cli.js';
import { clockAfterDraw } from '../helpers/clock.js';

const ALL = loadHistoryDraws();
const history = ALL.filter((d) => d.round >= 262 && d.round <= 560);
let dir: string;
let dbPath: string;
let modelsDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-predict-'));
  dbPath = join(dir, 'hogi.db');
  modelsDir = join(dir, 'models');
  const db = openDb(dbPath);
  drawsRepo(db).upsertMany(history, '2026-01-01T00:00:00.000Z');
  db.close();
  await initTf('wasm');
  const r = await trainModels(history, modelStore(modelsDir), { targets: trainTargets(['all'], ['ensemble', 'transformer']), config: 'small', seed: 5 });
  expect(r.map((x) => x.error)).toEqual([null, null]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI in-process against this file's database, output captured. */
async function hogi(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(['--db', dbPath, ...args], { now: clockAfterDraw(560) });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const predict = (...args: string[]) => hogi('predict', '--models-dir', modelsDir, ...args);

describe('hogi predict', () => {
  it('--json prints the response and --out writes the same response as res.json', async () => {
    const out = join(dir, 'res.json');
    const r = await predict('--machine', '1', '--sets', '3', '--seed', '5', '--json', '--out', out);
    expect(r.code, r.err).toBe(0);
    const printed = JSON.parse(r.out) as PredictionResponse;
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(printed);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(printed.metadata.target_round).toBe(561);
    expect(printed.metadata.models_used).toEqual(['pytorch_transformer', 'sklearn_ensemble']);
    expect(printed.predictions).toHaveLength(3);
    for (const p of printed.predictions) expect(satisfiesConstraints(p.numbers, strategyFor(1).constraints)).toBe(true);
  });

  it('--machine all prints a table per set with percentile, expected matches against 0.8, explanations and the differentiation', async () => {
    const table = await predict('--machine', 'all', '--sets', '2', '--seed', '9', '--lang', 'en');
    expect(table.code, table.err).toBe(0);
    const json = JSON.parse((await predict('--machine', 'all', '--sets', '2', '--seed', '9', '--lang', 'en', '--json')).out) as PredictionResponse;
    for (const p of json.predictions) {
      const balls = p.numbers.map((n) => String(n).padStart(2, '0')).join(' ');
      expect(table.out).toContain(`${p.machine_type}    ${balls}`);
      expect(table.out).toContain(`${p.expected_matches.toFixed(3)} vs 0.8`);
    }
    expect(table.out).toMatch(/percentile/);
    expect(table.out).toContain('model percentile');
    // People read the families' names; the JSON keeps the design's wire names.
    expect(table.out).toContain('using Transformer + RF/GB/MLP ensemble');
    expect(table.out).not.toMatch(/pytorch_transformer|sklearn_ensemble/);
    const score = json.metadata.differentiation!.score;
    expect(table.out).toContain(`differentiation between machines: ${(Math.floor(score * 1000) / 10).toFixed(1)}%`);
  });

  it('refuses an impossible request with the reason, and bad arguments with exit code 2', async () => {
    const r = await predict('--machine', '3', '--sets', '1', '--include', '2,4,6,8,10', '--lang', 'en');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/at least 4 odd numbers/);
    expect((await predict('--machine', '5')).code).toBe(2);
    expect((await predict('--machine', '1', '--method', 'blending', '--algorithm', 'basic')).code).toBe(2);
    expect((await predict('--machine', '1', '--include', '1,99')).code).toBe(2);
  });

  it('stacking is refused until `hogi train --stacking` has fitted it on walk-forward predictions, then used', async () => {
    const before = await predict('--machine', '2', '--method', 'stacking');
    expect(before.code).toBe(1);
    expect(before.err).toMatch(/hogi train --stacking/);

    const t = await hogi('train', '--stacking', '--pooled', '--from', '541', '--to', '560', '--retrain-every', '10', '--models-dir', modelsDir);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/fitted on 20 walk-forward predictions of rounds 541–560/);
    expect(existsSync(join(modelsDir, 'stacking-small.json'))).toBe(true);

    const after = await predict('--machine', '2', '--method', 'stacking', '--seed', '1', '--json');
    expect(after.code, after.err).toBe(0);
    const body = JSON.parse(after.out) as PredictionResponse;
    expect(body.metadata.combination_method).toBe('stacking');
    expect(body.metadata.machines[0].stacking_coefficients).not.toBeNull();
  });

  it('`hogi import` scores the stored predictions of the round it brings in', async () => {
    const r = await predict('--machine', '3', '--sets', '4', '--seed', '3', '--json');
    const made = JSON.parse(r.out) as PredictionResponse;
    const d = ALL.find((x) => x.round === 561)!;
    const csv = join(dir, 'draw561.csv');
    writeFileSync(csv, `round,date,n1,n2,n3,n4,n5,n6,bonus,first_prize_each,first_prize_winners,total_sales\n561,${d.date},${d.numbers.join(',')},${d.bonus},${d.firstPrizeEach},${d.firstPrizeWinners},${d.totalSales}\n`);
    const imp = await hogi('import', csv);
    expect(imp.code, imp.err).toBe(0);
    expect(imp.out).toMatch(/scored \d+ stored prediction set\(s\)/);
    const db = openDb(dbPath);
    try {
      const rows = db.prepare('SELECT set_number, matches, bonus_match, prize_rank FROM prediction_sets WHERE request_id = ? ORDER BY set_number').all(made.request_id) as Array<{ matches: number; bonus_match: number; prize_rank: number | null }>;
      expect(rows).toHaveLength(4);
      rows.forEach((row, i) => {
        const nums = made.predictions[i].numbers;
        const m = nums.filter((n) => d.numbers.includes(n)).length;
        expect(row.matches).toBe(m);
        expect(row.bonus_match).toBe(nums.includes(d.bonus) ? 1 : 0);
        expect(row.prize_rank).toBe(m === 6 ? 1 : m === 5 ? (nums.includes(d.bonus) ? 2 : 3) : m === 4 ? 4 : m === 3 ? 5 : null);
      });
      const unscored = db.prepare('SELECT COUNT(*) AS n FROM prediction_sets WHERE target_round = 561 AND scored_at IS NULL').get() as { n: number };
      expect(unscored.n).toBe(0);
    } finally {
      db.close();
    }
  });
});
