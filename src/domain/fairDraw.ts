/**
 * Exact distributions of per-draw statistics under a fair draw: every k-of-n combination equally
 * likely. The dashboard plots them beside the observed draws ("what chance alone looks like").
 * Counts are over all C(n, k) combinations, so each distribution sums to C(n, k) exactly.
 */

export interface ExactDistribution {
  /** The statistic's possible values, ascending (every value from the minimum to the maximum). */
  values: number[];
  /** How many combinations give each value. */
  counts: number[];
  /** C(n, k): the number of combinations. */
  total: number;
}

export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - i + 1)) / i;
  return Math.round(r);
}

function check(n: number, k: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(k) || k < 1 || k > n || n > 64) throw new RangeError(`need integers 1 <= k <= n <= 64, got n=${n} k=${k}`);
}

/** Total sum of the k numbers: subset-sum counting by dynamic programming over the numbers 1..n. */
export function sumDistribution(n = 45, k = 6): ExactDistribution {
  check(n, k);
  const maxSum = (k * (2 * n - k + 1)) / 2;
  // ways[j][s]: subsets of size j of the numbers seen so far with sum s.
  const ways: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(maxSum + 1).fill(0));
  ways[0][0] = 1;
  for (let x = 1; x <= n; x++) {
    for (let j = Math.min(k, x); j >= 1; j--) {
      const from = ways[j - 1];
      const to = ways[j];
      for (let s = maxSum; s >= x; s--) to[s] += from[s - x];
    }
  }
  const minSum = (k * (k + 1)) / 2;
  const values: number[] = [];
  const counts: number[] = [];
  for (let s = minSum; s <= maxSum; s++) {
    values.push(s);
    counts.push(ways[k][s]);
  }
  return { values, counts, total: binomial(n, k) };
}

/** How many of the k numbers are odd: hypergeometric over the ⌈n/2⌉ odd numbers. */
export function oddCountDistribution(n = 45, k = 6): ExactDistribution {
  check(n, k);
  const odd = Math.ceil(n / 2);
  const even = n - odd;
  const values: number[] = [];
  const counts: number[] = [];
  for (let j = 0; j <= k; j++) {
    values.push(j);
    counts.push(binomial(odd, j) * binomial(even, k - j));
  }
  return { values, counts, total: binomial(n, k) };
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * AC value (distinct positive pairwise differences minus k − 1, as domain/stats acValue) by
 * enumerating every combination. Differences are kept as two 32-bit masks built up level by level,
 * so a 6-of-45 pass (8,145,060 combinations) stays a fraction of a second.
 */
export function acValueDistribution(n = 45, k = 6): ExactDistribution {
  check(n, k);
  const pairs = (k * (k - 1)) / 2;
  const maxAc = Math.min(pairs, n - 1) - (k - 1);
  const byDistinct = new Array<number>(pairs + 1).fill(0);
  const chosen = new Int32Array(k);
  const lo = new Int32Array(k + 1);
  const hi = new Int32Array(k + 1);

  const visit = (level: number, start: number): void => {
    for (let x = start; x <= n - (k - 1 - level); x++) {
      let l = lo[level];
      let h = hi[level];
      for (let i = 0; i < level; i++) {
        const d = x - chosen[i]; // 1..63
        if (d <= 32) l |= 1 << (d - 1);
        else h |= 1 << (d - 33);
      }
      if (level === k - 1) {
        byDistinct[popcount32(l) + popcount32(h)]++;
      } else {
        chosen[level] = x;
        lo[level + 1] = l;
        hi[level + 1] = h;
        visit(level + 1, x + 1);
      }
    }
  };
  visit(0, 1);

  const values: number[] = [];
  const counts: number[] = [];
  for (let ac = 0; ac <= Math.max(0, maxAc); ac++) {
    values.push(ac);
    counts.push(byDistinct[ac + k - 1] ?? 0);
  }
  return { values, counts, total: binomial(n, k) };
}
