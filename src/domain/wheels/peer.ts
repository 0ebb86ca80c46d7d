/**
 * The best peer's published wheel sizes (tickets) that hogi must match or beat, per guarantee and
 * pool size, as quoted in issue 16. Used by docs/wheels.md, the table builder and a test.
 */
export const PEER_SIZES: Readonly<Record<string, Readonly<Record<number, number>>>> = {
  '3if6': { 10: 2, 11: 2, 12: 2, 13: 2, 14: 4, 15: 4, 16: 5, 17: 6, 18: 9 },
  '4if6': { 9: 3, 10: 3, 11: 5, 12: 8, 13: 13, 14: 17, 15: 24, 16: 32, 17: 44, 18: 58 },
};
