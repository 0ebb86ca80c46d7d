import { ENSEMBLE_CLASS_NAME, TRANSFORMER_CLASS_NAME } from '../models/classNames.js';
import type { EnsembleConfigName } from '../models/ensemble.js';
import type { TransformerArtifacts } from '../models/transformer/index.js';
import type { ModelArtifacts, PersistableModel } from '../models/types.js';
import type { ModelFamily, ModelLoader } from './modelManager.js';

export type ConfigName = EnsembleConfigName & ('small' | 'reference');
export const CONFIG_NAMES: readonly ConfigName[] = ['small', 'reference'];
export const FAMILIES: readonly ModelFamily[] = ['ensemble', 'transformer'];

/**
 * Saved class name → loader. Names are fixed strings, never constructor.name (minifiers rename classes).
 * The model classes (and tfjs under them) are imported on the first load, not with this module:
 * the server's main thread keys on these names but only inference workers ever load a model.
 */
export const MODEL_LOADERS: Record<string, ModelLoader> = {
  [ENSEMBLE_CLASS_NAME]: async (a: ModelArtifacts) => (await import('../models/ensemble.js')).LotteryEnsemble.fromArtifacts(a),
  [TRANSFORMER_CLASS_NAME]: async (a: ModelArtifacts) =>
    (await import('../models/transformer/index.js')).LotteryTransformer.fromArtifacts(a as unknown as TransformerArtifacts) as unknown as PersistableModel,
};
