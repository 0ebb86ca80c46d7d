export * from './types.js';
export * from './csv.js';
export * from './fields.js';
export * from './drawsCsv.js';
export * from './machinesCsv.js';
export * from './resJson.js';
export * from './dhlottery.js';
export * from './detect.js';
