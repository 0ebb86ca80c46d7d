// The start-up repair of the models directory, on the states a crash between the two renames of a
// swap (or during a save or a staged retrain) leaves behind. The kill tests rarely land inside
// that microsecond window, so it is built here directly.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modelStore } from '../../src/service/modelStore.js';
import { promoteStaged, recoverModelsDir, stagingDir } from '../../src/service/modelSwap.js';
import { E_SPEC, T_SPEC, fakeLoader, saveFake } from '../service/predictionFakes.js';
import { loadHistoryDraws } from '../helpers/history.js';

// Above Linux's pid_max (2^22): no process can have it, so its leftovers count as a dead writer's.
const DEAD_PID = 4_194_305;
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function predicts(modelsDir: string, key: string): Promise<number> {
  const { artifacts, manifest } = modelStore(modelsDir).load(key);
  const model = await fakeLoader().loaders[artifacts.manifest.className](artifacts);
  expect(model.predict(loadHistoryDraws().slice(0, 100)).reduce((a, b) => a + b, 0)).toBeCloseTo(6, 9);
  return Date.parse(manifest.createdAt);
}

describe('models directory recovery at start-up', () => {
  it('puts back a model moved aside by a swap that died before the new one arrived', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hogi-recover-'));
    const key = saveFake(dir, 'ensemble', 1, E_SPEC, { createdAt: '2026-11-01T00:00:00.000Z' });
    renameSync(join(dir, key), join(dir, `.${key}.old-${DEAD_PID}-1`));
    expect(modelStore(dir).has(key)).toBe(false);
    expect(recoverModelsDir(dir)).toEqual([`restored ${key} (a swap was interrupted)`]);
    expect(await predicts(dir, key)).toBe(Date.parse('2026-11-01T00:00:00.000Z'));
    expect(readdirSync(dir)).toEqual([key]);
  });

  it('keeps the new model and drops the old copy when the swap got as far as the second rename', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hogi-recover-'));
    const key = saveFake(dir, 'transformer', 2, T_SPEC, { createdAt: '2026-11-01T00:00:00.000Z' });
    renameSync(join(dir, key), join(dir, `.${key}.old-${DEAD_PID}-1`));
    saveFake(dir, 'transformer', 2, T_SPEC, { createdAt: '2026-11-08T00:00:00.000Z' });
    recoverModelsDir(dir);
    expect(await predicts(dir, key)).toBe(Date.parse('2026-11-08T00:00:00.000Z'));
    expect(readdirSync(dir)).toEqual([key]);
  });

  it('removes staging and temporary folders of dead processes, but not those of a live one', () => {
    dir = mkdtempSync(join(tmpdir(), 'hogi-recover-'));
    mkdirSync(join(dir, `.staging-${DEAD_PID}-5`));
    mkdirSync(join(dir, `.ensemble-m1-small.tmp-${DEAD_PID}-5`));
    // The parent of this test process is alive (vitest): its in-progress folders stay.
    const live = join(dir, `.staging-${process.ppid}-5`);
    mkdirSync(live);
    recoverModelsDir(dir);
    expect(readdirSync(dir)).toEqual([`.staging-${process.ppid}-5`]);
    expect(existsSync(live)).toBe(true);
  });

  it('promotes staged models over the served ones and removes the staging folder', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hogi-recover-'));
    const key = saveFake(dir, 'ensemble', 3, E_SPEC, { createdAt: '2026-11-01T00:00:00.000Z' });
    const staging = stagingDir(dir, 7);
    saveFake(staging, 'ensemble', 3, E_SPEC, { createdAt: '2026-11-08T00:00:00.000Z' });
    expect(promoteStaged(staging, dir, [key, 'transformer-m3-small'])).toEqual([key]);
    expect(await predicts(dir, key)).toBe(Date.parse('2026-11-08T00:00:00.000Z'));
    expect(readdirSync(dir)).toEqual([key]);
  });
});
