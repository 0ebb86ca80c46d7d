import { describe, expect, it } from 'vitest';
import { ENSEMBLE_CLASS_NAME, GRADIENT_BOOSTING_CLASS_NAME, MLP_MODEL_CLASS_NAME, RANDOM_FOREST_CLASS_NAME, TRANSFORMER_CLASS_NAME } from '../../src/models/classNames.js';
import { FAMILIES, FAMILY_CLASS } from '../../src/models/families.js';
import { ModelRegistry, builtInModels } from '../../src/models/registry.js';
import type { ModelClass } from '../../src/models/types.js';

const fake = (className: string): ModelClass => ({
  className,
  fromArtifacts: () => {
    throw new Error('not used');
  },
});

describe('model class registry', () => {
  it('knows every built-in family by its fixed class name, and each served family has a registered class', async () => {
    const r = builtInModels();
    expect(r.names().sort()).toEqual([ENSEMBLE_CLASS_NAME, GRADIENT_BOOSTING_CLASS_NAME, MLP_MODEL_CLASS_NAME, RANDOM_FOREST_CLASS_NAME, TRANSFORMER_CLASS_NAME].sort());
    for (const f of FAMILIES) expect(r.has(FAMILY_CLASS[f])).toBe(true);
    for (const name of r.names()) expect((await r.resolve(name)).className).toBe(name);
  });

  it('refuses a class name registered twice, so one saved name always means one class', () => {
    const r = new ModelRegistry().register('Thing', () => fake('Thing'));
    expect(() => r.register('Thing', () => fake('Thing'))).toThrow(/"Thing" is already registered/);
    expect(() => builtInModels().register(ENSEMBLE_CLASS_NAME, () => fake(ENSEMBLE_CLASS_NAME))).toThrow(/already registered/);
  });

  it('says which class is unknown, and refuses a class that calls itself something else', async () => {
    const r = new ModelRegistry().register('Thing', () => fake('Other'));
    await expect(r.load({ manifest: { className: 'Missing', formatVersion: 1 }, weights: {} })).rejects.toThrow(/unknown model class "Missing"/);
    await expect(r.load({ weights: {} })).rejects.toThrow(/no manifest\.className/);
    await expect(r.resolve('Thing')).rejects.toThrow(/registered as "Thing" calls itself "Other"/);
  });
});
