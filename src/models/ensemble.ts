/**
 * The statistical family: RandomForest + GradientBoosting + MLP regressors on the
 * (draw, number) feature rows of src/features, combined by a weighted voting regressor
 * (the design's VotingRegressor, weights 0.4 / 0.4 / 0.2).
 *
 * Each member regresses the 0/1 target "number n is drawn at t", so the voting output
 * for the 45 rows of one draw estimates the 45 inclusion probabilities. These raw
 * estimates are not guaranteed to lie in [0, 1] or to sum to 6 (the MLP is linear,
 * the trees average training targets), so they are normalised:
 *   1. clip every value to [ε, 1] (ε = `clipMin`, default 1e-4), so no number is
 *      impossible or more than certain;
 *   2. rescale to sum 6, clipping at 1 and spreading the excess over the others until
 *      nothing exceeds 1 (`calibrateToSix`).
 * The result is what `predict` returns and what the validation metrics score.
 */
import type { Machine } from '../domain/machine.js';
import type { FeatureOptions } from '../features/index.js';
import { readArtifacts } from './artifacts.js';
import { ENSEMBLE_CLASS_NAME } from './classNames.js';
import { gradientBoostingMember, mlpMember, randomForestMember, type Member } from './members.js';
import { MLP_REFERENCE, type MlpParams } from './mlpParams.js';
import { TabularLotteryModel, savedParamProblems, type MemberProgress, type TabularFitOptions, type TabularPredictOptions, type TabularValidation } from './tabular.js';
import type { GradientBoostingParams, RandomForestParams } from './tree/index.js';
import { DEFAULT_CLIP_MIN } from './voting.js';

export { VotingRegressor, votingToProbabilities, DEFAULT_CLIP_MIN, type VotingMember } from './voting.js';
export type { MemberScores } from './tabular.js';
export type { TrainedRounds } from './types.js';

// ---------------------------------------------------------------------------
// LotteryEnsemble
// ---------------------------------------------------------------------------

export type EnsembleMemberName = 'rf' | 'gbm' | 'mlp';
export const ENSEMBLE_MEMBERS: readonly EnsembleMemberName[] = ['rf', 'gbm', 'mlp'];

export interface LotteryEnsembleParams {
  /** Train on one machine's draws only (features computed on that machine's sequence), or on all draws. */
  machine: Machine | 'all';
  /** The one seed; members get seed (rf), seed + 1 (gbm), seed + 2 (mlp). */
  seed: number;
  rf: Omit<RandomForestParams, 'seed'>;
  gbm: Omit<GradientBoostingParams, 'seed'>;
  mlp: Omit<MlpParams, 'seed'>;
  /** Voting weights; 0 switches a member off (it is then not trained at all). */
  weights: Record<EnsembleMemberName, number>;
  features: FeatureOptions;
  /** Share of the draws (the most recent ones) held out to measure the validation metrics. */
  validationFraction: number;
  /** After validating, refit the members on all draws (true) or keep the ones fitted without the holdout. */
  refitOnAll: boolean;
  /** ε of the normalisation. */
  clipMin: number;
}

const REFERENCE: LotteryEnsembleParams = {
  machine: 'all',
  seed: 42,
  // The design: RandomForestRegressor(n_estimators=100, max_depth=10, random_state=42),
  // GradientBoostingRegressor(n_estimators=100, learning_rate=0.1, max_depth=6),
  // MLPRegressor(hidden_layer_sizes=(100, 50), relu, adam, max_iter=500); the rest are
  // scikit-learn's defaults (max_features 1.0, min_samples_leaf 1, subsample 1).
  rf: { nEstimators: 100, maxDepth: 10, minSamplesLeaf: 1, minSamplesSplit: 2, maxFeatures: 'all', maxBins: 255, bootstrap: true },
  gbm: { nEstimators: 100, learningRate: 0.1, maxDepth: 6, minSamplesLeaf: 1, minSamplesSplit: 2, maxFeatures: 'all', maxBins: 255, subsample: 1 },
  mlp: { ...MLP_REFERENCE, hiddenLayerSizes: [...MLP_REFERENCE.hiddenLayerSizes] },
  weights: { rf: 0.4, gbm: 0.4, mlp: 0.2 },
  features: { minHistory: 10, targetMachine: false },
  validationFraction: 0.1,
  refitOnAll: true,
  clipMin: DEFAULT_CLIP_MIN,
};

const SMALL: LotteryEnsembleParams = {
  ...REFERENCE,
  rf: { ...REFERENCE.rf, nEstimators: 20, maxDepth: 6 },
  gbm: { ...REFERENCE.gbm, nEstimators: 20, maxDepth: 4 },
  mlp: { ...REFERENCE.mlp, hiddenLayerSizes: [32, 16], maxIter: 50, batchSize: 500, learningRate: 0.003, nIterNoChange: 5 },
};

export type EnsembleConfigName = 'small' | 'reference';

function copyParams(p: LotteryEnsembleParams): LotteryEnsembleParams {
  return JSON.parse(JSON.stringify(p)) as LotteryEnsembleParams;
}

/** `reference` = the design's values; `small` = quick (tests, smoke runs). Overrides are shallow per section. */
export function ensembleConfig(name: EnsembleConfigName, overrides: Partial<LotteryEnsembleParams> = {}): LotteryEnsembleParams {
  const base = name === 'reference' ? REFERENCE : name === 'small' ? SMALL : null;
  if (!base) throw new Error(`unknown ensemble config "${String(name)}": use small or reference`);
  return copyParams({ ...base, ...overrides });
}

/** Scores on the time-ordered holdout (the last draws of the training history). */
export type EnsembleValidation = TabularValidation;
export type EnsembleProgress = MemberProgress;
export type EnsembleFitOptions = TabularFitOptions;
export type EnsemblePredictOptions = TabularPredictOptions;

export { ENSEMBLE_CLASS_NAME };
export const ENSEMBLE_FORMAT_VERSION = 1;

/** The ensemble's members from its params: [name, factory] pairs, in seed order. */
export function ensembleMembers(p: Pick<LotteryEnsembleParams, 'rf' | 'gbm' | 'mlp'>): Member[] {
  return [
    ['rf', randomForestMember(p.rf)],
    ['gbm', gradientBoostingMember(p.gbm)],
    ['mlp', mlpMember(p.mlp)],
  ];
}

/** Saved params of an ensemble, checked field by field against the reference config. */
function isEnsembleParams(v: unknown, problems: string[]): v is LotteryEnsembleParams {
  problems.push(...savedParamProblems(v, REFERENCE));
  return problems.length === 0;
}

/**
 * The voting ensemble of RandomForest + GradientBoosting + MLP (weights 0.4 / 0.4 / 0.2 in
 * the design). Its members are [name, factory] pairs: by default the three built from its
 * params; code may pass others (a member's weight is `weights[name]`, 0 when not given).
 */
export class LotteryEnsemble extends TabularLotteryModel<LotteryEnsembleParams> {
  static readonly className = ENSEMBLE_CLASS_NAME;
  readonly className = ENSEMBLE_CLASS_NAME;
  protected readonly formatVersion = ENSEMBLE_FORMAT_VERSION;
  protected readonly label = 'ensemble';
  private readonly memberList: readonly Member[];

  constructor(params: LotteryEnsembleParams = ensembleConfig('reference'), members?: readonly Member[]) {
    super(params);
    const list = members ?? ensembleMembers(this.params);
    const names = list.map(([n]) => n);
    if (new Set(names).size !== names.length) throw new Error(`ensemble member names must be unique, got ${names.join(', ')}`);
    this.memberList = list;
  }

  protected members() {
    const w: Readonly<Record<string, number>> = this.params.weights;
    return this.memberList.map(([name, factory]) => ({ name, factory, weight: w[name] ?? 0 }));
  }

  protected memberParamProblems(): string[] {
    return [];
  }

  /** An unfitted copy with the same params and members. */
  clone(): LotteryEnsemble {
    return new LotteryEnsemble(this.params, this.memberList);
  }

  /** Rebuilds a saved ensemble (its standard members), checking every field; throws an error naming the bad one. */
  static fromArtifacts(artifacts: unknown): LotteryEnsemble {
    const { manifest, weights } = readArtifacts(artifacts, ENSEMBLE_CLASS_NAME, [ENSEMBLE_FORMAT_VERSION]);
    const params: unknown = manifest.params;
    const problems: string[] = [];
    if (!isEnsembleParams(params, problems)) throw new Error(`${ENSEMBLE_CLASS_NAME} artefact: ${problems.join('; ')}`);
    return new LotteryEnsemble(params).restore(manifest, weights);
  }
}
