/**
 * The statistical baseline: how often each number came up in machine M's last `window`
 * draws. It is `basic`'s vector and the last fallback when neither model family answers.
 *
 * Counts get +1 each (Laplace smoothing) before they are normalised to sum 6: a short window
 * (10 draws = 60 numbers) leaves many numbers unseen, and an unseen number is not an
 * impossible one.
 */
import type { Draw } from '../../domain/draw.js';
import type { Machine } from '../../domain/machine.js';
import { normalizeToSix, type ProbabilityVector } from '../../combination/normalize.js';
import { windowFrequencies } from '../../strategies/machineStrategies.js';

/** The last `window` draws of `machine` from a history sorted by round. */
export function machineWindow(draws: readonly Draw[], machine: Machine, window: number): Draw[] {
  const own = draws.filter((d) => d.machine === machine);
  return own.slice(Math.max(0, own.length - window));
}

/** Window frequencies + 1, normalised to sum 6. An empty window gives chance (6/45 each). */
export function frequencyBaseline(windowDraws: readonly Draw[]): ProbabilityVector {
  const f = windowFrequencies(windowDraws);
  for (let i = 0; i < f.length; i++) f[i] += 1;
  return normalizeToSix(f);
}
