export * from './distributions.js';
export * from './matches.js';
export * from './bestOfN.js';
export * from './intervals.js';
export * from './multiple.js';
export * from './probabilityQuality.js';
