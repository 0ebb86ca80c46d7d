export * from './constraints.js';
export * from './machineStrategies.js';
export * from './search.js';
export * from './percentile.js';
export * from './sets.js';
