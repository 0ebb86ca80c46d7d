// "Has this combination ever won?": every stored draw as a 45-bit mask (two 32-bit words), so
// one combination is ranked against the whole history with a few integer operations per draw.
import type { Draw } from '../draw.js';
import type { Rank } from './prize.js';

export interface DrawMaskIndex {
  rounds: Int32Array;
  /** Numbers 1..31 as bits 0..30 of `low`, 32..45 as bits 0..13 of `high`. */
  low: Uint32Array;
  high: Uint32Array;
  bonus: Uint8Array;
}

function bit(n: number): { low: number; high: number } {
  return n <= 31 ? { low: (1 << (n - 1)) >>> 0, high: 0 } : { low: 0, high: (1 << (n - 32)) >>> 0 };
}

export function maskOf(numbers: readonly number[]): { low: number; high: number } {
  let low = 0;
  let high = 0;
  for (const n of numbers) {
    const b = bit(n);
    low = (low | b.low) >>> 0;
    high = (high | b.high) >>> 0;
  }
  return { low, high };
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function buildDrawMaskIndex(draws: readonly Pick<Draw, 'round' | 'numbers' | 'bonus'>[]): DrawMaskIndex {
  const n = draws.length;
  const index: DrawMaskIndex = { rounds: new Int32Array(n), low: new Uint32Array(n), high: new Uint32Array(n), bonus: new Uint8Array(n) };
  draws.forEach((d, i) => {
    const m = maskOf(d.numbers);
    index.rounds[i] = d.round;
    index.low[i] = m.low;
    index.high[i] = m.high;
    index.bonus[i] = d.bonus;
  });
  return index;
}

export interface HistoricWin {
  round: number;
  matches: number;
  bonusMatch: boolean;
  rank: Rank;
}

/** Every indexed round in which `numbers` (six distinct numbers 1..45) would have won, oldest first. */
export function winsOf(index: DrawMaskIndex, numbers: readonly number[]): HistoricWin[] {
  const m = maskOf(numbers);
  const has = new Uint8Array(46);
  for (const n of numbers) has[n] = 1;
  const out: HistoricWin[] = [];
  for (let i = 0; i < index.rounds.length; i++) {
    const matches = popcount((index.low[i] & m.low) >>> 0) + popcount((index.high[i] & m.high) >>> 0);
    if (matches < 3) continue;
    const bonusMatch = has[index.bonus[i]] === 1;
    const rank: Rank = matches === 6 ? 1 : matches === 5 ? (bonusMatch ? 2 : 3) : matches === 4 ? 4 : 5;
    out.push({ round: index.rounds[i], matches, bonusMatch, rank });
  }
  return out;
}
