// The MLP's params: their shape, scikit-learn's defaults, and the checks a saved or given set must pass. Pure.
export type MlpActivation = 'relu' | 'tanh';
export type MlpOutput = 'linear' | 'sigmoid';

export interface MlpParams {
  hiddenLayerSizes: number[];
  activation: MlpActivation;
  solver: 'adam';
  learningRate: number;
  /** Maximum number of epochs (scikit-learn's max_iter for adam). */
  maxIter: number;
  /** Rows per mini-batch; 'auto' = min(200, rows), as scikit-learn. */
  batchSize: number | 'auto';
  /** L2 penalty. */
  alpha: number;
  earlyStopping: boolean;
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
  output: MlpOutput;
  seed: number;
}

/** scikit-learn's MLPRegressor defaults with the design's layers (100, 50): everything but the seed. */
export const MLP_REFERENCE: Readonly<Omit<MlpParams, 'seed'>> = {
  hiddenLayerSizes: [100, 50],
  activation: 'relu',
  solver: 'adam',
  learningRate: 0.001,
  maxIter: 500,
  batchSize: 'auto',
  alpha: 0.0001,
  earlyStopping: true,
  validationFraction: 0.1,
  nIterNoChange: 10,
  tol: 0.0001,
  output: 'linear',
};

export const MLP_DEFAULTS: Readonly<MlpParams> = { ...MLP_REFERENCE, hiddenLayerSizes: [...MLP_REFERENCE.hiddenLayerSizes], seed: 0 };

export interface MlpEpochInfo {
  epoch: number;
  maxIter: number;
  trainLoss: number;
  /** Validation half-MSE; null without early stopping. */
  validationLoss: number | null;
}

export interface MlpFitOptions {
  /** Called after every epoch (progress bars). */
  onEpoch?: (info: MlpEpochInfo) => void;
}

export const MLP_CLASS_NAME = 'MLPRegressor';
export const MLP_FORMAT_VERSION = 1;

/** Saved params that passed the shape check (`problems` empty) and the family's own checks. */
export function isMlpParams(v: unknown, problems: string[]): v is MlpParams {
  if (problems.length === 0 && typeof v === 'object' && v !== null && 'batchSize' in v && v.batchSize !== 'auto' && typeof v.batchSize !== 'number') {
    problems.push(`manifest.params.batchSize must be 'auto' or a number, got ${JSON.stringify(v.batchSize)}`);
  }
  return problems.length === 0;
}

export function checkParams(p: MlpParams): void {
  if (!p.hiddenLayerSizes.length || !p.hiddenLayerSizes.every((h) => Number.isInteger(h) && h >= 1)) {
    throw new Error(`hiddenLayerSizes must be positive integers, got ${JSON.stringify(p.hiddenLayerSizes)}`);
  }
  if (!Number.isInteger(p.maxIter) || p.maxIter < 1) throw new Error(`maxIter must be an integer ≥ 1, got ${p.maxIter}`);
  if (p.batchSize !== 'auto' && (!Number.isInteger(p.batchSize) || p.batchSize < 1)) throw new Error(`batchSize must be 'auto' or an integer ≥ 1`);
  if (!(p.validationFraction > 0 && p.validationFraction < 1)) throw new Error(`validationFraction must be in (0, 1), got ${p.validationFraction}`);
  if (!(p.learningRate > 0)) throw new Error(`learningRate must be positive`);
  if (p.solver !== 'adam') throw new Error(`only the 'adam' solver is implemented`);
}
