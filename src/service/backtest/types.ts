/**
 * The walk-forward backtest's parameters, methods and events. Method names are stable: the
 * API, the report and the dashboard key on them.
 */
import { availableParallelism } from 'node:os';
import type { Machine } from '../../domain/machine.js';
import type { LotteryEnsembleParams } from '../../models/ensemble.js';
import type { TransformerParams } from '../../models/transformer/index.js';
import type { ConfigName } from '../registry.js';

export const BACKTEST_METHODS = [
  'random',
  'frequency_baseline',
  'transformer',
  'ensemble',
  'weighted_voting',
  'stacking',
  'blending',
  'strategy_1',
  'strategy_2',
  'strategy_3',
] as const;
export type BacktestMethod = (typeof BACKTEST_METHODS)[number];

/** Methods that need the trained model families (everything but random and the frequency baseline). */
export const MODEL_METHODS: ReadonlySet<BacktestMethod> = new Set(['transformer', 'ensemble', 'weighted_voting', 'stacking', 'blending', 'strategy_1', 'strategy_2', 'strategy_3']);

/** The combination methods premium may pick from a backtest. */
export const RANKABLE_METHODS = ['weighted_voting', 'stacking', 'blending'] as const;

export const DEFAULT_BACKTEST_SETS = 5;
export const DEFAULT_BACKTEST_RETRAIN_EVERY = 10;
export const DEFAULT_BACKTEST_SEED = 42;
/** The product's default analysis window (frequency baseline, 1호기 reweighting). */
export const DEFAULT_BACKTEST_WINDOW = 50;

// Extra model parameters on top of the named config (tests use tiny models); plain JSON for workers.
export type { ModelOverrides } from '../modelFactory.js';
import type { ModelOverrides } from '../modelFactory.js';

export interface BacktestParams {
  from: number;
  to: number;
  /** Rounds drawn on this machine only, or 'all' (every labelled round). */
  machine: Machine | 'all';
  retrainEvery: number;
  methods: BacktestMethod[];
  /** Tickets per method per round (1..20). */
  sets: number;
  seed: number;
  config: ConfigName;
  /** Frequency window of the baseline and of 1호기's reweighting (the product's analysis_window). */
  window: number;
  modelOverrides?: ModelOverrides;
}

/** One model family's vector for one round (from models trained on draws before the round's block). */
export interface FamilyForecast {
  /** 45 probabilities, or null when the family could not be trained or failed to predict. */
  vector: number[] | null;
  /** Last round of the draws the model was trained on (< the target round). */
  trainedThroughRound: number | null;
  error: string | null;
}

export interface RoundForecast {
  round: number;
  machine: Machine;
  transformer: FamilyForecast;
  ensemble: FamilyForecast;
}

/** A retrain block: models fitted on draws before `start`, reused for every target in it. */
export interface BlockSpec {
  index: number;
  start: number;
  targets: Array<{ round: number; machine: Machine }>;
}

export interface BlockResult {
  index: number;
  forecasts: RoundForecast[];
  /** Wall time of the block's fits and predictions. */
  ms: number;
}

export type BacktestEvent =
  | { type: 'start'; id: string; resumed: boolean; roundsTotal: number; roundsDone: number; blocks: number; workers: number }
  | { type: 'block'; index: number; blocks: number; ms: number }
  | { type: 'round'; round: number; done: number; total: number }
  | { type: 'summary' };

/** Default training-worker pool size: the cores less one for the engine's own pass, at least 1, at most 4. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}
