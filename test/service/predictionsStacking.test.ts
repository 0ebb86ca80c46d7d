import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { StackingCombiner, StackingLeakageError } from '../../src/combination/stacking.js';
import type { Draw } from '../../src/domain/draw.js';
import { loadStacking, trainStacking, walkForwardRecords } from '../../src/service/predictions/stacking.js';
import type { ModelFactory, WalkForwardModel } from '../../src/service/walkForward.js';
import { FAMILIES } from '../../src/models/families.js';
import { loadHistoryDraws } from '../helpers/history.js';
import { fakeVector, tempModelsDir } from './predictionFakes.js';

const draws = loadHistoryDraws().filter((d) => d.round <= 1000);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Fit {
  family: string;
  modelMachine: number | 'all';
  lastFitRound: number;
  predicted: Array<{ lastInputRound: number; inputMachines: Array<number | null> }>;
}

/** Every predict call in order, with the model that answered. */
const calls: Array<{ fit: Fit; lastInputRound: number }> = [];

/** A factory whose models remember exactly which draws they were fitted on and asked about. */
function spyingFactory(fits: Fit[]): ModelFactory {
  return (family, machine) => {
    const fit: Fit = { family, modelMachine: machine, lastFitRound: -1, predicted: [] };
    let seen: readonly Draw[] = [];
    const model: WalkForwardModel = {
      async fit(history) {
        // What a model of this machine actually learns from.
        seen = machine === 'all' ? history : history.filter((d) => d.machine === machine);
        fit.lastFitRound = Math.max(...seen.map((d) => d.round));
        fits.push(fit);
      },
      predict(history) {
        const lastInputRound = Math.max(...history.map((d) => d.round));
        fit.predicted.push({ lastInputRound, inputMachines: [...new Set(history.map((d) => d.machine))] });
        calls.push({ fit, lastInputRound });
        return fakeVector([...seen, ...history], { window: family === 'transformer' ? 20 : 40, oddTilt: family === 'transformer' ? 0.3 : 0 });
      },
    };
    return model;
  };
}

describe('stacking training on walk-forward predictions', () => {
  it('builds only out-of-sample records: every model was fitted on draws before its block, every prediction reads draws before its target', async () => {
    const fits: Fit[] = [];
    const records = await walkForwardRecords(draws, { from: 971, to: 1000, retrainEvery: 10, scope: 'machine', config: 'small', createModel: spyingFactory(fits) });
    const targets = draws.filter((d) => d.round >= 971 && d.round <= 1000 && d.machine !== null);
    expect(records.map((r) => r.targetRound)).toEqual(targets.map((d) => d.round));
    for (const r of records) {
      const target = targets.find((d) => d.round === r.targetRound)!;
      expect(r.drawn).toEqual(target.numbers);
      expect(r.members.transformer.trainedThroughRound).toBeLessThan(r.targetRound);
      expect(r.members.ensemble.trainedThroughRound).toBeLessThan(r.targetRound);
      // Models are retrained at the start of each block of 10 and only on draws before it.
      const blockStart = 971 + Math.floor((r.targetRound - 971) / 10) * 10;
      const before = draws.filter((d) => d.round < blockStart && d.machine === target.machine);
      expect(r.members.transformer.trainedThroughRound).toBe(before[before.length - 1].round);
    }
    // Records are predicted in order, family by family (FAMILIES order): pair each with the models that made it.
    const mine = calls.slice(-records.length * 2);
    records.forEach((r, i) => {
      for (const [k, family] of FAMILIES.entries()) {
        const { fit, lastInputRound } = mine[2 * i + k];
        expect(fit.family).toBe(family);
        expect(fit.lastFitRound).toBeLessThan(r.targetRound);
        expect(fit.lastFitRound).toBe(r.members[family].trainedThroughRound);
        expect(lastInputRound).toBeLessThan(r.targetRound);
      }
    });
    // 3 blocks × (machines in the block) × 2 families, reused within a block.
    const blocks = [971, 981, 991].map((b) => new Set(targets.filter((d) => d.round >= b && d.round < b + 10).map((d) => d.machine)).size);
    expect(fits).toHaveLength(blocks.reduce((a, b) => a + b, 0) * 2);
    // The combiner accepts them (it refuses any in-sample record).
    expect(() => new StackingCombiner().fit(records)).not.toThrow();
  });

  it('pooled scope reads each target machine\'s own draws, like serving does', async () => {
    const fits: Fit[] = [];
    const records = await walkForwardRecords(draws, { from: 991, to: 1000, retrainEvery: 5, scope: 'pooled', config: 'small', createModel: spyingFactory(fits) });
    expect(fits).toHaveLength(4); // 2 blocks × 2 families
    for (const f of fits) for (const p of f.predicted) expect(p.inputMachines).toHaveLength(1);
    expect(records).toHaveLength(10);
  });

  it('the combiner refuses a record whose models saw the target draw', () => {
    const fine = Array.from({ length: 10 }, (_, k) => ({
      targetRound: 500 + k,
      members: {
        transformer: { vector: fakeVector(draws.slice(0, 400 + k), { window: 20, oddTilt: 0 }), trainedThroughRound: 499 },
        ensemble: { vector: fakeVector(draws.slice(0, 400 + k), { window: 40, oddTilt: 0 }), trainedThroughRound: 499 },
      },
      drawn: [...draws[499 + k].numbers],
    }));
    const leaked = [...fine, { ...fine[0], targetRound: 510, members: { ...fine[0].members, transformer: { ...fine[0].members.transformer, trainedThroughRound: 510 } } }];
    expect(() => new StackingCombiner().fit(leaked)).toThrow(StackingLeakageError);
  });

  it('saves the fitted meta-model where the service finds it', async () => {
    const dir = tempModelsDir();
    dirs.push(dir);
    expect(loadStacking(dir, 'small')).toBeNull();
    const { path, file } = await trainStacking(draws, { from: 981, to: 1000, retrainEvery: 10, scope: 'pooled', config: 'small', createModel: spyingFactory([]), modelsDir: dir, now: () => new Date('2026-03-01T00:00:00Z') });
    expect(path).toMatch(/stacking-small\.json$/);
    const loaded = loadStacking(dir, 'small')!;
    expect(loaded.combiner.coefficients()).toEqual({ members: { transformer: file.combiner.state!.transformer, ensemble: file.combiner.state!.ensemble }, intercept: file.combiner.state!.intercept });
    expect(loaded.file.training).toMatchObject({ scope: 'pooled', from: 981, to: 1000, retrainEvery: 10, records: 20, createdAt: '2026-03-01T00:00:00.000Z' });
  });
});
