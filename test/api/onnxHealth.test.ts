// Health tells which runtime answered each machine's models, and why tfjs answered when ONNX
// was asked for (here: no export at all), without calling it a fallback of the model itself.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { PredictionService } from '../../src/service/predictions/service.js';
import { E_SPEC, T_SPEC, fakeLoader, saveFake, tempModelsDir } from '../service/predictionFakes.js';
import { syntheticDraws } from '../service/onnx/fixtures.js';

interface FamilyHealth {
  status: string;
  runtime: string | null;
  runtime_note: string | null;
}
interface Health {
  status: string;
  reason_codes: string[];
  components: { ml_models: { status: string; runtime: string; machines: Array<{ machine_type: string; transformer: FamilyHealth; ensemble: FamilyHealth }> } };
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function healthWith(runtime: 'onnx' | 'tfjs'): Promise<Health> {
  const db = openDb(':memory:');
  drawsRepo(db).upsertMany(syntheticDraws(150), '2026-01-01T00:00:00.000Z');
  const dir = tempModelsDir();
  for (const m of [1, 2, 3] as const) {
    saveFake(dir, 'transformer', m, T_SPEC);
    saveFake(dir, 'ensemble', m, E_SPEC);
  }
  const service = new PredictionService({ db, modelsDir: dir, runner: 'in-process', runtime, loaders: fakeLoader().loaders, modelsCheckMs: 0 });
  const app = buildApp({ db, predictions: service });
  await app.ready();
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => db.close(), () => service.close(), () => app.close());
  await service.warm();
  return (await app.inject({ url: '/api/monitoring/health' })).json() as Health;
}

describe('health: the inference runtime per machine', () => {
  it('with --runtime onnx and no export, every model is answered by tfjs and health says why, without calling it a fallback', async () => {
    const h = await healthWith('onnx');
    // (The synthetic history is old, so health may say the data is stale; that is not about the models.)
    expect(h.reason_codes).not.toContain('fallback');
    expect(h.reason_codes).not.toContain('no_models');
    expect(h.components.ml_models.status).toBe('ok');
    expect(h.components.ml_models.runtime).toBe('onnx');
    for (const m of h.components.ml_models.machines) {
      for (const f of [m.transformer, m.ensemble]) {
        expect(f.status).toBe('ok');
        expect(f.runtime).toBe('tfjs');
        expect(f.runtime_note).toMatch(/no ONNX export in .*\.onnx; run `hogi models export --format onnx/);
      }
    }
  });

  it('with --runtime tfjs there is no note', async () => {
    const h = await healthWith('tfjs');
    expect(h.components.ml_models.runtime).toBe('tfjs');
    for (const m of h.components.ml_models.machines) for (const f of [m.transformer, m.ensemble]) expect([f.runtime, f.runtime_note]).toEqual(['tfjs', null]);
  });
});
