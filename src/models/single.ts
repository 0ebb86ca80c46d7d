/**
 * The single-regressor families: a RandomForest, a GradientBoosting or an MLP alone on the
 * feature rows, with the same fitting, holdout scores, normalisation and artefacts as the
 * voting ensemble (each is a one-member tabular model). Their params are the ensemble's
 * without the other members' sections and the weights.
 */
import { readArtifacts } from './artifacts.js';
import { GRADIENT_BOOSTING_CLASS_NAME, MLP_MODEL_CLASS_NAME, RANDOM_FOREST_CLASS_NAME } from './classNames.js';
import { ensembleConfig, type EnsembleConfigName, type LotteryEnsembleParams } from './ensemble.js';
import { gradientBoostingMember, mlpMember, randomForestMember, type MemberFactory } from './members.js';
import { TabularLotteryModel, savedParamProblems, type TabularParams } from './tabular.js';

export const SINGLE_FORMAT_VERSION = 1;

export type LotteryRandomForestParams = TabularParams & Pick<LotteryEnsembleParams, 'rf'>;
export type LotteryGradientBoostingParams = TabularParams & Pick<LotteryEnsembleParams, 'gbm'>;
export type LotteryMlpParams = TabularParams & Pick<LotteryEnsembleParams, 'mlp'>;

function shared(name: EnsembleConfigName, overrides: Partial<TabularParams>): TabularParams & LotteryEnsembleParams {
  return ensembleConfig(name, overrides);
}

/** The ensemble's `name` config reduced to one member's section. */
export function randomForestConfig(name: EnsembleConfigName, overrides: Partial<LotteryRandomForestParams> = {}): LotteryRandomForestParams {
  const { machine, seed, features, validationFraction, refitOnAll, clipMin, rf } = shared(name, overrides);
  return { machine, seed, features, validationFraction, refitOnAll, clipMin, rf: overrides.rf ?? rf };
}

export function gradientBoostingConfig(name: EnsembleConfigName, overrides: Partial<LotteryGradientBoostingParams> = {}): LotteryGradientBoostingParams {
  const { machine, seed, features, validationFraction, refitOnAll, clipMin, gbm } = shared(name, overrides);
  return { machine, seed, features, validationFraction, refitOnAll, clipMin, gbm: overrides.gbm ?? gbm };
}

export function mlpConfig(name: EnsembleConfigName, overrides: Partial<LotteryMlpParams> = {}): LotteryMlpParams {
  const { machine, seed, features, validationFraction, refitOnAll, clipMin, mlp } = shared(name, overrides);
  return { machine, seed, features, validationFraction, refitOnAll, clipMin, mlp: overrides.mlp ?? mlp };
}

function loadError(className: string, problems: readonly string[]): Error {
  return new Error(`${className} artefact: ${problems.join('; ')}`);
}

function isParams<P extends TabularParams>(v: unknown, template: P, problems: string[]): v is P {
  problems.push(...savedParamProblems(v, template));
  return problems.length === 0;
}

export class LotteryRandomForest extends TabularLotteryModel<LotteryRandomForestParams> {
  static readonly className = RANDOM_FOREST_CLASS_NAME;
  readonly className = RANDOM_FOREST_CLASS_NAME;
  protected readonly formatVersion = SINGLE_FORMAT_VERSION;
  protected readonly label = 'random forest';
  private readonly factory: MemberFactory = randomForestMember(this.params.rf);

  protected members() {
    return [{ name: 'rf', factory: this.factory, weight: 1 }];
  }

  protected memberParamProblems(): string[] {
    return [];
  }

  clone(): LotteryRandomForest {
    return new LotteryRandomForest(this.params);
  }

  static fromArtifacts(artifacts: unknown): LotteryRandomForest {
    const { manifest, weights } = readArtifacts(artifacts, RANDOM_FOREST_CLASS_NAME, [SINGLE_FORMAT_VERSION]);
    const params: unknown = manifest.params;
    const problems: string[] = [];
    if (!isParams(params, randomForestConfig('reference'), problems)) throw loadError(RANDOM_FOREST_CLASS_NAME, problems);
    return new LotteryRandomForest(params).restore(manifest, weights);
  }
}

export class LotteryGradientBoosting extends TabularLotteryModel<LotteryGradientBoostingParams> {
  static readonly className = GRADIENT_BOOSTING_CLASS_NAME;
  readonly className = GRADIENT_BOOSTING_CLASS_NAME;
  protected readonly formatVersion = SINGLE_FORMAT_VERSION;
  protected readonly label = 'gradient boosting model';
  private readonly factory: MemberFactory = gradientBoostingMember(this.params.gbm);

  protected members() {
    return [{ name: 'gbm', factory: this.factory, weight: 1 }];
  }

  protected memberParamProblems(): string[] {
    return [];
  }

  clone(): LotteryGradientBoosting {
    return new LotteryGradientBoosting(this.params);
  }

  static fromArtifacts(artifacts: unknown): LotteryGradientBoosting {
    const { manifest, weights } = readArtifacts(artifacts, GRADIENT_BOOSTING_CLASS_NAME, [SINGLE_FORMAT_VERSION]);
    const params: unknown = manifest.params;
    const problems: string[] = [];
    if (!isParams(params, gradientBoostingConfig('reference'), problems)) throw loadError(GRADIENT_BOOSTING_CLASS_NAME, problems);
    return new LotteryGradientBoosting(params).restore(manifest, weights);
  }
}

export class LotteryMLP extends TabularLotteryModel<LotteryMlpParams> {
  static readonly className = MLP_MODEL_CLASS_NAME;
  readonly className = MLP_MODEL_CLASS_NAME;
  protected readonly formatVersion = SINGLE_FORMAT_VERSION;
  protected readonly label = 'MLP';
  private readonly factory: MemberFactory = mlpMember(this.params.mlp);

  protected members() {
    return [{ name: 'mlp', factory: this.factory, weight: 1 }];
  }

  protected memberParamProblems(): string[] {
    return [];
  }

  clone(): LotteryMLP {
    return new LotteryMLP(this.params);
  }

  static fromArtifacts(artifacts: unknown): LotteryMLP {
    const { manifest, weights } = readArtifacts(artifacts, MLP_MODEL_CLASS_NAME, [SINGLE_FORMAT_VERSION]);
    const params: unknown = manifest.params;
    const problems: string[] = [];
    if (!isParams(params, mlpConfig('reference'), problems)) throw loadError(MLP_MODEL_CLASS_NAME, problems);
    return new LotteryMLP(params).restore(manifest, weights);
  }
}
