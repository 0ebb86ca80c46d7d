/**
 * A round's five prize tiers and how its first-prize tickets were bought, worded for the History
 * page. Reads the API's `prizes` and `first_prize_split` (types from the server's schema); no DOM,
 * so the wording is unit-tested in Node.
 */
import type { DrawItem } from './types.js';

type Lang = 'ko' | 'en';

export interface PrizeRow {
  rank: number;
  /** "1등" / "1st". */
  tier: string;
  /** What a ticket needs for this tier. */
  rule: string;
  winners: string;
  prizeEach: string;
}

const RULES: Record<number, [string, string]> = {
  1: ['6개 일치', '6 numbers'],
  2: ['5개 + 보너스', '5 + bonus'],
  3: ['5개 일치', '5 numbers'],
  4: ['4개 일치', '4 numbers'],
  5: ['3개 일치', '3 numbers'],
};
const ORDINAL = ['', '1st', '2nd', '3rd', '4th', '5th'];

const int = (n: number, lang: Lang) => n.toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US');

/** KRW: "23억 4,567만 원" style is long; the page shows whole won with separators. */
export function wonText(n: number | null, lang: Lang): string {
  if (n === null) return lang === 'ko' ? '알 수 없음' : 'not known';
  return lang === 'ko' ? `${int(n, lang)}원` : `₩${int(n, lang)}`;
}

/** Five rows, rank 1 first; an unknown figure says so instead of showing 0. */
export function prizeRows(d: Pick<DrawItem, 'prizes'>, lang: Lang): PrizeRow[] {
  return d.prizes.map((p) => ({
    rank: p.rank,
    tier: lang === 'ko' ? `${p.rank}등` : ORDINAL[p.rank],
    rule: (RULES[p.rank] ?? ['', ''])[lang === 'ko' ? 0 : 1],
    winners: p.winners === null ? (lang === 'ko' ? '알 수 없음' : 'not known') : lang === 'ko' ? `${int(p.winners, lang)}명` : int(p.winners, lang),
    prizeEach: wonText(p.prize_each, lang),
  }));
}

/** "자동 10 · 수동 2 · 반자동 2" / "auto 10 · manual 2 · semi-auto 2", or why it is missing. */
export function splitText(d: Pick<DrawItem, 'round' | 'first_prize_split' | 'first_prize_winners'>, lang: Lang): string {
  const s = d.first_prize_split;
  if (s) {
    return lang === 'ko'
      ? `자동 ${int(s.auto, lang)} · 수동 ${int(s.manual, lang)} · 반자동 ${int(s.semi_auto, lang)}`
      : `auto ${int(s.auto, lang)} · manual ${int(s.manual, lang)} · semi-auto ${int(s.semi_auto, lang)}`;
  }
  if (d.first_prize_winners === 0) return lang === 'ko' ? '1등 당첨자 없음' : 'no first-prize winner';
  if (d.round < 262) return lang === 'ko' ? '262회 이전에는 공개되지 않음' : 'not published before round 262';
  return lang === 'ko' ? '알 수 없음 (아직 공개되지 않았거나 자료 없음)' : 'not known (not published yet, or no source had it)';
}
