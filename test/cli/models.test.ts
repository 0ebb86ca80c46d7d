// `hogi models export --format onnx`: the command over a real database and model store.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { initTf } from '../../src/runtime/tfjs.js';
import { runCli } from '../helpers/cli.js';
import { newStore, saveEnsemble, saveTransformer, syntheticDraws, tempDir } from '../service/onnx/fixtures.js';

const draws = syntheticDraws(120);
let dbPath: string;
let modelsDir: string;

beforeAll(async () => {
  await initTf();
  dbPath = join(tempDir('hogi-cli-models-'), 'hogi.db');
  const db = openDb(dbPath);
  drawsRepo(db).upsertMany(draws, '2026-01-01T00:00:00.000Z');
  db.close();
  const store = newStore();
  await saveTransformer(store, draws, 1, 'small');
  await saveEnsemble(store, draws, 2);
  modelsDir = store.root;
}, 120_000);

describe('hogi models export', () => {
  it('writes every model with its test data and manifest, and prints the parity it measured', async () => {
    const out = tempDir('hogi-cli-onnx-');
    const r = await runCli(['--db', dbPath, 'models', 'export', '--format', 'onnx', '--out', out, '--models-dir', modelsDir, '--random-windows', '5']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/transformer-m1-small\/model\.onnx\s+transformer-m1-small\s+tokens \[batch, window, 46\]/);
    expect(r.stdout).toMatch(/wrote 5 ONNX files and manifest\.json .*ai\.onnx 17, ai\.onnx\.ml 3/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { models: Array<{ name: string; parity: { passed: boolean; randomWindows: number } }> };
    expect(manifest.models.map((m) => m.name)).toEqual(['ensemble-m2-small', 'ensemble-m2-small-gbm', 'ensemble-m2-small-mlp', 'ensemble-m2-small-rf', 'transformer-m1-small']);
    for (const m of manifest.models) {
      expect(m.parity).toMatchObject({ passed: true, randomWindows: 5 });
      expect(existsSync(join(out, m.name, 'test_data_set_0', 'output_0.pb'))).toBe(true);
    }
  });

  it('--family and --machine narrow the export; --json prints the manifest', async () => {
    const out = tempDir('hogi-cli-onnx-');
    const r = await runCli(['--db', dbPath, 'models', 'export', '--out', out, '--models-dir', modelsDir, '--family', 'transformer', '--machine', '1', '--random-windows', '0', '--json']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as { models: Array<{ name: string }>; failures: unknown[] };
    expect(printed.models.map((m) => m.name)).toEqual(['transformer-m1-small']);
    expect(printed.failures).toEqual([]);
  });

  it('refuses a bad machine (exit 2) and says what to do when nothing is trained or nothing matches (exit 1)', async () => {
    const bad = await runCli(['--db', dbPath, 'models', 'export', '--out', tempDir('x-'), '--models-dir', modelsDir, '--machine', '4']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--machine must be 1, 2, 3 or all/);
    const empty = await runCli(['--db', dbPath, 'models', 'export', '--out', tempDir('x-'), '--models-dir', tempDir('hogi-empty-models-')]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/No trained models .*hogi train/);
    const none = await runCli(['--db', dbPath, 'models', 'export', '--out', tempDir('x-'), '--models-dir', modelsDir, '--machine', '3', '--random-windows', '0']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no trained model matches --machine\/--family/);
  });
});
