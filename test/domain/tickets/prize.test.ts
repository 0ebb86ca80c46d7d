import { describe, expect, it } from 'vitest';
import { prizeAfterTax, rankGame } from '../../../src/domain/tickets/prize.js';

const draw = { numbers: [3, 10, 21, 27, 33, 40], bonus: 7 };

describe('rankGame', () => {
  it.each([
    [[3, 10, 21, 27, 33, 40], 6, 1],
    [[3, 7, 10, 21, 27, 33], 5, 2],
    [[3, 8, 10, 21, 27, 33], 5, 3],
    [[3, 7, 10, 21, 27, 44], 4, 4],
    [[3, 7, 10, 21, 43, 44], 3, 5],
    [[3, 7, 10, 42, 43, 44], 2, null],
    [[1, 2, 4, 5, 6, 7], 0, null],
  ])('%j matches %i and ranks %s', (numbers, matches, rank) => {
    const r = rankGame(numbers, draw);
    expect(r.matches).toBe(matches);
    expect(r.rank).toBe(rank);
  });

  it('the bonus number lifts only five matches, to 2nd prize', () => {
    expect(rankGame([3, 7, 10, 21, 27, 33], draw)).toEqual({ matches: 5, bonusMatch: true, rank: 2 });
    expect(rankGame([3, 7, 10, 21, 43, 44], draw)).toEqual({ matches: 3, bonusMatch: true, rank: 5 });
  });
});

describe('prizeAfterTax follows the current withholding brackets', () => {
  it('does not tax 5,000 and 50,000 won prizes', () => {
    expect(prizeAfterTax(5_000)).toEqual({ gross: 5_000, tax: 0, net: 5_000 });
    expect(prizeAfterTax(50_000)).toEqual({ gross: 50_000, tax: 0, net: 50_000 });
  });

  it('does not tax a prize of exactly 2,000,000 won', () => {
    expect(prizeAfterTax(2_000_000).tax).toBe(0);
  });

  it('taxes 22% of the prize less the 1,000 won stake just above 2,000,000 won', () => {
    // (2,000,001 − 1,000) × 22% = 439,780.22 → 439,780
    expect(prizeAfterTax(2_000_001)).toEqual({ gross: 2_000_001, tax: 439_780, net: 1_560_221 });
  });

  it('taxes a typical 3rd prize of 1,500,000 won at nothing and a 2nd prize of 60,000,000 at 22%', () => {
    expect(prizeAfterTax(1_500_000).tax).toBe(0);
    expect(prizeAfterTax(60_000_000).tax).toBe(Math.floor((60_000_000 - 1_000) * 0.22));
  });

  it('taxes the part above 300,000,000 won at 33%', () => {
    // 2,000,000,000 − 1,000 = 1,999,999,000 taxable: 22% of 300,000,000 + 33% of 1,699,999,000
    const r = prizeAfterTax(2_000_000_000);
    expect(r.tax).toBe(66_000_000 + 560_999_670);
    expect(r.net).toBe(2_000_000_000 - 626_999_670);
  });

  it('is continuous at the 300,000,000 won boundary of the taxable amount', () => {
    expect(prizeAfterTax(300_001_000).tax).toBe(66_000_000);
    expect(prizeAfterTax(300_001_100).tax).toBe(66_000_000 + 33);
  });

  it('refuses a negative or fractional prize', () => {
    expect(() => prizeAfterTax(-1)).toThrow(/non-negative/);
    expect(() => prizeAfterTax(1.5)).toThrow(/whole/);
  });
});
