// The per-machine combination lives in service/combining (shared with the backtest); kept importable from here.
export * from '../combining/combine.js';
