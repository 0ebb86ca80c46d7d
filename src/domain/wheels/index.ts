/**
 * Wheels (조합 축소): the fewest tickets over a player's pool of 7–20 numbers that guarantee a
 * match of m numbers whenever p of the drawn numbers are in the pool, every guarantee proved by
 * checking all p-subsets of the pool before the wheel is returned.
 *
 * Without fixed numbers a wheel comes from the shipped table (wheels over 1..T found offline by
 * bench/tools/build-wheel-table.ts; a wheel over any pool of T numbers is the same wheel with
 * the i-th smallest pool number for i), re-verified on every use. With fixed numbers (on every
 * ticket) it is searched for on the spot: seeded greedy plus annealing, and on small pools an
 * exact search for one ticket fewer.
 */
import { binomial, bitsOf } from './bits.js';
import { GUARANTEE_NAMES, guaranteeName, isSupported, STRENGTH_ORDER, strengthRank, type Guarantee } from './guarantee.js';
import { exactWheel, infeasibility, searchWheel, type CoverProblem } from './search.js';
import { WHEEL_TABLE_JSON } from './table.data.js';
import { MAX_POOL, TICKET_SIZE, verifyWheel, type WheelProof } from './verify.js';

export { GUARANTEE_NAMES, STRENGTH_ORDER, guaranteeName, implies, parseGuaranteeName, strengthRank, type Guarantee, type GuaranteeName } from './guarantee.js';
export { verifyWheel, drawsWithAtLeast, type WheelProof } from './verify.js';
export { PEER_SIZES } from './peer.js';

export const MIN_POOL = 7;
export { MAX_POOL };
/** At most five fixed numbers: a ticket needs a free place for the wheel to do anything. */
export const MAX_FIXED = TICKET_SIZE - 1;
export const WON_PER_TICKET = 1000;
export const DEFAULT_WHEEL_SEED = 16;

export interface Bilingual {
  ko: string;
  en: string;
}

/** Bad input: the field it is about and the reason in Korean and English. */
export class WheelInputError extends Error {
  readonly field: string;
  readonly reason: Bilingual;
  constructor(field: string, reason: Bilingual) {
    super(`${field}: ${reason.en}`);
    this.name = 'WheelInputError';
    this.field = field;
    this.reason = reason;
  }
}

export interface Considered {
  guarantee: Guarantee;
  /** The wheel's ticket count, or null when a counting bound already showed it cannot fit. */
  tickets: number | null;
  /** The counting lower bound on its ticket count. */
  lowerBound: number;
}

/** No guarantee fits the budget; `considered` says what each one takes. */
export class WheelBudgetError extends Error {
  readonly budget: number;
  readonly considered: readonly Considered[];
  readonly reason: Bilingual;
  constructor(budget: number, considered: readonly Considered[], reason: Bilingual) {
    super(reason.en);
    this.name = 'WheelBudgetError';
    this.budget = budget;
    this.considered = considered;
    this.reason = reason;
  }
}

export interface WheelSpec {
  pool: readonly number[];
  /** The guarantee wanted; optional when a budget is given (then the strongest that fits). */
  guarantee?: Guarantee;
  fixed?: readonly number[];
  /** Most tickets to buy. */
  budget?: number;
  /** Seed of the search (only used where a wheel is searched for, not taken from the table). */
  seed?: number;
}

export type WheelSource = 'table' | 'search' | 'exact';

export interface Wheel {
  pool: number[];
  fixed: number[];
  guarantee: Guarantee;
  /** Each ticket's six numbers, ascending; tickets in ascending order. */
  tickets: number[][];
  costWon: number;
  proof: WheelProof;
  source: WheelSource;
  /** The search seed when searched, null from the table. */
  seed: number | null;
  /** An exact search showed no wheel with fewer tickets exists. */
  minimal: boolean;
  budget: { limit: number; requested: Guarantee | null; considered: Considered[] } | null;
}

interface TableCell {
  tickets: number[];
  seed: number;
  proven: boolean;
}

let table: Record<string, TableCell> | null = null;
function tableCell(size: number, g: Guarantee): TableCell | undefined {
  const raw: unknown = WHEEL_TABLE_JSON;
  // The generated table's shape (bench/tools/build-wheel-table.ts); each wheel is verified before use anyway.
  table ??= (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, TableCell>;
  return table[`${size}:${guaranteeName(g)}`];
}

/** The shipped table's ticket count for a cell (no fixed numbers), or undefined. */
export function tableSize(size: number, g: Guarantee): number | undefined {
  return tableCell(size, g)?.tickets.length;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function fail(field: string, en: string, ko: string): never {
  throw new WheelInputError(field, { en, ko });
}

/** Checks a request and returns the sorted pool and fixed numbers; throws WheelInputError naming the field. */
export function validateWheelSpec(spec: WheelSpec): { pool: number[]; fixed: number[] } {
  // Checked as unknown: callers (API bodies, CLI) may pass anything.
  const raw = spec.pool as unknown;
  if (!Array.isArray(raw)) fail('pool', 'must be a list of numbers', '번호 목록이어야 합니다');
  raw.forEach((n: unknown, i: number) => {
    if (!isInt(n) || n < 1 || n > 45) fail(`pool[${i}]`, `must be a whole number from 1 to 45, got ${JSON.stringify(n)}`, `1부터 45 사이의 정수여야 합니다 (받은 값: ${JSON.stringify(n)})`);
  });
  const pool = [...(raw as number[])].sort((a, b) => a - b); // every element was just checked
  const dup = pool.find((n, i) => i > 0 && pool[i - 1] === n);
  if (dup !== undefined) fail('pool', `holds ${dup} more than once`, `${dup}번이 두 번 이상 들어 있습니다`);
  if (pool.length < MIN_POOL || pool.length > MAX_POOL)
    fail('pool', `must hold ${MIN_POOL} to ${MAX_POOL} numbers, got ${pool.length}`, `${MIN_POOL}~${MAX_POOL}개의 번호가 필요합니다 (받은 개수: ${pool.length})`);
  const rawFixed = (spec.fixed ?? []) as unknown;
  if (!Array.isArray(rawFixed)) fail('fixed', 'must be a list of numbers', '번호 목록이어야 합니다');
  rawFixed.forEach((n: unknown, i: number) => {
    if (!isInt(n) || n < 1 || n > 45) fail(`fixed[${i}]`, `must be a whole number from 1 to 45, got ${JSON.stringify(n)}`, `1부터 45 사이의 정수여야 합니다 (받은 값: ${JSON.stringify(n)})`);
    if (!pool.includes(n)) fail(`fixed[${i}]`, `${n} is not in the pool; fixed numbers must be pool numbers`, `${n}번은 풀에 없습니다. 고정수는 풀의 번호여야 합니다`);
  });
  const fixed = [...(rawFixed as number[])].sort((a, b) => a - b); // every element was just checked
  const fdup = fixed.find((n, i) => i > 0 && fixed[i - 1] === n);
  if (fdup !== undefined) fail('fixed', `holds ${fdup} more than once`, `${fdup}번이 두 번 이상 들어 있습니다`);
  if (fixed.length > MAX_FIXED) fail('fixed', `at most ${MAX_FIXED} fixed numbers (a ticket needs a free place), got ${fixed.length}`, `고정수는 최대 ${MAX_FIXED}개입니다 (받은 개수: ${fixed.length})`);
  if (spec.guarantee !== undefined && !isSupported(spec.guarantee))
    fail('guarantee', `unknown guarantee ${spec.guarantee.match}if${spec.guarantee.if}: use one of ${GUARANTEE_NAMES.join(', ')}`, `지원하지 않는 보장입니다: ${GUARANTEE_NAMES.join(', ')} 중 하나를 쓰세요`);
  if (spec.budget !== undefined && (!isInt(spec.budget) || spec.budget < 1)) fail('budget', `must be a whole number of tickets ≥ 1, got ${JSON.stringify(spec.budget)}`, `1 이상의 장수여야 합니다 (받은 값: ${JSON.stringify(spec.budget)})`);
  if (spec.guarantee === undefined && spec.budget === undefined) fail('guarantee', 'give a guarantee, a budget, or both', '보장 조건이나 예산(장수)을 지정하세요');
  if (spec.seed !== undefined && (!isInt(spec.seed) || spec.seed < 0)) fail('seed', `must be a whole number ≥ 0, got ${JSON.stringify(spec.seed)}`, `0 이상의 정수여야 합니다`);
  return { pool, fixed };
}

function problemFor(pool: number[], fixed: number[], g: Guarantee): CoverProblem {
  let fixedMask = 0;
  for (const f of fixed) fixedMask |= 1 << pool.indexOf(f);
  return { size: pool.length, match: g.match, if: g.if, fixedMask };
}

/** Counting bound: p-subsets to cover over the most one ticket can cover. */
export function lowerBound(pr: CoverProblem): number {
  const T = pr.size;
  let perTicket = 0;
  for (let j = pr.match; j <= pr.if; j++) perTicket += binomial(TICKET_SIZE, j) * binomial(T - TICKET_SIZE, pr.if - j);
  return Math.ceil(binomial(T, pr.if) / perTicket);
}

/**
 * A table wheel's tickets if they verify, null otherwise (the caller then searches instead), so a
 * damaged table can cost time but never hands out a wheel that fails.
 */
export function checkedTableTickets(size: number, g: Guarantee, tickets: readonly number[]): readonly number[] | null {
  try {
    return verifyWheel(size, tickets, g).held ? tickets : null;
  } catch {
    return null; // a ticket that is not six pool numbers
  }
}

interface Built {
  tickets: number[];
  source: WheelSource;
  seed: number | null;
  minimal: boolean;
}

/** Search effort on the request path (wheels with fixed numbers, or a table cell missing): bounded moves, see bench/wheels.ts. */
export const RUNTIME_MOVES_PER_LEVEL = 30_000;
export const RUNTIME_TOTAL_MOVES = 600_000;
/** Annealing work bound (moves × (tickets + 2 · swap reach)): about a second on the 2-core target, whatever the wheel. */
export const RUNTIME_MAX_WORK = 50_000_000;

function build(pr: CoverProblem, seed: number, target?: number): Built {
  if (pr.fixedMask === 0) {
    const cell = tableCell(pr.size, pr);
    if (cell && checkedTableTickets(pr.size, pr, cell.tickets)) return { tickets: cell.tickets, source: 'table', seed: null, minimal: cell.proven };
  }
  const found = searchWheel(pr, { seed, movesPerLevel: RUNTIME_MOVES_PER_LEVEL, totalMoves: RUNTIME_TOTAL_MOVES, maxWork: RUNTIME_MAX_WORK, ...(target !== undefined ? { target } : {}) });
  let tickets = found.tickets;
  let source: WheelSource = 'search';
  let minimal = false;
  if (pr.size <= 10) {
    // Small pools: the exact search tries one fewer until it fails or proves the size minimal.
    for (;;) {
      const e = exactWheel(pr, tickets.length - 1, 50_000);
      if (e.kind === 'found') {
        tickets = e.tickets;
        source = 'exact';
      } else {
        minimal = e.kind === 'none';
        break;
      }
    }
  }
  return { tickets, source, seed, minimal };
}

function toNumbers(pool: number[], tickets: number[]): number[][] {
  return tickets
    .map((t) => bitsOf(t).map((i) => pool[i]))
    .sort((a, b) => {
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
      return 0;
    });
}

function finish(pool: number[], fixed: number[], g: Guarantee, b: Built, budget: Wheel['budget']): Wheel {
  const proof = verifyWheel(pool.length, b.tickets, g);
  // Never hand out an unproved wheel: a failure here is a bug in the search or the table.
  if (!proof.held) throw new Error(`internal: the ${guaranteeName(g)} wheel on ${pool.length} numbers failed verification (${proof.failures} uncovered)`);
  const fixedMask = problemFor(pool, fixed, g).fixedMask;
  if (b.tickets.some((t) => (t & fixedMask) !== fixedMask)) throw new Error('internal: a ticket lacks a fixed number');
  return { pool, fixed, guarantee: g, tickets: toNumbers(pool, b.tickets), costWon: b.tickets.length * WON_PER_TICKET, proof, source: b.source, seed: b.seed, minimal: b.minimal, budget };
}

const named = (g: Guarantee): string => guaranteeName(g);

/**
 * The wheel for a request. With a guarantee and no budget: that guarantee's smallest wheel found.
 * With a budget: the requested guarantee if it fits, otherwise the strongest guarantee (weaker
 * than the requested one, when one was asked for) whose wheel fits; WheelBudgetError when none does.
 */
export function makeWheel(spec: WheelSpec): Wheel {
  const { pool, fixed } = validateWheelSpec(spec);
  const seed = spec.seed ?? DEFAULT_WHEEL_SEED;
  const requested = spec.guarantee ?? null;
  const checkFeasible = (g: Guarantee): string | null => infeasibility(problemFor(pool, fixed, g));
  if (spec.budget === undefined) {
    const g = requested as Guarantee; // validateWheelSpec refuses a spec with neither guarantee nor budget
    const why = checkFeasible(g);
    if (why) fail('fixed', `${why}: ${named(g)} is impossible`, `고정수 ${fixed.length}개로는 ${named(g)} 보장을 만들 수 없습니다 (티켓의 빈 자리가 ${TICKET_SIZE - fixed.length}개뿐입니다)`);
    return finish(pool, fixed, g, build(problemFor(pool, fixed, g), seed), null);
  }
  const limit = spec.budget;
  const strongestFirst = [...STRENGTH_ORDER].reverse().map((n) => ({ match: Number(n[0]), if: Number(n[3]) }));
  const candidates = requested === null ? strongestFirst : [requested, ...strongestFirst.filter((g) => strengthRank(g) < strengthRank(requested))];
  const considered: Considered[] = [];
  for (const g of candidates) {
    const pr = problemFor(pool, fixed, g);
    if (infeasibility(pr)) continue;
    const lb = lowerBound(pr);
    if (lb > limit) {
      // Cannot fit; the table still says how many it takes (searching with fixed numbers would cost time for nothing).
      considered.push({ guarantee: g, tickets: fixed.length === 0 ? (tableSize(pool.length, g) ?? null) : null, lowerBound: lb });
      continue;
    }
    const b = build(pr, seed, limit);
    considered.push({ guarantee: g, tickets: b.tickets.length, lowerBound: lb });
    if (b.tickets.length <= limit) return finish(pool, fixed, g, b, { limit, requested, considered });
  }
  const sized = considered.filter((c) => c.tickets !== null);
  const smallest = sized.sort((a, b) => (a.tickets as number) - (b.tickets as number))[0]; // `sized` holds only non-null counts
  const tail = smallest ? ` the smallest wheel found is ${named(smallest.guarantee)} with ${smallest.tickets} tickets` : ' no guarantee can be built with these fixed numbers';
  const tailKo = smallest ? ` 가장 작은 휠은 ${named(smallest.guarantee)} ${smallest.tickets}장입니다` : ' 이 고정수로는 만들 수 있는 보장이 없습니다';
  throw new WheelBudgetError(limit, considered, {
    en: `no ${requested ? `guarantee up to ${named(requested)}` : 'guarantee'} fits in ${limit} ticket${limit === 1 ? '' : 's'} on these ${pool.length} numbers:${tail}`,
    ko: `${pool.length}개 번호로 ${limit}장 안에 들어가는 보장이 없습니다.${tailKo}`,
  });
}

