/**
 * The fixed class names saved in model manifests. Kept apart from the model classes so that
 * the loader registry can key on them without importing tfjs (a server's main thread never
 * runs a model; workers load the classes on first use). Never derived from constructor.name
 * (minifiers rename classes).
 */
export const ENSEMBLE_CLASS_NAME = 'LotteryEnsemble';
export const TRANSFORMER_CLASS_NAME = 'LotteryTransformer';
export const RANDOM_FOREST_CLASS_NAME = 'LotteryRandomForest';
export const GRADIENT_BOOSTING_CLASS_NAME = 'LotteryGradientBoosting';
export const MLP_MODEL_CLASS_NAME = 'LotteryMLP';
