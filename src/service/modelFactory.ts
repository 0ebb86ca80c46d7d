// Fresh model instances: imports the model classes and tfjs, so only training code imports
// this module (statically, or with import() where a caller must stay light).
import { LotteryEnsemble, ensembleConfig } from '../models/ensemble.js';
import { LotteryTransformer, transformerParams } from '../models/transformer/index.js';
import type { ModelFamily } from './modelManager.js';
import type { ConfigName } from './registry.js';

/** A fresh, unfitted model of a family for one machine (or all draws). */
export function createModel(family: ModelFamily, machine: number | 'all', config: ConfigName, seed: number): LotteryEnsemble | LotteryTransformer {
  if (family === 'ensemble') return new LotteryEnsemble(ensembleConfig(config, { machine, seed }));
  return new LotteryTransformer(transformerParams(config, { machine, seed }));
}
