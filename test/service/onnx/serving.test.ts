// Serving with --runtime onnx: the inference path runs the exported files through
// onnxruntime-node, answers what tfjs answers (vectors within 1e-5, identical sets for a seed),
// and falls back to tfjs per model, saying why, when an export is missing, stale or broken.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/data/db.js';
import { drawsRepo } from '../../../src/data/drawsRepo.js';
import type { Machine } from '../../../src/domain/machine.js';
import type { ModelArtifacts } from '../../../src/models/types.js';
import { initTf } from '../../../src/runtime/tfjs.js';
import { modelStore, type ModelStore } from '../../../src/service/modelStore.js';
import { exportOnnx, PARITY_TOLERANCE, servingOnnxDir } from '../../../src/service/onnx/export.js';
import { staleExports } from '../../../src/service/onnx/refresh.js';
import type { FamilyVector } from '../../../src/service/predictions/parallel.js';
import { PredictionService } from '../../../src/service/predictions/service.js';
import { newStore, saveEnsemble, saveTransformer, syntheticDraws, tempDir } from './fixtures.js';

const draws = syntheticDraws(180);
const MACHINES: Machine[] = [1, 2, 3];
let trained: ModelStore;
const open: Array<{ service: PredictionService; db: Db }> = [];

beforeAll(async () => {
  await initTf();
  trained = newStore();
  for (const m of MACHINES) {
    await saveTransformer(trained, draws, m, 'small');
    await saveEnsemble(trained, draws, m);
  }
  const r = await exportOnnx({ store: trained, draws, outDir: servingOnnxDir(trained.root), randomWindows: 0 });
  expect(r.failures).toEqual([]);
}, 120_000);

afterEach(async () => {
  for (const { service, db } of open.splice(0)) {
    await service.close();
    db.close();
  }
});

/** A copy of the trained models (and their export) that a test may break. */
function modelsCopy(): string {
  const dir = tempDir('hogi-onnx-serving-');
  cpSync(trained.root, dir, { recursive: true });
  return dir;
}

function service(modelsDir: string, runtime: 'onnx' | 'tfjs', extra: Partial<ConstructorParameters<typeof PredictionService>[0]> = {}): PredictionService {
  const db = openDb(':memory:');
  drawsRepo(db).upsertMany(draws, '2026-01-01T00:00:00.000Z');
  const s = new PredictionService({ db, modelsDir, runner: 'in-process', runtime, timeoutMs: 60_000, modelsCheckMs: 0, ...extra });
  open.push({ service: s, db });
  return s;
}

function familyVectors(snap: Awaited<ReturnType<PredictionService['vectors']>>): Array<[string, FamilyVector]> {
  return [...snap.machines.values()].flatMap((m) => [
    [`${m.machine} transformer`, m.transformer],
    [`${m.machine} ensemble`, m.ensemble],
  ]);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('serving with --runtime onnx', () => {
  it('every machine is answered by onnxruntime, within 1e-5 of the tfjs answer', async () => {
    const onnx = familyVectors(await service(trained.root, 'onnx').vectors());
    const tfjs = new Map(familyVectors(await service(trained.root, 'tfjs').vectors()));
    expect(onnx).toHaveLength(6);
    for (const [what, v] of onnx) {
      expect(v.status, what).toBe('ok');
      expect(v.runtime, what).toBe('onnx');
      expect(v.runtimeNote, what).toBeNull();
      const t = tfjs.get(what)!;
      expect(t.runtime).toBe('tfjs');
      expect(maxAbsDiff(v.vector!, t.vector!), what).toBeLessThanOrEqual(PARITY_TOLERANCE);
    }
  });

  it('generates the same sets as tfjs for the same seed, for every machine and combination method', async () => {
    const onnx = service(trained.root, 'onnx');
    const tfjs = service(trained.root, 'tfjs');
    expect(familyVectors(await onnx.vectors()).map(([, v]) => v.runtime)).toEqual(Array(6).fill('onnx'));
    for (const seed of [1, 2, 3]) {
      for (const method of ['weighted_voting', 'blending'] as const) {
        const a = await onnx.generate({ machine: 'all', count: 5, seed, method });
        const b = await tfjs.generate({ machine: 'all', count: 5, seed, method });
        expect(a.predictions.map((p) => [p.machine_type, p.numbers])).toEqual(b.predictions.map((p) => [p.machine_type, p.numbers]));
      }
    }
  });

  it('a missing ONNX file, a changed one and a missing export each fall back to tfjs for that model only, with the reason', async () => {
    const dir = modelsCopy();
    const onnxDir = servingOnnxDir(dir);
    rmSync(join(onnxDir, 'transformer-m2-small', 'model.onnx'));
    const file = join(onnxDir, 'ensemble-m1-small', 'model.onnx');
    const bytes = readFileSync(file);
    bytes[bytes.length - 5] ^= 0xff;
    writeFileSync(file, bytes);
    const byWhat = new Map(familyVectors(await service(dir, 'onnx').vectors()));
    expect(byWhat.get('2 transformer')!.runtime).toBe('tfjs');
    expect(byWhat.get('2 transformer')!.runtimeNote).toMatch(/transformer-m2-small\/model\.onnx cannot be read/);
    expect(byWhat.get('1 ensemble')!.runtime).toBe('tfjs');
    expect(byWhat.get('1 ensemble')!.runtimeNote).toMatch(/does not match its checksum/);
    for (const what of ['1 transformer', '2 ensemble', '3 transformer', '3 ensemble']) expect(byWhat.get(what)!.runtime, what).toBe('onnx');
    for (const v of byWhat.values()) expect(v.status).toBe('ok');

    rmSync(onnxDir, { recursive: true });
    for (const [what, v] of familyVectors(await service(dir, 'onnx').vectors())) {
      expect(v.runtime, what).toBe('tfjs');
      expect(v.runtimeNote, what).toMatch(/no ONNX export in .*hogi models export --format onnx/);
    }
  });

  it('an export of an earlier training is not served: tfjs answers until the export is refreshed, which then serves', async () => {
    const dir = modelsCopy();
    const store = modelStore(dir);
    // Retrain (here: re-save with a later createdAt) one model behind the export's back.
    const { manifest, artifacts } = store.load('transformer-m3-small');
    const { storeFormatVersion: _v, key: _k, model: _m, weights: _w, weightsSha256: _s, sizeBytes: _b, ...record } = manifest;
    store.save('transformer-m3-small', artifacts as ModelArtifacts, { ...record, createdAt: '2026-02-01T00:00:00.000Z' });
    expect(staleExports(store, servingOnnxDir(dir), 'small')).toEqual(['transformer-m3-small']);

    const s = service(dir, 'onnx', {
      exportOnnx: async (d, modelsDir, outDir, keys) => {
        const r = await exportOnnx({ store: modelStore(modelsDir), draws: d, outDir, keys, randomWindows: 5 });
        return { exported: r.exported.map((m) => m.name), failures: r.failures };
      },
    });
    const before = (await s.vectors()).machines.get(3)!.transformer;
    expect(before.runtime).toBe('tfjs');
    expect(before.runtimeNote).toMatch(/earlier training/);
    const refreshed = await s.refreshOnnxExports();
    expect(refreshed.exported).toEqual(['transformer-m3-small']);
    expect(staleExports(store, servingOnnxDir(dir), 'small')).toEqual([]);
    // The stored forecast of the same model and data is read back, so force a recompute.
    const dbRow = open[open.length - 1].db;
    dbRow.prepare('DELETE FROM forecasts').run();
    s.invalidate();
    const after = (await s.vectors()).machines.get(3)!.transformer;
    expect(after.runtime).toBe('onnx');
    expect(maxAbsDiff(after.vector!, before.vector!)).toBeLessThanOrEqual(PARITY_TOLERANCE);
  });

  it('the inference worker threads run the ONNX files too (the server path)', async () => {
    const s = service(trained.root, 'onnx', { runner: 'worker' });
    for (const [what, v] of familyVectors(await s.vectors())) {
      expect(v.status, what).toBe('ok');
      expect(v.runtime, what).toBe('onnx');
    }
  });

  it('the tfjs runtime never touches the exports', async () => {
    const dir = modelsCopy();
    rmSync(servingOnnxDir(dir), { recursive: true });
    for (const [what, v] of familyVectors(await service(dir, 'tfjs').vectors())) {
      expect(v.runtime, what).toBe('tfjs');
      expect(v.runtimeNote, what).toBeNull();
    }
    expect(existsSync(servingOnnxDir(dir))).toBe(false);
    expect(await service(dir, 'tfjs').refreshOnnxExports()).toEqual({ exported: [], failures: [] });
  });
});
