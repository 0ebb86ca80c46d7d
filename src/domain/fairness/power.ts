/**
 * Smallest effect a test detects with the wanted power, by seeded simulation. Each
 * evaluation of the power curve reuses the same seed (common random numbers), so the
 * estimated curve is smooth in the effect and bisection is stable.
 */
import { Random } from '../random.js';

export interface DetectableEffect {
  /** Smallest effect with estimated power ≥ target, or null when even `hi` falls short. */
  effect: number | null;
  /** Estimated power at `effect` (or at `hi` when effect is null). */
  power: number;
  hi: number;
  simulations: number;
}

/**
 * `rejects(random, effect)` simulates one data set with the effect and returns whether
 * the test rejects. Power is the share of `simulations` data sets rejected.
 */
export function smallestDetectableEffect(
  rejects: (random: Random, effect: number) => boolean,
  options: { lo: number; hi: number; seed: number; simulations: number; targetPower?: number; steps?: number },
): DetectableEffect {
  const target = options.targetPower ?? 0.8;
  const steps = options.steps ?? 7;
  const power = (effect: number): number => {
    const random = new Random(options.seed);
    let hits = 0;
    for (let s = 0; s < options.simulations; s++) if (rejects(random, effect)) hits++;
    return hits / options.simulations;
  };
  const atHi = power(options.hi);
  if (atHi < target) return { effect: null, power: atHi, hi: options.hi, simulations: options.simulations };
  let lo = options.lo;
  let hi = options.hi;
  let powerHi = atHi;
  for (let i = 0; i < steps; i++) {
    const mid = (lo + hi) / 2;
    const pm = power(mid);
    if (pm >= target) {
      hi = mid;
      powerHi = pm;
    } else lo = mid;
  }
  return { effect: hi, power: powerHi, hi: options.hi, simulations: options.simulations };
}
