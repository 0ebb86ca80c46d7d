// Stand-in models for backtest tests: deterministic, instant, and sensitive to every draw they
// are trained on or given, so any look-ahead would change their vectors.
import type { Draw } from '../../../src/domain/draw.js';
import type { ModelFactory, WalkForwardModel } from '../../../src/service/walkForward.js';

export interface FakeFit {
  family: string;
  machine: number;
  /** Last round among the draws of its machine it was fitted on. */
  lastFitRound: number;
  /** Last round of each history it was asked to predict from. */
  predictedFrom: number[];
}

function counts(draws: readonly Draw[]): Float64Array {
  const c = new Float64Array(45);
  for (const d of draws) for (const n of d.numbers) c[n - 1]++;
  return c;
}

/** p_n ∝ 1 + share of n in training + 3·count of n in the last 10 input draws of the machine (transformer) or last 20 (ensemble), scaled to sum 6. */
export function fakeFactory(fits: FakeFit[] = []): ModelFactory {
  return (family, machine) => {
    if (machine === 'all') throw new Error('the backtest trains per-machine models');
    const fit: FakeFit = { family, machine, lastFitRound: -1, predictedFrom: [] };
    let trained: Float64Array | null = null;
    let trainedDraws = 0;
    const model: WalkForwardModel = {
      async fit(history) {
        const own = history.filter((d) => d.machine === machine);
        trained = counts(own);
        trainedDraws = own.length;
        fit.lastFitRound = own.length ? own[own.length - 1].round : -1;
        fits.push(fit);
        return model;
      },
      predict(history) {
        if (!trained) throw new Error('predict before fit');
        const own = history.filter((d) => d.machine === machine);
        fit.predictedFrom.push(history.length ? history[history.length - 1].round : -1);
        const recent = counts(own.slice(Math.max(0, own.length - (family === 'transformer' ? 10 : 20))));
        const raw = new Float64Array(45);
        for (let i = 0; i < 45; i++) raw[i] = 1 + (10 * trained[i]) / Math.max(1, trainedDraws) + 3 * recent[i];
        const sum = raw.reduce((a, b) => a + b, 0);
        return raw.map((x) => (6 * x) / sum);
      },
    };
    return model;
  };
}
