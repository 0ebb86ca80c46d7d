// Option checking and p-value formatting for fairness reports, apart from the tests themselves:
// the server and the CLI validate and print without loading the statistics library
// (hundreds of small modules) until a report is really computed.
import { KNOWN_MACHINES } from '../machine.js';
import type { FairnessOptions } from './types.js';

export function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  if (p < 0.001) return '< 0.001';
  return p < 0.01 ? p.toFixed(3) : p.toFixed(2);
}

/** Checks options and fills in defaults; throws a plain-words Error on a bad value. */
export function validateFairnessOptions(options: FairnessOptions): Required<Omit<FairnessOptions, 'from' | 'to'>> & { from: number | null; to: number | null } {
  if (options.machines.length === 0) throw new Error('fairness needs at least one scope (a machine or "all")');
  for (const m of options.machines) {
    if (m !== 'all' && !KNOWN_MACHINES.includes(m)) throw new Error(`unknown machine ${String(m)}; expected 'all' or one of ${KNOWN_MACHINES.join(', ')}`);
  }
  if (!Number.isInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  const from = options.from ?? null;
  const to = options.to ?? null;
  if (from !== null && to !== null && from > to) throw new Error(`from (${from}) is after to (${to})`);
  const permutations = options.permutations ?? 2000;
  const nullSimulations = options.nullSimulations ?? 1000;
  const powerSimulations = options.powerSimulations ?? 200;
  const ljungBoxLags = options.ljungBoxLags ?? 10;
  for (const [name, v, min] of [
    ['permutations', permutations, 1],
    ['nullSimulations', nullSimulations, 20],
    ['powerSimulations', powerSimulations, 10],
    ['ljungBoxLags', ljungBoxLags, 1],
  ] as const) {
    if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${v}`);
  }
  return { machines: [...new Set(options.machines)], from, to, seed: options.seed, permutations, nullSimulations, powerSimulations, ljungBoxLags };
}

