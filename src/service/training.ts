import type { Draw } from '../domain/draw.js';
import { FAMILIES, type ModelFamily } from '../models/families.js';
import type { Json, PersistableModel } from '../models/types.js';
import { modelKey, type ModelStore, type StoredManifest } from './modelStore.js';
import { dataHash } from './dataHash.js';
import { createModel } from './modelFactory.js';
import type { ConfigName } from './registry.js';

export { dataHash };

export interface TrainTarget {
  family: ModelFamily;
  machine: number | 'all';
}

/** Progress of one model; `value`/`total` are epochs (Transformer) or training steps (ensemble). */
export type TrainEvent =
  | { type: 'start'; key: string; family: ModelFamily; machine: number | 'all'; total: number }
  | { type: 'progress'; key: string; value: number; total: number; loss: number | null; valLoss: number | null; detail: string }
  | { type: 'done'; key: string; manifest: StoredManifest }
  | { type: 'failed'; key: string; error: string };

export interface TrainOptions {
  targets: readonly TrainTarget[];
  config: ConfigName;
  seed?: number;
  onEvent?: (e: TrainEvent) => void;
  /** Clock for the training record; injectable for tests. */
  now?: () => Date;
}

export interface TrainResult {
  key: string;
  family: ModelFamily;
  machine: number | 'all';
  manifest: StoredManifest | null;
  error: string | null;
  /** The fitted model, so a server can swap it in without reloading; null after a failure or across a worker boundary. */
  model: PersistableModel | null;
}

/** Expands --machine/--family choices into targets: ensembles first (they are small), then Transformers. */
export function trainTargets(machines: ReadonlyArray<number | 'all'>, families: readonly ModelFamily[]): TrainTarget[] {
  return FAMILIES.filter((f) => families.includes(f)).flatMap((family) => machines.map((machine) => ({ family, machine })));
}

/** A model's held-out scores as the training record keeps them (an object; {} when it has none). */
function validationRecord(v: Json): { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};
}

/**
 * Train each target on `draws` (the whole stored history, oldest first), save it, and
 * report progress. One failing model does not stop the others; its error is returned.
 */
export async function trainModels(draws: readonly Draw[], store: ModelStore, options: TrainOptions): Promise<TrainResult[]> {
  const seed = options.seed ?? 42;
  const now = options.now ?? (() => new Date());
  const emit = options.onEvent ?? (() => undefined);
  const results: TrainResult[] = [];
  for (const { family, machine } of options.targets) {
    const key = modelKey(family, machine, options.config);
    const seen = machine === 'all' ? draws : draws.filter((d) => d.machine === machine);
    try {
      if (seen.length < 30) throw new Error(`only ${seen.length} draws${machine === 'all' ? '' : ` of ${machine}호기`} are stored; at least 30 are needed to train`);
      const model = createModel(family, machine, options.config, seed);
      const started = performance.now();
      emit({ type: 'start', key, family, machine, total: model.fitSteps() });
      await model.fit(draws, { onProgress: (p) => emit({ type: 'progress', key, value: p.step, total: p.total, loss: p.loss, valLoss: p.valLoss, detail: p.detail }) });
      const artifacts = model.toArtifacts();
      const validation = validationRecord(artifacts.manifest.validationMetrics);
      const trainingMs = Math.round(performance.now() - started);
      const manifest = store.save(key, artifacts, {
        family,
        machine,
        config: options.config,
        seed,
        trainedRounds: { from: seen[0].round, to: seen[seen.length - 1].round, count: seen.length, dataHash: dataHash(draws) },
        validation,
        trainingMs,
        createdAt: now().toISOString(),
      });
      emit({ type: 'done', key, manifest });
      results.push({ key, family, machine, manifest, error: null, model });
    } catch (e) {
      const error = (e as Error).message;
      emit({ type: 'failed', key, error });
      results.push({ key, family, machine, manifest: null, error, model: null });
    }
  }
  return results;
}
