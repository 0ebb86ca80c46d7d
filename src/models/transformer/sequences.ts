/**
 * Draw sequences → model inputs. A token is one draw, encoded as a multi-hot row
 * over the 46-entry vocabulary (index 0 = padding, index n = number n), so that
 * multiHot × embedding sums the six number embeddings with a plain matMul.
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW, type Draw } from '../../domain/draw.js';
import type { Machine } from '../../domain/machine.js';

export const VOCAB_SIZE = MAX_NUMBER + 1;
export const PAD_INDEX = 0;

/** The draws a model with this `machine` setting sees, in round order. */
export function drawsForMachine(history: readonly Draw[], machine: Machine | 'all'): Draw[] {
  const picked = machine === 'all' ? [...history] : history.filter((d) => d.machine === machine);
  for (const d of picked) {
    if (d.numbers.length !== NUMBERS_PER_DRAW || !d.numbers.every((n) => Number.isInteger(n) && n >= 1 && n <= MAX_NUMBER)) {
      throw new Error(`round ${d.round}: expected ${NUMBERS_PER_DRAW} numbers in 1..${MAX_NUMBER}, got ${JSON.stringify(d.numbers)}`);
    }
  }
  return picked.sort((a, b) => a.round - b.round);
}

/**
 * Multi-hot rows for `windows` (each a list of draws' numbers), laid out as
 * [windows.length, length, VOCAB_SIZE]. Windows are left-aligned (first draw at
 * position 0) and right-padded with the padding token; under the causal mask the
 * padding never influences the real positions before it.
 */
export function encodeWindows(windows: readonly (readonly (readonly number[])[])[], length: number): Float32Array {
  const out = new Float32Array(windows.length * length * VOCAB_SIZE);
  windows.forEach((window, b) => {
    if (window.length > length) throw new Error(`window of ${window.length} draws does not fit length ${length}`);
    for (let pos = 0; pos < length; pos++) {
      const row = (b * length + pos) * VOCAB_SIZE;
      if (pos < window.length) for (const n of window[pos]) out[row + n] = 1;
      else out[row + PAD_INDEX] = 1;
    }
  });
  return out;
}

/**
 * Start offsets of training chunks over a sequence of `count` draws. A chunk is
 * `length` = min(seqLen, count − 1) consecutive draws; position i of a chunk is
 * trained to predict the draw after it, so a chunk needs one more draw after it.
 * Starts step by `stride`; a final chunk is anchored to the end so every target is used.
 */
export function chunkStarts(count: number, seqLen: number, stride: number): { starts: number[]; length: number } {
  const length = Math.min(seqLen, count - 1);
  if (length < 1) return { starts: [], length: 0 };
  const last = count - 1 - length;
  const starts: number[] = [];
  for (let s = 0; s <= last; s += stride) starts.push(s);
  if (starts[starts.length - 1] !== last) starts.push(last);
  return { starts, length };
}
