export * from './normalize.js';
export * from './weightedVoting.js';
export * from './stacking.js';
export * from './blending.js';
