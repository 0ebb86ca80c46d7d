export * from './report.js';
export * from './statistics.js';
export * from './sampling.js';
export * from './power.js';
