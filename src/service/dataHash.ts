import { createHash } from 'node:crypto';
import type { Draw } from '../domain/draw.js';

/**
 * Identifies exactly which data a model saw: rounds, numbers, bonus and machine of every draw.
 * Its own module so that code that only compares hashes (stacking files, backtests) does not
 * import the training code and the model classes with it.
 */
export function dataHash(draws: readonly Draw[]): string {
  const h = createHash('sha256');
  for (const d of draws) h.update(`${d.round}:${d.numbers.join(',')}+${d.bonus}@${d.machine ?? '-'};`);
  return h.digest('hex').slice(0, 16);
}
