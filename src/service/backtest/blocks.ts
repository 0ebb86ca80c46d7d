/**
 * Retrain blocks of the walk-forward backtest and the training of one block.
 *
 * The target rounds are cut into blocks of `retrainEvery` consecutive rounds (counted from
 * `from`, as `hogi train --stacking` does). For the block starting at round b, both model
 * families are trained for each machine of the block on the draws before b only, and reused
 * for every target t in the block, each predicting from the draws before t. So a forecast for
 * t never comes from a model that saw t or anything after it.
 *
 * A block depends only on the draws before its targets, so blocks can be trained in any
 * order and in parallel (worker threads); the engine consumes them in round order.
 */
import type { Draw } from '../../domain/draw.js';
import type { Machine } from '../../domain/machine.js';
import { LotteryEnsemble, ensembleConfig } from '../../models/ensemble.js';
import { LotteryTransformer, transformerParams } from '../../models/transformer/index.js';
import type { ModelFamily } from '../../models/families.js';
import type { WalkForwardModel } from '../predictions/stacking.js';
import type { ConfigName } from '../registry.js';
import type { BlockResult, BlockSpec, FamilyForecast, ModelOverrides, RoundForecast } from './types.js';

/** Fresh unfitted model of a family for one machine. */
export type BacktestModelFactory = (family: ModelFamily, machine: Machine, config: ConfigName, seed: number) => WalkForwardModel;

/** The registry's models (small / reference) with optional parameter overrides on top. */
export function backtestModelFactory(overrides: ModelOverrides = {}): BacktestModelFactory {
  return (family, machine, config, seed) => {
    if (family === 'ensemble') return new LotteryEnsemble(ensembleConfig(config, { ...(overrides.ensemble ?? {}), machine, seed })) as unknown as WalkForwardModel;
    return new LotteryTransformer(transformerParams(config, { ...(overrides.transformer ?? {}), machine, seed })) as unknown as WalkForwardModel;
  };
}

/** The block start of target round t. */
export function blockStart(round: number, from: number, retrainEvery: number): number {
  return from + Math.floor((round - from) / retrainEvery) * retrainEvery;
}

/** Blocks in round order for the given targets (sorted by round). */
export function planBlocks(targets: ReadonlyArray<{ round: number; machine: Machine }>, from: number, retrainEvery: number): BlockSpec[] {
  const byStart = new Map<number, BlockSpec>();
  for (const t of targets) {
    const start = blockStart(t.round, from, retrainEvery);
    let b = byStart.get(start);
    if (!b) byStart.set(start, (b = { index: byStart.size, start, targets: [] }));
    b.targets.push({ round: t.round, machine: t.machine });
  }
  return [...byStart.values()];
}

const FAMILIES: readonly ModelFamily[] = ['transformer', 'ensemble'];
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Minimum draws of a machine before a block for its models to be trained (as `hogi train`). */
export const MIN_TRAINING_DRAWS = 30;

/**
 * Train the block's models (each family × each machine in the block) on the draws before
 * `block.start` and predict every target from the draws before it. `draws` is sorted by
 * round. A family that cannot be trained or fails gives null vectors with the reason.
 */
export async function trainBlock(draws: readonly Draw[], block: BlockSpec, options: { config: ConfigName; seed: number; createModel: BacktestModelFactory }): Promise<BlockResult> {
  const started = performance.now();
  const trainHistory = draws.filter((d) => d.round < block.start);
  const machines = [...new Set(block.targets.map((t) => t.machine))].sort((a, b) => a - b);
  const forecasts = new Map<number, RoundForecast>();
  const empty = (error: string): FamilyForecast => ({ vector: null, trainedThroughRound: null, error });
  for (const t of block.targets) forecasts.set(t.round, { round: t.round, machine: t.machine, transformer: empty('not trained'), ensemble: empty('not trained') });

  for (const machine of machines) {
    const seen = trainHistory.filter((d) => d.machine === machine);
    const targets = block.targets.filter((t) => t.machine === machine);
    for (const family of FAMILIES) {
      const put = (round: number, f: FamilyForecast) => {
        const r = forecasts.get(round)!;
        forecasts.set(round, { ...r, [family]: f });
      };
      if (seen.length < MIN_TRAINING_DRAWS) {
        for (const t of targets) put(t.round, empty(`only ${seen.length} draws of machine ${machine} before round ${block.start}; at least ${MIN_TRAINING_DRAWS} are needed to train`));
        continue;
      }
      const through = seen[seen.length - 1].round;
      let model: WalkForwardModel | null = null;
      try {
        model = options.createModel(family, machine, options.config, options.seed);
        await model.fit(trainHistory);
        for (const t of targets) {
          try {
            const before = draws.filter((d) => d.round < t.round);
            put(t.round, { vector: Array.from(model.predict(before), Number), trainedThroughRound: through, error: null });
          } catch (e) {
            put(t.round, empty(`prediction failed: ${message(e)}`));
          }
        }
      } catch (e) {
        for (const t of targets) put(t.round, empty(`training failed: ${message(e)}`));
      } finally {
        model?.dispose?.();
      }
    }
  }
  return { index: block.index, forecasts: [...forecasts.values()].sort((a, b) => a.round - b.round), ms: performance.now() - started };
}
