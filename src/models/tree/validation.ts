// Input checks shared by every tree estimator: clear messages instead of silent NaN trees.
import type { Matrix } from '../types.js';

/** Throws unless X is a well-formed matrix of finite values with at least one row and column. */
export function checkMatrix(X: Matrix, who: string, expectedCols?: number): void {
  if (!X || !(X.data instanceof Float32Array)) throw new Error(`${who}: X must be a Matrix with Float32Array data`);
  const { rows, cols, data } = X;
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`${who}: X must have at least one row, got rows=${rows}`);
  if (!Number.isInteger(cols) || cols < 1) throw new Error(`${who}: X must have at least one column, got cols=${cols}`);
  if (data.length !== rows * cols) {
    throw new Error(`${who}: X.data has ${data.length} values but rows×cols = ${rows}×${cols} = ${rows * cols}`);
  }
  if (expectedCols !== undefined && cols !== expectedCols) {
    throw new Error(`${who}: X has ${cols} features but the model was fitted with ${expectedCols}`);
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is NaN for NaN and ±Infinity, 0 otherwise: one comparison per value.
    if (v - v !== 0) {
      throw new Error(`${who}: X has a non-finite value ${v} at row ${Math.floor(i / cols)}, column ${i % cols}`);
    }
  }
}

/** Throws unless y has one finite value per row of X. */
export function checkTarget(y: Float32Array, rows: number, who: string): void {
  if (!(y instanceof Float32Array)) throw new Error(`${who}: y must be a Float32Array`);
  if (y.length !== rows) throw new Error(`${who}: y has ${y.length} values but X has ${rows} rows`);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v - v !== 0) throw new Error(`${who}: y has a non-finite value ${v} at index ${i}`);
  }
}

/** Problems with one numeric parameter, or null when fine. */
export function checkInt(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): string | null {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    return `${name} must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}], got ${JSON.stringify(v)}`;
  }
  return null;
}

export function checkNumber(name: string, v: unknown, min: number, max: number, minOpen = false): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || v > max || (minOpen ? v <= min : v < min)) {
    return `${name} must be a number in ${minOpen ? '(' : '['}${min}, ${max}], got ${JSON.stringify(v)}`;
  }
  return null;
}

/** Throws one error listing every bad parameter. */
export function throwIfProblems(who: string, problems: Array<string | null>): void {
  const bad = problems.filter((p): p is string => p !== null);
  if (bad.length > 0) throw new Error(`${who}: invalid params: ${bad.join('; ')}`);
}
