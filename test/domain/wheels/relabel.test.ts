// Wheels given from outside (a wheel saved as tickets) and relabelled wheels are proved again.
import { describe, expect, it } from 'vitest';
import { makeWheel, WheelInputError } from '../../../src/domain/wheels/index.js';
import { checkGivenWheel, relabelWheel } from '../../../src/domain/wheels/relabel.js';

const POOL = [3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 42, 45];
const wheel = makeWheel({ pool: POOL, guarantee: { match: 4, if: 6 } });

function refusal(f: () => unknown): WheelInputError {
  try {
    f();
  } catch (e) {
    if (e instanceof WheelInputError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('checkGivenWheel', () => {
  it('accepts a wheel that holds, in any ticket and number order, and proves it again', () => {
    const shuffled = [...wheel.tickets].reverse().map((t) => [...t].reverse());
    const w = checkGivenWheel({ pool: [...POOL].reverse(), guarantee: wheel.guarantee, tickets: shuffled });
    expect(w.tickets).toEqual(wheel.tickets);
    expect(w.proof).toMatchObject({ held: true, subsetsChecked: 924, failures: 0 });
    expect(w.costWon).toBe(1000 * wheel.tickets.length);
  });

  it('refuses a planted broken wheel (one number changed on one ticket) naming a draw it misses, in both languages', () => {
    const broken = wheel.tickets.map((t) => [...t]);
    const spare = POOL.find((n) => !broken[0].includes(n)) as number;
    broken[0][0] = spare;
    const e = refusal(() => checkGivenWheel({ pool: POOL, guarantee: wheel.guarantee, tickets: broken }));
    expect(e.field).toBe('tickets');
    expect(e.reason.en).toMatch(/do not hold 4if6: \d+ of the 924 ways/);
    expect(e.reason.ko).toMatch(/4if6 보장이 성립하지 않습니다/);
  });

  it('refuses a ticket with a number outside the pool, a repeated number, a missing fixed number or the wrong length, naming the ticket', () => {
    const t = wheel.tickets;
    expect(refusal(() => checkGivenWheel({ pool: POOL, guarantee: wheel.guarantee, tickets: [...t.slice(0, 1), [1, 3, 7, 11, 15, 19]] })).field).toBe('tickets[1]');
    expect(refusal(() => checkGivenWheel({ pool: POOL, guarantee: wheel.guarantee, tickets: [[3, 3, 7, 11, 15, 19]] })).reason.en).toMatch(/more than once/);
    expect(refusal(() => checkGivenWheel({ pool: POOL, guarantee: wheel.guarantee, tickets: [[3, 7, 11, 15, 19]] })).field).toBe('tickets[0]');
    const f = refusal(() => checkGivenWheel({ pool: POOL, guarantee: { match: 3, if: 6 }, fixed: [45], tickets: [[3, 7, 11, 15, 19, 23], [27, 31, 35, 39, 42, 45]] }));
    expect([f.field, f.reason.en]).toEqual(['tickets[0]', 'lacks the fixed number 45']);
    expect(refusal(() => checkGivenWheel({ pool: POOL, guarantee: wheel.guarantee, tickets: [] })).field).toBe('tickets');
    expect(refusal(() => checkGivenWheel({ pool: [1, 2, 3], guarantee: wheel.guarantee, tickets: t })).field).toBe('pool');
  });
});

describe('relabelWheel', () => {
  it('any permutation of the pool keeps the guarantee and the ticket count, and the result is verified', () => {
    const labels = [...POOL].reverse();
    const w = relabelWheel(wheel, labels);
    expect(w.proof.held).toBe(true);
    expect(w.tickets).toHaveLength(wheel.tickets.length);
    expect(w.tickets).not.toEqual(wheel.tickets);
  });

  it('refuses labels that are not a permutation of the pool, or that move a fixed number', () => {
    expect(() => relabelWheel(wheel, POOL.map((n) => (n === 3 ? 4 : n)))).toThrow(/permutation of the pool/);
    const fixed = makeWheel({ pool: POOL, guarantee: { match: 3, if: 6 }, fixed: [3], seed: 1 });
    const swapped = [...POOL];
    [swapped[0], swapped[1]] = [swapped[1], swapped[0]];
    expect(() => relabelWheel(fixed, swapped)).toThrow(/moved the fixed number 3/);
  });
});
