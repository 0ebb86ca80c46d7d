/**
 * Walk-forward evaluation, in one place (scikit-learn's TimeSeriesSplit + cross_val_predict
 * for draws): used by the backtest, by `hogi train --stacking`, and by every later
 * evaluation that needs out-of-sample predictions.
 *
 * - Splits: the target rounds are cut into blocks of `retrainEvery` consecutive rounds,
 *   counted from `from`.
 * - Fit per block: for the block starting at round b, a fresh model of each unit (family ×
 *   the machine whose draws it learns, or 'all') is fitted on `historyBefore(draws, b)`.
 * - Out-of-sample predictions: each target t of the block is predicted by the block's models
 *   from `historyBefore(draws, t)`.
 * So a prediction for t never comes from a model that saw t or anything after it, and every
 * history a model is given passes through the one no-look-ahead gate of src/domain/draw.ts.
 */
import { historyBefore, type Draw } from '../domain/draw.js';
import type { Machine } from '../domain/machine.js';
import type { ModelFamily } from '../models/families.js';
import type { FitOptions } from '../models/types.js';
import type { ConfigName } from './registry.js';

/** What walk-forward needs of a model (every PersistableModel is one; tests pass fakes). */
export interface WalkForwardModel {
  fit(history: readonly Draw[], options?: FitOptions): Promise<unknown>;
  predict(history: readonly Draw[]): ArrayLike<number>;
  dispose?(): void;
}

/** A fresh, unfitted model of a family for one machine (or all draws). */
export type ModelFactory = (family: ModelFamily, machine: Machine | 'all', config: ConfigName, seed: number) => WalkForwardModel;

/** Fewest draws of a unit's machine before a block for its model to be trained (as `hogi train`). */
export const MIN_TRAINING_DRAWS = 30;

/** The block start of target round t. */
export function blockStart(round: number, from: number, retrainEvery: number): number {
  return from + Math.floor((round - from) / retrainEvery) * retrainEvery;
}

export interface WalkForwardBlock<T extends { round: number }> {
  /** 0-based, in round order. */
  index: number;
  /** First round of the block: its models learn from the draws before it. */
  start: number;
  targets: T[];
}

/** The splits: blocks in round order for the given targets (sorted by round). */
export function walkForwardSplits<T extends { round: number }>(targets: readonly T[], from: number, retrainEvery: number): WalkForwardBlock<T>[] {
  if (!Number.isInteger(retrainEvery) || retrainEvery < 1) throw new Error(`retrainEvery must be a positive integer, got ${retrainEvery}`);
  const byStart = new Map<number, WalkForwardBlock<T>>();
  for (const t of targets) {
    const start = blockStart(t.round, from, retrainEvery);
    let b = byStart.get(start);
    if (!b) byStart.set(start, (b = { index: byStart.size, start, targets: [] }));
    b.targets.push(t);
  }
  return [...byStart.values()];
}

/** One model of a block: a family learning one machine's draws (or all). */
export interface WalkForwardUnit {
  family: ModelFamily;
  machine: Machine | 'all';
}

export type UnitFit =
  | { unit: WalkForwardUnit; model: WalkForwardModel; trainedThroughRound: number; error: null }
  | { unit: WalkForwardUnit; model: null; trainedThroughRound: null; error: string };

export interface FitUnitOptions {
  create: ModelFactory;
  config: ConfigName;
  seed: number;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Fits a fresh model of `unit` on the draws before round `start` (`draws` sorted by round).
 * A unit with fewer than MIN_TRAINING_DRAWS draws of its machine, or whose fit throws, gives
 * the reason instead of a model. The caller disposes the model.
 */
export async function fitUnit(draws: readonly Draw[], start: number, unit: WalkForwardUnit, options: FitUnitOptions): Promise<UnitFit> {
  const train = historyBefore(draws, start);
  const seen = unit.machine === 'all' ? train : train.filter((d) => d.machine === unit.machine);
  if (seen.length < MIN_TRAINING_DRAWS) {
    const whose = unit.machine === 'all' ? '' : ` of machine ${unit.machine}`;
    return { unit, model: null, trainedThroughRound: null, error: `only ${seen.length} draws${whose} before round ${start}; at least ${MIN_TRAINING_DRAWS} are needed to train` };
  }
  let model: WalkForwardModel | null = null;
  try {
    model = options.create(unit.family, unit.machine, options.config, options.seed);
    await model.fit(train);
    return { unit, model, trainedThroughRound: seen[seen.length - 1].round, error: null };
  } catch (e) {
    model?.dispose?.();
    return { unit, model: null, trainedThroughRound: null, error: `training failed: ${message(e)}` };
  }
}

/**
 * The out-of-sample prediction for target round `round`: the fitted model predicts from the
 * draws before it (`input` may narrow that history further, e.g. to one machine's draws).
 */
export function predictOutOfSample(model: WalkForwardModel, draws: readonly Draw[], round: number, input: (before: Draw[]) => readonly Draw[] = (b) => b): Float64Array {
  return Float64Array.from(model.predict(input(historyBefore(draws, round))));
}
