/**
 * The fixed class names saved in model manifests. Kept apart from the model classes so that
 * the service's loader registry can key on them without importing tfjs (a server's main
 * thread never runs a model; workers load the classes on first use).
 */
export const ENSEMBLE_CLASS_NAME = 'LotteryEnsemble';
export const TRANSFORMER_CLASS_NAME = 'LotteryTransformer';
