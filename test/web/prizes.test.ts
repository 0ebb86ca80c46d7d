// How the History page words a round's five prize tiers and its first-prize split (web/src/prizes.ts).
import { describe, expect, it } from 'vitest';
import { prizeRows, splitText } from '../../web/src/prizes.js';
import type { DrawItem } from '../../web/src/types.js';

type Prizes = Pick<DrawItem, 'round' | 'prizes' | 'first_prize_split' | 'first_prize_winners'>;

const r1220: Prizes = {
  round: 1220,
  first_prize_winners: 14,
  first_prize_split: { auto: 10, manual: 2, semi_auto: 2 },
  prizes: [
    { rank: 1, winners: 14, prize_each: 2114514161 },
    { rank: 2, winners: 85, prize_each: 58045487 },
    { rank: 3, winners: 3192, prize_each: 1545698 },
    { rank: 4, winners: 161279, prize_each: 50000 },
    { rank: 5, winners: 2688906, prize_each: 5000 },
  ],
};

describe('prize tiers on the History page', () => {
  it('lists all five tiers rank 1 first with winners and prize per ticket, in Korean and English', () => {
    expect(prizeRows(r1220, 'ko')).toEqual([
      { rank: 1, tier: '1등', rule: '6개 일치', winners: '14명', prizeEach: '2,114,514,161원' },
      { rank: 2, tier: '2등', rule: '5개 + 보너스', winners: '85명', prizeEach: '58,045,487원' },
      { rank: 3, tier: '3등', rule: '5개 일치', winners: '3,192명', prizeEach: '1,545,698원' },
      { rank: 4, tier: '4등', rule: '4개 일치', winners: '161,279명', prizeEach: '50,000원' },
      { rank: 5, tier: '5등', rule: '3개 일치', winners: '2,688,906명', prizeEach: '5,000원' },
    ]);
    expect(prizeRows(r1220, 'en')[1]).toEqual({ rank: 2, tier: '2nd', rule: '5 + bonus', winners: '85', prizeEach: '₩58,045,487' });
  });

  it('says a figure is not known instead of showing 0 winners', () => {
    const unknown: Prizes = { ...r1220, round: 1240, first_prize_split: null, prizes: [r1220.prizes[0], ...[2, 3, 4, 5].map((rank) => ({ rank, winners: null, prize_each: null }))] };
    expect(prizeRows(unknown, 'ko')[3]).toMatchObject({ winners: '알 수 없음', prizeEach: '알 수 없음' });
    expect(prizeRows(unknown, 'en')[3]).toMatchObject({ winners: 'not known', prizeEach: 'not known' });
    expect(splitText(unknown, 'en')).toBe('not known (not published yet, or no source had it)');
  });

  it('words the auto/manual/semi-auto split, and why it is missing before round 262 or when nobody won', () => {
    expect(splitText(r1220, 'ko')).toBe('자동 10 · 수동 2 · 반자동 2');
    expect(splitText(r1220, 'en')).toBe('auto 10 · manual 2 · semi-auto 2');
    expect(splitText({ ...r1220, round: 100, first_prize_split: null }, 'ko')).toBe('262회 이전에는 공개되지 않음');
    expect(splitText({ ...r1220, round: 463, first_prize_winners: 0, first_prize_split: null }, 'en')).toBe('no first-prize winner');
  });
});
