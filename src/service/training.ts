import type { Draw } from '../domain/draw.js';
import { LotteryEnsemble } from '../models/ensemble.js';
import { LotteryTransformer } from '../models/transformer/index.js';
import type { Json, ModelArtifacts, PersistableModel } from '../models/types.js';
import type { ModelFamily } from './modelManager.js';
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
  const order: ModelFamily[] = ['ensemble', 'transformer'];
  return order.filter((f) => families.includes(f)).flatMap((family) => machines.map((machine) => ({ family, machine })));
}


// Ensemble steps: holdout rf, gbm, mlp; then final rf, gbm, mlp.
const ENSEMBLE_STEPS = 6;

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
      let artifacts: ModelArtifacts;
      let validation: { [key: string]: Json };
      if (model instanceof LotteryTransformer) {
        const maxEpochs = model.getParams().maxEpochs;
        emit({ type: 'start', key, family, machine, total: maxEpochs });
        await model.fit(draws, {
          onEpoch: (r) =>
            emit({
              type: 'progress',
              key,
              value: r.epoch,
              // Early stopping can end sooner than maxEpochs: the bar's total shrinks to the nearest possible end.
              total: r.epoch + r.maxRemainingEpochs,
              loss: r.trainLoss,
              valLoss: r.valLoss,
              detail: `epoch ${r.epoch}`,
            }),
        });
        artifacts = model.toArtifacts() as unknown as ModelArtifacts;
        validation = (model.toArtifacts().manifest.validationMetrics ?? {}) as unknown as { [key: string]: Json };
      } else {
        const ens = model as LotteryEnsemble;
        emit({ type: 'start', key, family, machine, total: ENSEMBLE_STEPS });
        let step = 0;
        await ens.fit(draws, {
          onProgress: (p) => {
            if (p.status === 'done') step++;
            const detail = `${p.phase} ${p.member}${p.status === 'epoch' ? ` epoch ${p.epoch.epoch}` : ''}`;
            const loss = p.status === 'epoch' ? p.epoch.trainLoss : null;
            const valLoss = p.status === 'epoch' ? p.epoch.validationLoss : null;
            emit({ type: 'progress', key, value: step, total: ENSEMBLE_STEPS, loss, valLoss, detail });
          },
        });
        artifacts = ens.toArtifacts();
        validation = (ens.validationMetrics ?? {}) as unknown as { [key: string]: Json };
      }
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
      results.push({ key, family, machine, manifest, error: null, model: model as unknown as PersistableModel });
    } catch (e) {
      const error = (e as Error).message;
      emit({ type: 'failed', key, error });
      results.push({ key, family, machine, manifest: null, error, model: null });
    }
  }
  return results;
}
