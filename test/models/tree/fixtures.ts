// Small generated data sets for the tree tests (seeded, so every run sees the same numbers).
import { Random } from '../../../src/domain/random.js';
import { makeMatrix, type Matrix } from '../../../src/models/types.js';

/** Builds a matrix from rows of numbers. */
export function matrixOf(rows: number[][]): Matrix {
  const cols = rows[0].length;
  const m = makeMatrix(rows.length, cols);
  rows.forEach((r, i) => r.forEach((v, j) => (m.data[i * cols + j] = v)));
  return m;
}

/** n rows of d uniform [0,1) features. */
export function uniformMatrix(n: number, d: number, seed: number): Matrix {
  const rng = new Random(seed);
  const m = makeMatrix(n, d);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.nextFloat();
  return m;
}

export function targetOf(X: Matrix, fn: (row: (f: number) => number, i: number) => number): Float32Array {
  const y = new Float32Array(X.rows);
  for (let r = 0; r < X.rows; r++) y[r] = fn((f) => X.data[r * X.cols + f], r);
  return y;
}

export function mse(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

/** Noisy regression problem: y = sin(2π x0) + x1 + N(0, noise²); the other features are noise. */
export function noisyProblem(n: number, d: number, noise: number, seed: number): { X: Matrix; y: Float32Array; clean: Float32Array } {
  const X = uniformMatrix(n, d, seed);
  const rng = new Random(seed + 1000);
  const clean = targetOf(X, (x) => Math.sin(2 * Math.PI * x(0)) + x(1));
  const y = clean.map((v) => v + noise * rng.nextNormal());
  return { X, y, clean };
}

/** Decodes a base64 little-endian Int32 array from a saved tree (independent of the library's decoder). */
export function int32FromBase64(s: string): Int32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Int32Array(b.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = b.readInt32LE(i * 4);
  return out;
}

export function int32ToBase64(a: Int32Array): string {
  const b = Buffer.alloc(a.length * 4);
  a.forEach((v, i) => b.writeInt32LE(v, i * 4));
  return b.toString('base64');
}

export function float64FromBase64(s: string): Float64Array {
  const b = Buffer.from(s, 'base64');
  const out = new Float64Array(b.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = b.readDoubleLE(i * 8);
  return out;
}

/** Depth of a saved tree by breadth-first walk over its left/right arrays. */
export function savedTreeDepth(tree: { left: string; right: string; feature: string }): number {
  const left = int32FromBase64(tree.left);
  const right = int32FromBase64(tree.right);
  const feature = int32FromBase64(tree.feature);
  let depth = 0;
  let level = [0];
  for (;;) {
    const next: number[] = [];
    for (const n of level) if (feature[n] >= 0) next.push(left[n], right[n]);
    if (next.length === 0) return depth;
    depth++;
    level = next;
  }
}
