import { describe, expect, it } from 'vitest';
import { completeLowerTiers, validateLowerTiers } from '../../src/domain/prizes.js';
import type { Problem } from '../../src/domain/problems.js';

const four = [
  { winners: 80, prizeEach: 50_000_000 },
  { winners: 3000, prizeEach: 1_500_000 },
  { winners: 150_000, prizeEach: 50_000 },
  { winners: 2_500_000, prizeEach: 5000 },
];

describe('tiers 2–5 are known whole or not at all', () => {
  it('gives the four tiers in order when every figure is there', () => {
    expect(completeLowerTiers(four)).toEqual(four);
  });

  it('gives null when any figure is missing or there are not exactly four', () => {
    expect(completeLowerTiers([...four.slice(0, 3), { winners: null, prizeEach: 5000 }])).toBeNull();
    expect(completeLowerTiers([{ winners: 80, prizeEach: undefined }, ...four.slice(1)])).toBeNull();
    expect(completeLowerTiers(four.slice(0, 3))).toBeNull();
    expect(completeLowerTiers([...four, four[0]])).toBeNull();
  });

  it('validateLowerTiers keeps only winners and prize each, and names the field of a bad value', () => {
    const problems: Problem[] = [];
    const extra = four.map((t) => ({ ...t, note: 'x' }));
    expect(validateLowerTiers(extra, { source: 's', index: 0 }, problems)).toEqual(four);
    expect(validateLowerTiers([...four.slice(0, 3), { winners: -1, prizeEach: 5000 }], { source: 's', index: 1 }, problems)).toBeNull();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'prizes', index: 1 });
  });
});
