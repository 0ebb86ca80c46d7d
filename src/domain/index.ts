export * from './draw.js';
export * from './machine.js';
export * from './problems.js';
export * from './stats.js';
export * from './random.js';
export * from './prizes.js';
