// Fresh model instances: imports the model classes and tfjs, so only training code imports
// this module (statically, or with import() where a caller must stay light).
import type { Machine } from '../domain/machine.js';
import { LotteryEnsemble, ensembleConfig, type LotteryEnsembleParams } from '../models/ensemble.js';
import type { ModelFamily } from '../models/families.js';
import { LotteryTransformer, transformerParams, type TransformerParams } from '../models/transformer/index.js';
import type { PersistableModel } from '../models/types.js';
import type { ConfigName } from './registry.js';

/** Parameter overrides per family, on top of the named config (backtests, tests). */
export interface ModelOverrides {
  ensemble?: Partial<LotteryEnsembleParams>;
  transformer?: Partial<TransformerParams>;
}

/** A fresh, unfitted model of a family for one machine (or all draws). */
export type ModelFactory = (family: ModelFamily, machine: Machine | 'all', config: ConfigName, seed: number) => PersistableModel;

/** A fresh, unfitted model of a family for one machine (or all draws), with optional overrides. */
export function createModel(family: ModelFamily, machine: Machine | 'all', config: ConfigName, seed: number, overrides: ModelOverrides = {}): PersistableModel {
  if (family === 'ensemble') return new LotteryEnsemble(ensembleConfig(config, { ...(overrides.ensemble ?? {}), machine, seed }));
  return new LotteryTransformer(transformerParams(config, { ...(overrides.transformer ?? {}), machine, seed }));
}

/** The registry's models (small / reference) with the given overrides on top. */
export function modelFactory(overrides: ModelOverrides = {}): ModelFactory {
  return (family, machine, config, seed) => createModel(family, machine, config, seed, overrides);
}
