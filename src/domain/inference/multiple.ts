/** Multiple-comparison correction. */

/**
 * Holm's step-down adjusted p-values, in the input order: sort ascending, multiply the
 * i-th smallest (0-based) by (m − i), keep the running maximum, cap at 1. Rejecting
 * where adjusted p ≤ α controls the family-wise error rate at α. NaN entries are
 * left out of the family and stay NaN.
 */
export function holm(pValues: readonly number[]): number[] {
  const idx = pValues.map((p, i) => ({ p, i })).filter((x) => !Number.isNaN(x.p));
  for (const { p } of idx) if (!(p >= 0 && p <= 1)) throw new Error(`p-value ${p} is not in [0, 1]`);
  idx.sort((a, b) => a.p - b.p);
  const m = idx.length;
  const out = pValues.map(() => Number.NaN);
  let running = 0;
  idx.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}
