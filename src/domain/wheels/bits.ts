/**
 * Bit-set helpers for wheels. A pool of T ≤ 20 numbers is indexed 0..T-1 (ascending), and any
 * subset of it (a ticket, a draw's pool part) is a T-bit integer mask, so "how many numbers does
 * this ticket share with that draw" is one AND and a popcount.
 */

/** Number of set bits of a 32-bit integer. */
export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** C(n, k) as an exact integer (n ≤ 60 keeps it exact in a double). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  const kk = Math.min(k, n - k);
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i;
  return Math.round(r);
}

/** The next larger integer with the same popcount (Gosper's hack); 32-bit safe for masks below 2^30. */
export function nextSameCount(x: number): number {
  const c = x & -x;
  const r = x + c;
  return (((r ^ x) >>> 2) / c) | r;
}

/** Every k-subset of {0..n-1} as a mask, in increasing order. */
export function allSubsets(n: number, k: number): Int32Array {
  const out = new Int32Array(binomial(n, k));
  if (k === 0) return out; // the one empty subset, mask 0
  let x = (1 << k) - 1;
  const limit = 1 << n;
  for (let i = 0; x < limit; i++) {
    out[i] = x;
    x = nextSameCount(x);
  }
  return out;
}

/** The indices of the set bits of `mask`, ascending. */
export function bitsOf(mask: number): number[] {
  const out: number[] = [];
  for (let m = mask, i = 0; m !== 0; m >>>= 1, i++) if (m & 1) out.push(i);
  return out;
}

/** A mask from bit indices. */
export function maskOf(indices: readonly number[]): number {
  let m = 0;
  for (const i of indices) m |= 1 << i;
  return m;
}

/**
 * Writes every r-subset of the set bits of `mask` into `out` (as masks) and returns how many.
 * `out` must hold C(popcount(mask), r) entries.
 */
export function subsetsOfMask(mask: number, r: number, out: Int32Array): number {
  const elems = bitsOf(mask);
  const n = elems.length;
  if (r > n) return 0;
  if (r === 0) {
    out[0] = 0;
    return 1;
  }
  const idx = new Int32Array(r);
  for (let i = 0; i < r; i++) idx[i] = i;
  let count = 0;
  for (;;) {
    let m = 0;
    for (let i = 0; i < r; i++) m |= 1 << elems[idx[i]];
    out[count++] = m;
    let i = r - 1;
    while (i >= 0 && idx[i] === n - r + i) i--;
    if (i < 0) return count;
    idx[i]++;
    for (let j = i + 1; j < r; j++) idx[j] = idx[j - 1] + 1;
  }
}
