/**
 * Seeded pseudo-random numbers. Everything random in hogi (bootstrap samples,
 * feature subsets, shuffles, generated sets) draws from a `Random` built from
 * an explicit seed, so the same seed always reproduces the same result.
 *
 * Generator: sfc32 (128-bit state, fast with 32-bit integer ops), its state
 * expanded from the 32-bit seed with splitmix32 so that nearby seeds
 * (42, 43, ...) give unrelated streams.
 */

/** One splitmix32 step: returns [next state, output]. */
function splitmix32(state: number): [number, number] {
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  z ^= z >>> 15;
  return [s, z >>> 0];
}

/** Writable array-like that `shuffle` can permute in place. */
export interface MutableArrayLike<T> {
  length: number;
  [index: number]: T;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is any finite number; it is reduced to 32 bits. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Random seed must be a finite number, got ${seed}`);
    let s = Math.trunc(seed) | 0;
    let out: number;
    [s, out] = splitmix32(s);
    this.a = out | 0;
    [s, out] = splitmix32(s);
    this.b = out | 0;
    [s, out] = splitmix32(s);
    this.c = out | 0;
    [s, out] = splitmix32(s);
    this.d = out | 0;
    // Discard a few outputs so the state is well mixed before first use.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * Uniform integer in [0, n). n must be a positive integer ≤ 2^32.
   * Uses the multiply-high mapping; its bias (< n / 2^32) is irrelevant at hogi's sizes.
   */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new Error(`nextInt bound must be an integer in [1, 2^32], got ${n}`);
    }
    return Math.floor(this.nextFloat() * n);
  }

  /** Standard normal sample (Box–Muller; one value per call for simplicity). */
  nextNormal(): number {
    let u = 0;
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T, A extends MutableArrayLike<T>>(arr: A): A {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  }

  /** `k` distinct indices from [0, n), in random order (partial Fisher–Yates). */
  sampleIndices(n: number, k: number): Int32Array {
    if (!Number.isInteger(k) || k < 0 || k > n) throw new Error(`cannot sample ${k} distinct indices from ${n}`);
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.nextInt(n - i);
      const tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
    }
    return pool.slice(0, k);
  }

  /** A new independent generator seeded from this one (for per-tree / per-worker streams). */
  fork(): Random {
    return new Random(this.nextUint32() | 0);
  }
}

/** Convenience constructor. */
export function createRandom(seed: number): Random {
  return new Random(seed);
}
