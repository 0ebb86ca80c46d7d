import type { Machine } from '../../domain/machine.js';
import type { FirstPrizeSplit, LowerTiers } from '../../domain/prizes.js';
import type { Problem } from '../../domain/problems.js';

export type FormatName = 'resjson' | 'draws-csv' | 'machines-csv' | 'prizes-csv' | 'dhlottery';

/**
 * One record read from a file or a response: a full draw or a partial update of a stored round.
 * A field that is `undefined` means "this source does not say"; it never clears a stored value.
 * Values are already checked by the parser (numbers sorted, in range, distinct; bonus not among them).
 */
export interface IncomingRecord {
  /** File path, URL or other label, repeated in every problem. */
  source: string;
  /** 0-based position of the record in its source (CSV: data row, the header not counted). */
  index: number;
  round: number;
  date?: string;
  numbers?: readonly number[];
  bonus?: number;
  machine?: Machine;
  firstPrizeEach?: number;
  firstPrizeWinners?: number;
  totalSales?: number;
  memo?: string;
  /** Tiers 2–5 (winners, prize each), all four or none. */
  lowerTiers?: LowerTiers;
  firstPrizeSplit?: FirstPrizeSplit;
}

/** What every parser returns: the good records and a problem for each bad field of each bad record. */
export interface ParseResult {
  format: FormatName | 'unknown';
  source: string;
  records: IncomingRecord[];
  problems: Problem[];
}

/** The draw fields an incoming record may carry, in display order. */
export const RECORD_FIELDS = [
  'date', 'numbers', 'bonus', 'machine', 'firstPrizeEach', 'firstPrizeWinners', 'totalSales', 'memo', 'lowerTiers', 'firstPrizeSplit',
] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];
