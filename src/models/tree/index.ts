// Histogram-based CART trees: single tree, random forest and gradient boosting (squared error).
export { MAX_BINS, fitBinMapper, fitAndBin, binMatrix, binOf, featureThresholds, type BinMapper } from './binning.js';
export { TREE_FORMAT_VERSION, resolveMaxFeatures, type MaxFeatures, type TreeParams, type TreeModelJSON } from './common.js';
export { DecisionTreeRegressor, type DecisionTreeParams, type DecisionTreeState } from './decisionTree.js';
export { RandomForestRegressor, DEFAULT_FOREST_PARAMS, type RandomForestParams, type RandomForestState } from './forest.js';
export {
  GradientBoostingRegressor,
  DEFAULT_BOOSTING_PARAMS,
  type GradientBoostingParams,
  type GradientBoostingState,
} from './gradientBoosting.js';
export { TreePredictor, type TreeJSON, type TreeNodes } from './predictor.js';
