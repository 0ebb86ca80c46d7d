/**
 * Members of the feature-based (tabular) lottery models: a regressor on the (draw, number)
 * feature rows, named, with a factory that fits a fresh one for a seed and reloads a saved
 * one. The ensemble is a list of [name, factory] members; adding a family to it is adding a
 * factory here, not editing the ensemble.
 */
import { asJson } from './artifacts.js';
import { MLPRegressor, type MlpEpochInfo, type MlpParams } from './mlp.js';
import { GradientBoostingRegressor, RandomForestRegressor, type GradientBoostingParams, type RandomForestParams } from './tree/index.js';
import type { Json, Matrix } from './types.js';

/** What a member saves: JSON (its manifest) and named weight buffers. */
export interface SavedMember {
  manifest: Json;
  weights: Record<string, Float32Array>;
}

/** A fitted member. */
export interface FittedMember {
  predict(X: Matrix): Float32Array;
  save(): SavedMember;
  memoryBytes(): number;
  dispose(): void;
}

export interface MemberFitOptions {
  /** Called after every epoch by members that train in epochs (the MLP). */
  onEpoch?: (info: MlpEpochInfo) => void;
}

/** How to make a member: fit a fresh one with a seed, or reload a saved one. */
export interface MemberFactory {
  fit(X: Matrix, y: Float32Array, seed: number, options?: MemberFitOptions): Promise<FittedMember>;
  load(saved: SavedMember): FittedMember;
}

/** A named member of a tabular model. */
export type Member = readonly [name: string, factory: MemberFactory];

// Per tree node: feature + left + right (Int32) and threshold + value + gain (Float64).
const NODE_BYTES = 3 * 4 + 3 * 8;

function fittedTrees(model: RandomForestRegressor | GradientBoostingRegressor): FittedMember {
  return {
    predict: (X) => model.predict(X),
    save: () => ({ manifest: asJson(model.toJSON(), `${model.className}`), weights: {} }),
    memoryBytes: () => model.estimators.reduce((s, t) => s + t.nodeCount * NODE_BYTES, 0),
    dispose: () => undefined,
  };
}

export function randomForestMember(params: Omit<RandomForestParams, 'seed'>): MemberFactory {
  return {
    fit: async (X, y, seed) => fittedTrees(new RandomForestRegressor({ ...params, seed }).fit(X, y)),
    load: (saved) => fittedTrees(RandomForestRegressor.fromJSON(saved.manifest)),
  };
}

export function gradientBoostingMember(params: Omit<GradientBoostingParams, 'seed'>): MemberFactory {
  return {
    fit: async (X, y, seed) => fittedTrees(new GradientBoostingRegressor({ ...params, seed }).fit(X, y)),
    load: (saved) => fittedTrees(GradientBoostingRegressor.fromJSON(saved.manifest)),
  };
}

function fittedMlp(model: MLPRegressor): FittedMember {
  return {
    predict: (X) => model.predict(X),
    save: () => {
      const a = model.toArtifacts();
      return { manifest: a.manifest, weights: a.weights };
    },
    memoryBytes: () => model.memoryBytes(),
    dispose: () => model.dispose(),
  };
}

export function mlpMember(params: Omit<MlpParams, 'seed'>): MemberFactory {
  return {
    fit: async (X, y, seed, options = {}) => {
      const mlp = new MLPRegressor({ ...params, seed });
      await mlp.fit(X, y, { onEpoch: options.onEpoch });
      return fittedMlp(mlp);
    },
    load: (saved) => fittedMlp(MLPRegressor.fromArtifacts({ manifest: saved.manifest, weights: saved.weights })),
  };
}
