/**
 * Wheels that arrive from outside or are relabelled, proved again before anyone may use them.
 *
 * A wheel's guarantee depends only on which tickets share which pool numbers, so any permutation
 * of the pool numbers (a relabelling) gives a wheel with the same guarantee and ticket count.
 * Fixed numbers are on every ticket and must stay there, so a relabelling moves only the free
 * (non-fixed) pool numbers among themselves. Both functions verify the result on every call.
 */
import { guaranteeName, type Guarantee } from './guarantee.js';
import { validateWheelSpec, WheelInputError, WON_PER_TICKET, type Wheel } from './index.js';
import { TICKET_SIZE, verifyWheel, type WheelProof } from './verify.js';

/** A wheel the caller holds (say, one shown earlier), verified now. */
export type CheckedWheel = Pick<Wheel, 'pool' | 'fixed' | 'guarantee' | 'tickets' | 'costWon' | 'proof'>;

const fail = (field: string, en: string, ko: string): never => {
  throw new WheelInputError(field, { en, ko });
};

/**
 * Checks a wheel given as numbers: the pool and fixed numbers as for a request, every ticket six
 * distinct pool numbers holding every fixed number, and the guarantee proved over all p-subsets of
 * the pool. Throws WheelInputError naming the field (a failing guarantee names a draw it misses).
 */
export function checkGivenWheel(given: { pool: readonly number[]; guarantee: Guarantee; fixed?: readonly number[]; tickets: readonly (readonly number[])[] }): CheckedWheel {
  if (given.guarantee === undefined || given.guarantee === null) fail('guarantee', 'is required', '보장 조건이 필요합니다');
  const { pool, fixed } = validateWheelSpec({ pool: given.pool, guarantee: given.guarantee, fixed: given.fixed });
  const raw = given.tickets as unknown; // API bodies and CLI callers may pass anything
  if (!Array.isArray(raw) || raw.length === 0) fail('tickets', 'must be a non-empty list of tickets', '티켓 목록이 비어 있습니다');
  const index = new Map(pool.map((n, i) => [n, i]));
  const masks: number[] = [];
  const tickets: number[][] = [];
  (raw as unknown[]).forEach((t, i) => {
    if (!Array.isArray(t) || t.length !== TICKET_SIZE) fail(`tickets[${i}]`, 'must be six numbers', '여섯 개의 번호여야 합니다');
    let mask = 0;
    for (const n of t as unknown[]) {
      const at = typeof n === 'number' ? index.get(n) : undefined;
      if (at === undefined) fail(`tickets[${i}]`, `${JSON.stringify(n)} is not a pool number`, `${JSON.stringify(n)}번은 풀의 번호가 아닙니다`);
      if (mask & (1 << (at as number))) fail(`tickets[${i}]`, `holds ${String(n)} more than once`, `${String(n)}번이 두 번 들어 있습니다`);
      mask |= 1 << (at as number); // checked just above
    }
    const missing = fixed.filter((f) => !(t as number[]).includes(f));
    if (missing.length > 0) fail(`tickets[${i}]`, `lacks the fixed number ${missing.join(', ')}`, `고정수 ${missing.join(', ')}번이 빠져 있습니다`);
    masks.push(mask);
    tickets.push([...(t as number[])].sort((a, b) => a - b));
  });
  const proof = verifyWheel(pool.length, masks, given.guarantee);
  if (!proof.held) {
    const miss = (proof.counterexample ?? []).map((i) => pool[i]);
    const { match: m, if: p } = given.guarantee;
    fail(
      'tickets',
      `do not hold ${guaranteeName(given.guarantee)}: ${proof.failures} of the ${proof.subsetsChecked} ways ${p} drawn numbers can fall in the pool meet no ticket in ${m}, e.g. ${miss.join(', ')}`,
      `${guaranteeName(given.guarantee)} 보장이 성립하지 않습니다: 풀에 ${p}개가 들어오는 ${proof.subsetsChecked}가지 중 ${proof.failures}가지에서 ${m}개 맞는 티켓이 없습니다 (예: ${miss.join(', ')})`,
    );
  }
  return { pool, fixed, guarantee: given.guarantee, tickets: sortTickets(tickets), costWon: tickets.length * WON_PER_TICKET, proof };
}

function sortTickets(tickets: number[][]): number[][] {
  return tickets.sort((a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
  });
}

/**
 * The same wheel with its pool numbers relabelled: `labels[i]` is the pool number that takes the
 * place of `w.pool[i]` (the i-th smallest). `labels` must be a permutation of the pool that keeps
 * every fixed number in place. The result is verified again; a failure would be a bug and throws.
 */
export function relabelWheel(w: Wheel, labels: readonly number[]): Wheel {
  const T = w.pool.length;
  if (labels.length !== T || [...labels].sort((a, b) => a - b).some((n, i) => n !== w.pool[i])) throw new Error('internal: labels must be a permutation of the pool');
  w.fixed.forEach((f) => {
    if (labels[w.pool.indexOf(f)] !== f) throw new Error(`internal: a relabelling moved the fixed number ${f}`);
  });
  const place = new Map(w.pool.map((n, i) => [n, i]));
  const masks: number[] = [];
  const tickets = w.tickets.map((t) => {
    const moved = t.map((n) => labels[place.get(n) as number]); // every ticket number is a pool number
    masks.push(moved.reduce((m, n) => m | (1 << (place.get(n) as number)), 0));
    return moved.sort((a, b) => a - b);
  });
  const proof = verifyWheel(T, masks, w.guarantee);
  if (!proof.held) throw new Error(`internal: the relabelled ${guaranteeName(w.guarantee)} wheel failed verification (${proof.failures} uncovered)`);
  if (tickets.some((t) => w.fixed.some((f) => !t.includes(f)))) throw new Error('internal: a relabelled ticket lacks a fixed number');
  return { ...w, tickets: sortTickets(tickets), proof };
}
