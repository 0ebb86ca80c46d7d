export * from './normalize.js';
export * from './combiner.js';
export * from './weightedVoting.js';
export * from './stacking.js';
export * from './blending.js';
export * from './registry.js';
