import { ENSEMBLE_CLASS_NAME, LotteryEnsemble, ensembleConfig, type EnsembleConfigName } from '../models/ensemble.js';
import { LotteryTransformer, TRANSFORMER_CLASS_NAME, transformerParams, type TransformerArtifacts } from '../models/transformer/index.js';
import type { ModelArtifacts, PersistableModel } from '../models/types.js';
import type { ModelFamily, ModelLoader } from './modelManager.js';

export type ConfigName = EnsembleConfigName & ('small' | 'reference');
export const CONFIG_NAMES: readonly ConfigName[] = ['small', 'reference'];
export const FAMILIES: readonly ModelFamily[] = ['ensemble', 'transformer'];

/** Saved class name → loader. Names are fixed strings, never constructor.name (minifiers rename classes). */
export const MODEL_LOADERS: Record<string, ModelLoader> = {
  [ENSEMBLE_CLASS_NAME]: (a: ModelArtifacts) => LotteryEnsemble.fromArtifacts(a),
  [TRANSFORMER_CLASS_NAME]: (a: ModelArtifacts) => LotteryTransformer.fromArtifacts(a as unknown as TransformerArtifacts) as unknown as PersistableModel,
};

/** A fresh, unfitted model of a family for one machine (or all draws). */
export function createModel(family: ModelFamily, machine: number | 'all', config: ConfigName, seed: number): LotteryEnsemble | LotteryTransformer {
  if (family === 'ensemble') return new LotteryEnsemble(ensembleConfig(config, { machine, seed }));
  return new LotteryTransformer(transformerParams(config, { machine, seed }));
}
