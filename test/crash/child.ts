// Child process for the crash tests, bundled by test/crash/bundle.ts and run with plain node so
// each of the 40 SIGKILLed processes starts in ~0.1 s. It runs the product's own code paths and
// prints phase markers (stdout to a pipe is synchronous on Linux, so a marker is out before the
// next step starts):
//   import  DB NOW FILE...        one `hogi import` (parse, plan, apply in one transaction)
//   retrain DB MODELS DRAWS_JSON  weekly cycles forever: sync adds the next round, fake models of
//                                 ~1 MB each train into staging, promotion swaps them in
import { readFileSync } from 'node:fs';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { parseImportText } from '../../src/data/formats/detect.js';
import { applyImport, combineInputs, planImport } from '../../src/data/importService.js';
import type { SyncSummary } from '../../src/data/sync/syncService.js';
import type { Draw } from '../../src/domain/draw.js';
import { modelKey, modelStore } from '../../src/service/modelStore.js';
import { recoverModelsDir } from '../../src/service/modelSwap.js';
import type { TrainResult } from '../../src/service/training.js';
import { WeeklyCycle } from '../../src/service/weeklyCycle.js';
import { FAKE_CLASS } from '../service/predictionFakes.js';

export const WEIGHT_FLOATS = 256 * 1024;
const say = (s: string) => process.stdout.write(`${s}\n`);

async function runImport(dbPath: string, now: string, files: string[]): Promise<void> {
  const db = openDb(dbPath);
  const repo = drawsRepo(db);
  say('ready');
  const parsed = files.map((f) => parseImportText(readFileSync(f, 'utf8'), f));
  const plan = planImport(repo, combineInputs(parsed), { overwrite: false });
  say('apply-start');
  applyImport(repo, plan, { now: new Date(now) });
  say('apply-end');
  db.close();
}

/** Fake model weights: value i·(iteration+1) so a torn file fails its checksum or shows a mix. */
function weights(iteration: number): Float32Array {
  const w = new Float32Array(WEIGHT_FLOATS);
  for (let i = 0; i < w.length; i++) w[i] = (i % 1000) * (iteration + 1);
  return w;
}

async function runRetrain(dbPath: string, modelsDir: string, drawsJson: string): Promise<void> {
  for (const a of recoverModelsDir(modelsDir)) say(`recovered ${a}`);
  const db = openDb(dbPath);
  const repo = drawsRepo(db);
  const all = JSON.parse(readFileSync(drawsJson, 'utf8')) as Draw[];
  let iteration = Number(repo.getMeta('crash_iteration') ?? '0');
  const cycle = new WeeklyCycle({
    db,
    predictions: { modelsDir, config: 'small', score: () => ({ sets: 0, forecasts: 0 }), invalidate: () => undefined },
    // The "draw" of the week: the next round of the shared history.
    sync: async () => {
      const latest = repo.latest()?.round ?? 0;
      const next = all.find((d) => d.round === latest + 1);
      if (next) repo.upsertMany([next], new Date(Date.UTC(2026, 0, 1) + latest * 1000).toISOString());
      return {} as SyncSummary;
    },
    train: (input) => {
      const store = modelStore(input.modelsDir);
      const results: TrainResult[] = input.targets.map((t) => {
        const key = modelKey(t.family, t.machine, input.config);
        const manifest = store.save(
          key,
          { manifest: { className: FAKE_CLASS, formatVersion: 1, spec: { window: 30, oddTilt: 0.5, fail: null, batch: false, iteration } }, weights: { w: weights(iteration) } },
          {
            family: t.family,
            machine: t.machine,
            config: input.config,
            seed: input.seed,
            trainedRounds: { from: 1, to: input.draws[input.draws.length - 1].round, count: input.draws.length, dataHash: String(iteration) },
            validation: {},
            trainingMs: 1,
            createdAt: `iteration-${iteration}`,
          },
        );
        return { key, family: t.family, machine: t.machine, manifest, error: null, model: null };
      });
      say('promote-start');
      return { done: Promise.resolve(results), cancel: async () => undefined };
    },
    timers: { setTimeout: () => null, clearTimeout: () => undefined },
  });
  say('ready');
  for (;;) {
    iteration++;
    repo.setMeta('crash_iteration', String(iteration));
    const run = await cycle.runNow();
    if (!run || run.outcome !== 'updated') throw new Error(`cycle ${iteration}: ${JSON.stringify(run)}`);
    say(`promote-end ${iteration}`);
  }
}

const [mode, ...args] = process.argv.slice(2);
const main = mode === 'import' ? runImport(args[0], args[1], args.slice(2)) : mode === 'retrain' ? runRetrain(args[0], args[1], args[2]) : Promise.reject(new Error(`unknown mode ${mode}`));
main.catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
