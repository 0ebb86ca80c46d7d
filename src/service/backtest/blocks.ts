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
import { FAMILIES } from '../../models/families.js';
import { modelFactory } from '../modelFactory.js';
import type { ConfigName } from '../registry.js';
import { fitUnit, predictOutOfSample, walkForwardSplits, type ModelFactory } from '../walkForward.js';
import type { BlockResult, BlockSpec, FamilyForecast, ModelOverrides, RoundForecast } from './types.js';

/** Fresh unfitted model of a family for one machine. */
export type BacktestModelFactory = ModelFactory;

/** The registry's models (small / reference) with optional parameter overrides on top. */
export function backtestModelFactory(overrides: ModelOverrides = {}): BacktestModelFactory {
  return modelFactory(overrides);
}

/** Blocks in round order for the given targets (sorted by round): the walk-forward splits. */
export function planBlocks(targets: ReadonlyArray<{ round: number; machine: Machine }>, from: number, retrainEvery: number): BlockSpec[] {
  return walkForwardSplits(targets, from, retrainEvery).map((b) => ({ index: b.index, start: b.start, targets: b.targets.map((t) => ({ round: t.round, machine: t.machine })) }));
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Train the block's models (each family × each machine in the block) on the draws before
 * `block.start` and predict every target from the draws before it (src/service/walkForward.ts).
 * `draws` is sorted by round. A family that cannot be trained or fails gives null vectors
 * with the reason.
 */
export async function trainBlock(draws: readonly Draw[], block: BlockSpec, options: { config: ConfigName; seed: number; createModel: BacktestModelFactory }): Promise<BlockResult> {
  const started = performance.now();
  const machines = [...new Set(block.targets.map((t) => t.machine))].sort((a, b) => a - b);
  const forecasts = new Map<number, RoundForecast>();
  const empty = (error: string): FamilyForecast => ({ vector: null, trainedThroughRound: null, error });
  for (const t of block.targets) forecasts.set(t.round, { round: t.round, machine: t.machine, transformer: empty('not trained'), ensemble: empty('not trained') });

  for (const machine of machines) {
    const targets = block.targets.filter((t) => t.machine === machine);
    for (const family of FAMILIES) {
      const put = (round: number, f: FamilyForecast) => {
        const r = forecasts.get(round)!;
        forecasts.set(round, { ...r, [family]: f });
      };
      const fit = await fitUnit(draws, block.start, { family, machine }, { create: options.createModel, config: options.config, seed: options.seed });
      if (!fit.model) {
        for (const t of targets) put(t.round, empty(fit.error));
        continue;
      }
      try {
        for (const t of targets) {
          try {
            put(t.round, { vector: Array.from(predictOutOfSample(fit.model, draws, t.round)), trainedThroughRound: fit.trainedThroughRound, error: null });
          } catch (e) {
            put(t.round, empty(`prediction failed: ${message(e)}`));
          }
        }
      } finally {
        fit.model.dispose?.();
      }
    }
  }
  return { index: block.index, forecasts: [...forecasts.values()].sort((a, b) => a.round - b.round), ms: performance.now() - started };
}
