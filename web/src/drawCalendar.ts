/**
 * The next draw and the data's freshness as health reports them (components.database.freshness),
 * worded for the header countdown and the stale-data banner. The countdown runs on the server's
 * clock: the time left is next_draw_at − the health answer's timestamp, less the time since that
 * answer arrived, so a wrong clock on the reader's device does not shift it. No DOM here.
 */
import type { Health } from './types.js';

export type Freshness = NonNullable<Health['components']['database']['freshness']>;

export function freshnessOf(health: Health | null): Freshness | null {
  return health?.components.database.freshness ?? null;
}

/** Milliseconds until the next draw, `elapsedMs` after the health answer was received. */
export function msUntilDraw(health: Health, elapsedMs: number): number | null {
  const f = freshnessOf(health);
  if (!f) return null;
  return Date.parse(f.next_draw_at) - Date.parse(health.timestamp) - elapsedMs;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "6일 11시간 35분" / "6d 11h 35m"; under an hour "34:05"; "곧" / "now" at zero. */
export function countdownText(ms: number, lang: 'ko' | 'en'): string {
  if (ms <= 0) return lang === 'ko' ? '곧 추첨' : 'drawing now';
  // Whole seconds rounded up: 40:00 until a full second has passed, as a countdown reads.
  const s = Math.ceil(ms / 1000);
  const d = Math.floor(s / 86400);
  const hr = Math.floor((s % 86400) / 3600);
  const min = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d === 0 && hr === 0) return `${pad(min)}:${pad(sec)}`;
  if (lang === 'ko') return d > 0 ? `${d}일 ${hr}시간 ${min}분` : `${hr}시간 ${min}분 ${sec}초`;
  return d > 0 ? `${d}d ${hr}h ${min}m` : `${hr}h ${min}m ${sec}s`;
}

/** The draw's date and time in Korea: "12월 12일 (토) 20:35" / "Sat 12 Dec, 20:35 KST". */
export function drawWhen(iso: string, lang: 'ko' | 'en'): string {
  const k = new Date(Date.parse(iso) + 9 * 3_600_000);
  const hm = `${pad(k.getUTCHours())}:${pad(k.getUTCMinutes())}`;
  if (lang === 'ko') return `${k.getUTCMonth() + 1}월 ${k.getUTCDate()}일 (${'일월화수목금토'[k.getUTCDay()]}) ${hm}`;
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][k.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][k.getUTCMonth()];
  return `${day} ${k.getUTCDate()} ${month}, ${hm} KST`;
}

/** The header line: which round is next, when, and how long until then. */
export function nextDrawText(f: Freshness, ms: number, lang: 'ko' | 'en'): string {
  return lang === 'ko'
    ? `다음 추첨 제${f.next_round}회 · ${drawWhen(f.next_draw_at, 'ko')} · ${ms > 0 ? `${countdownText(ms, 'ko')} 남음` : countdownText(ms, 'ko')}`
    : `Next draw: round ${f.next_round} · ${drawWhen(f.next_draw_at, 'en')} · ${ms > 0 ? `in ${countdownText(ms, 'en')}` : countdownText(ms, 'en')}`;
}

/** The stale-data banner, or null while the data is current. */
export function staleText(f: Freshness | null, lang: 'ko' | 'en'): string | null {
  if (!f || !f.stale) return null;
  const n = f.missing_rounds;
  return lang === 'ko'
    ? `저장된 추첨 기록이 ${n}회차 뒤처져 있습니다: 제${f.expected_latest_round}회까지 추첨되었지만 저장된 최신 회차는 제${f.stored_latest_round ?? '-'}회입니다. 번호는 다음 추첨(제${f.next_round}회)용으로 만들지만 빠진 회차는 모릅니다.`
    : `The stored history is ${n} round${n === 1 ? '' : 's'} behind: round ${f.expected_latest_round} has been drawn, the newest stored is ${f.stored_latest_round ?? '-'}. Sets are made for the next draw (round ${f.next_round}) without the missing rounds.`;
}
