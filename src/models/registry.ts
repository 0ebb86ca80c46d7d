/**
 * The model class registry: saved class name → the class that loads it. Names are fixed
 * strings (classNames.ts) and a name can be registered once only, so a manifest always means
 * one class. The built-in classes are imported on their first load, not with this module:
 * a server's main thread keys on the names but only workers ever load a model (and tfjs).
 */
import { ENSEMBLE_CLASS_NAME, GRADIENT_BOOSTING_CLASS_NAME, MLP_MODEL_CLASS_NAME, RANDOM_FOREST_CLASS_NAME, TRANSFORMER_CLASS_NAME } from './classNames.js';
import { isRecord } from './artifacts.js';
import type { ModelClass, PersistableModel } from './types.js';

/** Finds a class when it is first needed (a dynamic import keeps tfjs out until then). */
export type ModelClassSource = () => ModelClass | Promise<ModelClass>;

export class ModelRegistry {
  private readonly classes = new Map<string, ModelClassSource>();

  /** Adds a class under its fixed name; a name already taken is refused. */
  register(className: string, source: ModelClassSource): this {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(className)) throw new Error(`model class name ${JSON.stringify(className)} must be an identifier`);
    if (this.classes.has(className)) throw new Error(`model class "${className}" is already registered`);
    this.classes.set(className, source);
    return this;
  }

  has(className: string): boolean {
    return this.classes.has(className);
  }

  names(): string[] {
    return [...this.classes.keys()];
  }

  /** The class saved as `className`; throws for a name nobody registered. */
  async resolve(className: string): Promise<ModelClass> {
    const source = this.classes.get(className);
    if (!source) throw new Error(`unknown model class "${className}" (known: ${this.names().join(', ')})`);
    const cls = await source();
    if (cls.className !== className) throw new Error(`model class registered as "${className}" calls itself "${cls.className}"`);
    return cls;
  }

  /** Loads artefacts with the class their manifest names (which validates them). */
  async load(artifacts: unknown): Promise<PersistableModel> {
    const name = isRecord(artifacts) && isRecord(artifacts.manifest) ? artifacts.manifest.className : undefined;
    if (typeof name !== 'string') throw new Error('model artefacts have no manifest.className');
    return (await this.resolve(name)).fromArtifacts(artifacts);
  }
}

/** Every built-in model family. */
export function builtInModels(): ModelRegistry {
  return new ModelRegistry()
    .register(ENSEMBLE_CLASS_NAME, async () => (await import('./ensemble.js')).LotteryEnsemble)
    .register(TRANSFORMER_CLASS_NAME, async () => (await import('./transformer/index.js')).LotteryTransformer)
    .register(RANDOM_FOREST_CLASS_NAME, async () => (await import('./single.js')).LotteryRandomForest)
    .register(GRADIENT_BOOSTING_CLASS_NAME, async () => (await import('./single.js')).LotteryGradientBoosting)
    .register(MLP_MODEL_CLASS_NAME, async () => (await import('./single.js')).LotteryMLP);
}
