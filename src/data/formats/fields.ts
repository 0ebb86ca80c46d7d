// Field checks shared by the parsers. Each failed check adds one Problem naming the record and the
// field as the file spells it, so a user can find it; checks never stop at the first failure.
import { isValidDate, MAX_NUMBER, MIN_NUMBER, NUMBERS_PER_DRAW } from '../../domain/draw.js';
import { KNOWN_MACHINES, formatMachine, parseMachine, type Machine } from '../../domain/machine.js';
import { show, type Problem } from '../../domain/problems.js';
import type { IncomingRecord } from './types.js';

/** How integers are written in a format: JSON numbers, text (CSV), or either (the official API). */
export type IntStyle = 'number' | 'text' | 'either';

const INT_TEXT = /^\s*\d+\s*$/;

/** The integer in `v`, or undefined when `v` is not a non-negative integer written in `style`. */
export function readInt(v: unknown, style: IntStyle): number | undefined {
  if (typeof v === 'number') return style !== 'text' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === 'string' && style !== 'number' && INT_TEXT.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

export const MACHINE_FORMS = `1, "1" or "1호기" (a positive integer; known: ${KNOWN_MACHINES.map(formatMachine).join(', ')})`;

/** Collects the problems of one record. */
export class RecordCheck {
  readonly problems: Problem[] = [];
  round: number | undefined;

  constructor(
    readonly source: string,
    readonly index: number,
    private readonly style: IntStyle,
  ) {}

  add(field: string, expected: string, found: unknown): void {
    this.addRaw(field, expected, show(found));
  }

  /** Like add, with `found` already rendered for people. */
  addRaw(field: string, expected: string, found: string): void {
    const p: Problem = { source: this.source, index: this.index, field, expected, found };
    if (this.round !== undefined) p.round = this.round;
    this.problems.push(p);
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  readRound(v: unknown, field: string): number | undefined {
    const n = readInt(v, this.style);
    if (n === undefined || n < 1) {
      this.add(field, 'a round number (integer ≥ 1)', v);
      return undefined;
    }
    this.round = n;
    return n;
  }

  /** Six distinct integers in 1..45, returned sorted. */
  readNumbers(values: readonly unknown[], field: string): number[] | undefined {
    if (values.length !== NUMBERS_PER_DRAW) {
      this.add(field, `${NUMBERS_PER_DRAW} numbers`, values);
      return undefined;
    }
    const nums = values.map((v) => readInt(v, this.style));
    if (nums.some((n) => n === undefined || n < MIN_NUMBER || n > MAX_NUMBER)) {
      this.add(field, `integers in ${MIN_NUMBER}..${MAX_NUMBER}`, values);
      return undefined;
    }
    if (new Set(nums).size !== NUMBERS_PER_DRAW) {
      this.add(field, `${NUMBERS_PER_DRAW} distinct numbers`, values);
      return undefined;
    }
    return (nums as number[]).sort((a, b) => a - b);
  }

  /** In 1..45 and, when the numbers are known, not among them. */
  readBonus(v: unknown, numbers: readonly number[] | undefined, field: string): number | undefined {
    const n = readInt(v, this.style);
    if (n === undefined || n < MIN_NUMBER || n > MAX_NUMBER) {
      this.add(field, `an integer in ${MIN_NUMBER}..${MAX_NUMBER}`, v);
      return undefined;
    }
    if (numbers?.includes(n)) {
      this.add(field, 'a bonus number not among the six winning numbers', v);
      return undefined;
    }
    return n;
  }

  /** A calendar date. `compact` accepts YYYYMMDD (the official API) and returns YYYY-MM-DD. */
  readDate(v: unknown, field: string, compact = false): string | undefined {
    if (typeof v === 'string') {
      const s = v.trim();
      const iso = compact && /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}` : s;
      if (!compact || /^\d{8}$/.test(s)) {
        if (isValidDate(iso)) return iso;
      }
    }
    this.add(field, compact ? 'a calendar date YYYYMMDD' : 'a calendar date YYYY-MM-DD', v);
    return undefined;
  }

  /** Blank/null means "not labelled" (undefined); anything else must be a machine. */
  readOptionalMachine(v: unknown, field: string): Machine | undefined {
    if (isBlank(v)) return undefined;
    try {
      return parseMachine(v);
    } catch {
      this.add(field, MACHINE_FORMS, v);
      return undefined;
    }
  }

  /** A non-negative integer that must be present (KRW amounts, counts). */
  readCount(v: unknown, field: string): number | undefined {
    const n = readInt(v, this.style);
    if (n === undefined) this.add(field, 'a non-negative integer', v);
    return n;
  }

  /** Blank/null means unknown; otherwise a non-negative integer (KRW amounts, counts). */
  readOptionalCount(v: unknown, field: string): number | undefined {
    if (isBlank(v)) return undefined;
    const n = readInt(v, this.style);
    if (n === undefined) this.add(field, 'a non-negative integer or nothing', v);
    return n;
  }

  /** Blank/null means no memo. */
  readOptionalMemo(v: unknown, field: string): string | undefined {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'string') return v;
    this.add(field, 'text or nothing', v);
    return undefined;
  }
}

/** One problem for each record whose round already appeared earlier in the same source. */
export class DuplicateRounds {
  private readonly first = new Map<number, number>();
  check(c: RecordCheck, round: number | undefined, field: string): void {
    if (round === undefined) return;
    const earlier = this.first.get(round);
    if (earlier === undefined) this.first.set(round, c.index);
    else c.addRaw(field, `each round once per file (round ${round} is already record ${earlier})`, `round ${round} again`);
  }
}

/** Drop undefined fields so "not given" stays distinguishable from a value. */
export function record(r: IncomingRecord): IncomingRecord {
  const out: IncomingRecord = { ...r };
  // Object.keys loses the key type; source, index and round are required, so never undefined and never dropped.
  for (const k of Object.keys(out) as Exclude<keyof IncomingRecord, 'source' | 'index' | 'round'>[]) if (out[k] === undefined) delete out[k];
  return out;
}
