import type { EnsembleConfigName } from '../models/ensemble.js';
import { builtInModels } from '../models/registry.js';
import type { ModelLoader } from './modelManager.js';

export { FAMILIES } from '../models/families.js';

export type ConfigName = EnsembleConfigName & ('small' | 'reference');
export const CONFIG_NAMES: readonly ConfigName[] = ['small', 'reference'];

const MODELS = builtInModels();

/**
 * Saved class name → loader, from the model class registry (src/models/registry.ts). The
 * model classes (and tfjs under them) are imported on the first load, not with this module:
 * the server's main thread keys on these names but only inference workers ever load a model.
 */
export const MODEL_LOADERS: Readonly<Record<string, ModelLoader>> = Object.fromEntries(MODELS.names().map((name) => [name, (a: unknown) => MODELS.load(a)]));
