/**
 * The model families the product trains, stores and serves, in one place: their names (as
 * in model keys, the API and the CLI), their order (the small ensemble before the
 * Transformer: trained, loaded and listed in this order), and the saved class of each.
 */
import { ENSEMBLE_CLASS_NAME, TRANSFORMER_CLASS_NAME } from './classNames.js';

export type ModelFamily = 'ensemble' | 'transformer';

/** Every served family, smallest first. */
export const FAMILIES: readonly ModelFamily[] = Object.freeze(['ensemble', 'transformer']);

/** The class each family saves (its manifest's className). */
export const FAMILY_CLASS: Readonly<Record<ModelFamily, string>> = Object.freeze({ ensemble: ENSEMBLE_CLASS_NAME, transformer: TRANSFORMER_CLASS_NAME });

export function isModelFamily(v: unknown): v is ModelFamily {
  return typeof v === 'string' && (FAMILIES as readonly string[]).includes(v);
}
