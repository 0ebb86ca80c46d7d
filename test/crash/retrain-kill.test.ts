import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import type { Draw } from '../../src/domain/draw.js';
import { createRandom } from '../../src/domain/random.js';
import { modelKey, modelStore } from '../../src/service/modelStore.js';
import { recoverModelsDir } from '../../src/service/modelSwap.js';
import { loadHistoryDraws } from '../helpers/history.js';
import { fakeLoader, saveFake, T_SPEC, E_SPEC } from '../service/predictionFakes.js';
import { bundleChild } from './bundle.js';
import { sleep, startChild } from './spawnChild.js';

const KILLS = 20;
const dir = mkdtempSync(join(tmpdir(), 'hogi-crash-retrain-'));
const dbPath = join(dir, 'hogi.db');
const modelsDir = join(dir, 'models');
const drawsJson = join(dir, 'draws.json');
const KEYS = (['ensemble', 'transformer'] as const).flatMap((f) => [1, 2, 3].map((m) => ({ family: f, machine: m, key: modelKey(f, m, 'small') })));
let bundle = '';
let history: Draw[] = [];

beforeAll(async () => {
  bundle = await bundleChild();
  history = loadHistoryDraws();
  writeFileSync(drawsJson, JSON.stringify(history));
  const db = openDb(dbPath);
  drawsRepo(db).upsertMany(history.filter((d) => d.round <= 300), '2026-01-01T00:00:00.000Z');
  db.close();
  for (const k of KEYS) saveFake(modelsDir, k.family, k.machine, k.family === 'transformer' ? T_SPEC : E_SPEC, { createdAt: 'initial' });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (bundle) rmSync(bundle, { force: true });
});

describe('SIGKILL during the weekly retrain and model swap', () => {
  it(`leaves a sound database and, after start-up recovery, a complete model that loads and predicts for every key (${KILLS} kills)`, async () => {
    const rnd = createRandom(6_2026);
    const { loaders } = fakeLoader();
    const landed = { training: 0, promoting: 0, between: 0 };
    const versions = new Set<string>();
    let restored = 0;
    for (let k = 0; k < KILLS; k++) {
      const child = startChild(bundle, ['retrain', dbPath, modelsDir, drawsJson]);
      // Half at a random time in the cycle loop, half aimed at the promotion (renames) just after training.
      if (k % 2 === 0) {
        await child.waitFor('ready');
        await sleep(rnd.nextFloat() * 300);
      } else {
        await child.waitFor('promote-start');
        await sleep(rnd.nextFloat() * 3);
      }
      await child.kill();
      const last = child.lines.filter((l) => l === 'promote-start' || l.startsWith('promote-end')).at(-1);
      landed[last === 'promote-start' ? 'promoting' : last === undefined ? 'training' : 'between']++;

      // The database: sound, and the draws are exactly a prefix of the history (a sync is all or nothing).
      const db = openDb(dbPath);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const stored = drawsRepo(db).list();
        expect(stored.length).toBeGreaterThanOrEqual(300);
        expect(stored.map((d) => d.round)).toEqual(history.slice(0, stored.length).map((d) => d.round));
        expect(stored.at(-1)!.numbers).toEqual(history[stored.length - 1].numbers);
      } finally {
        db.close();
      }

      // What a restarting server does first, then every model must load (checksums verified) and predict.
      restored += recoverModelsDir(modelsDir).filter((a) => a.startsWith('restored')).length;
      const store = modelStore(modelsDir);
      expect(store.list().map((e) => e.key).sort()).toEqual(KEYS.map((x) => x.key).sort());
      for (const { key } of KEYS) {
        const { manifest, artifacts } = store.load(key);
        versions.add(manifest.createdAt);
        const model = await loaders[artifacts.manifest.className](artifacts);
        const p = model.predict(history.slice(0, 300));
        expect(p.length).toBe(45);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(6, 9);
      }
    }
    console.log(`retrain kills: ${JSON.stringify(landed)}, model versions seen: ${versions.size}, interrupted swaps repaired: ${restored}`);
    // The kills did interrupt work in progress (not only idle children).
    expect(landed.training + landed.promoting).toBeGreaterThan(0);
  });
});
