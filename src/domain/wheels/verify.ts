/**
 * The wheel verifier: proves (or refutes) an m-if-p guarantee by checking every p-subset of the
 * pool. Each ticket marks the p-subsets it meets in ≥ m numbers (its j-subsets, j ≥ m, joined with
 * (p − j)-subsets of the numbers off the ticket) in a 2^T table; then every p-subset is looked up.
 * T ≤ 20 keeps the table at 1 MiB and the work at C(20, 6) = 38,760 look-ups plus the marks.
 */
import { binomial, nextSameCount, popcount, subsetsOfMask } from './bits.js';
import type { Guarantee } from './guarantee.js';

export const MAX_POOL = 20;
export const TICKET_SIZE = 6;
export const LOTTO_NUMBERS = 45;

export interface WheelProof {
  /** p-subsets of the pool checked: C(T, p). Each one stands for every draw that contains it. */
  readonly subsetsChecked: number;
  /** The full 6-of-45 draws with at least p numbers in the pool: every one of them is covered when held. */
  readonly drawsCovered: number;
  /** p-subsets that no ticket meets in ≥ m numbers (0 when the guarantee holds). */
  readonly failures: number;
  /** The first failing p-subset (pool indices), or null. */
  readonly counterexample: number[] | null;
  readonly held: boolean;
}

/** 6-of-45 draws with at least `p` of their numbers in a pool of `size`. */
export function drawsWithAtLeast(size: number, p: number): number {
  let n = 0;
  for (let j = p; j <= TICKET_SIZE; j++) n += binomial(size, j) * binomial(LOTTO_NUMBERS - size, TICKET_SIZE - j);
  return n;
}

/**
 * Checks `tickets` (masks over pool indices 0..size-1, six bits each) against the guarantee.
 * Throws on malformed input (a ticket with other than six pool numbers), since a proof about
 * something that is not a wheel would be meaningless.
 */
export function verifyWheel(size: number, tickets: ArrayLike<number>, g: Guarantee): WheelProof {
  if (!Number.isInteger(size) || size < 1 || size > MAX_POOL) throw new Error(`pool size must be 1..${MAX_POOL}, got ${size}`);
  const { match: m, if: p } = g;
  if (!(m >= 1 && m <= p && p <= size && p <= TICKET_SIZE)) throw new Error(`guarantee ${m}if${p} does not fit a pool of ${size}`);
  const all = (1 << size) - 1;
  const covered = new Uint8Array(1 << size);
  const inBuf = new Int32Array(binomial(TICKET_SIZE, 3));
  const outBuf = new Int32Array(binomial(MAX_POOL, 3) + 1);
  for (let t = 0; t < tickets.length; t++) {
    const ticket = tickets[t];
    if ((ticket & ~all) !== 0 || popcount(ticket) !== TICKET_SIZE) throw new Error(`ticket ${t} is not six numbers of the pool`);
    const off = all & ~ticket;
    for (let j = Math.max(m, p - (size - TICKET_SIZE)); j <= p; j++) {
      const nIn = subsetsOfMask(ticket, j, inBuf);
      const nOut = subsetsOfMask(off, p - j, outBuf);
      for (let a = 0; a < nIn; a++) for (let c = 0; c < nOut; c++) covered[inBuf[a] | outBuf[c]] = 1;
    }
  }
  let failures = 0;
  let counterexample: number[] | null = null;
  let checked = 0;
  for (let d = (1 << p) - 1; d <= all; d = nextSameCount(d)) {
    checked++;
    if (covered[d] === 0) {
      failures++;
      if (counterexample === null) counterexample = indices(d);
    }
    if (d === all) break;
  }
  return { subsetsChecked: checked, drawsCovered: drawsWithAtLeast(size, p), failures, counterexample, held: failures === 0 };
}

function indices(mask: number): number[] {
  const out: number[] = [];
  for (let i = 0; mask !== 0; i++, mask >>>= 1) if (mask & 1) out.push(i);
  return out;
}
