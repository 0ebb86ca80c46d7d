// The QR code printed on a 동행복권 Lotto 6/45 paper ticket. Parsing is strict and purely textual:
// the URL is never fetched, and the identifying tail is handed back only so the caller can hash it.
import { MAX_NUMBER, MIN_NUMBER, NUMBERS_PER_DRAW } from '../draw.js';

/** How a game's numbers were chosen. */
export type GameType = 'auto' | 'manual' | 'semi_auto';

export const GAME_TYPES: readonly GameType[] = ['auto', 'manual', 'semi_auto'];

export const SLOTS = ['A', 'B', 'C', 'D', 'E'] as const;
export type Slot = (typeof SLOTS)[number];

export interface TicketGame {
  slot: Slot;
  type: GameType;
  /** Six distinct numbers in 1..45, ascending. */
  numbers: readonly number[];
}

export interface ParsedTicketQr {
  round: number;
  games: readonly TicketGame[];
  /**
   * The digits after the five slots: they identify one real ticket. Never log or show them;
   * store only a hash (the service does), so a ticket scanned twice is recognised.
   */
  serial: string;
}

/** Why a QR text was refused: a code for the edge to word, and where it went wrong. */
export interface QrProblem {
  code:
    | 'QR_NOT_URL'
    | 'QR_HOST'
    | 'QR_USERINFO'
    | 'QR_PORT'
    | 'QR_PATH'
    | 'QR_V_MISSING'
    | 'QR_V_REPEATED'
    | 'QR_LENGTH'
    | 'QR_ROUND'
    | 'QR_SLOT_TYPE'
    | 'QR_NUMBERS'
    | 'QR_UNUSED_SLOT'
    | 'QR_NO_GAMES'
    | 'QR_SERIAL';
  /** Which part: `url`, `host`, `v`, `round`, `slot C`, `serial`. */
  field: string;
  /** An English sentence; the API and dashboard word the code in the user's language. */
  message: string;
}

export type QrResult = { ok: true; ticket: ParsedTicketQr } | { ok: false; problem: QrProblem };

/** Hosts seen on real tickets: older (m.), newer (qr.); the check page lives on m. under /qr.do. */
const ROOT_HOSTS = new Set(['m.dhlottery.co.kr', 'qr.dhlottery.co.kr']);
const CHECK_PAGE = { host: 'm.dhlottery.co.kr', path: '/qr.do', method: 'winQr' };

const SLOT_LENGTH = 13;
const TYPE_LETTERS: Readonly<Record<string, GameType | 'unused'>> = { q: 'auto', m: 'manual', s: 'semi_auto', n: 'unused' };
/** Older tickets end in 10 digits, newer ones in 18. */
const SERIAL_LENGTHS = new Set([10, 18]);
const MAX_QR_TEXT = 512;

const fail = (code: QrProblem['code'], field: string, message: string): QrResult => ({ ok: false, problem: { code, field, message } });

/** Parse the text of a ticket's QR code (a URL). Refuses anything that is not exactly that format. */
export function parseTicketQr(text: string): QrResult {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_QR_TEXT || !/^https?:\/\//i.test(trimmed)) {
    return fail('QR_NOT_URL', 'url', 'expected the http(s) URL printed in the ticket QR code');
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return fail('QR_NOT_URL', 'url', 'expected the http(s) URL printed in the ticket QR code');
  }
  // user-info such as http://m.dhlottery.co.kr@other.example/ names another host in disguise.
  if (url.username !== '' || url.password !== '' || /^https?:\/\/[^/?#]*@/i.test(trimmed)) {
    return fail('QR_USERINFO', 'host', 'the URL carries a user name or password; a ticket QR never does');
  }
  const host = url.hostname.toLowerCase();
  if (!ROOT_HOSTS.has(host)) {
    return fail('QR_HOST', 'host', `host ${JSON.stringify(host)} is not a 동행복권 ticket host (m.dhlottery.co.kr or qr.dhlottery.co.kr)`);
  }
  if (url.port !== '') return fail('QR_PORT', 'host', 'a ticket QR names no port');
  const path = url.pathname;
  const isCheckPage = host === CHECK_PAGE.host && path === CHECK_PAGE.path;
  if (!isCheckPage && path !== '/') return fail('QR_PATH', 'url', `path ${JSON.stringify(path)} is not a ticket QR path`);
  if (isCheckPage && url.searchParams.get('method') !== CHECK_PAGE.method) {
    return fail('QR_PATH', 'url', 'the check page URL must have method=winQr');
  }
  if (url.hash !== '') return fail('QR_PATH', 'url', 'a ticket QR URL has no #fragment');
  const vs = url.searchParams.getAll('v');
  if (vs.length === 0) return fail('QR_V_MISSING', 'v', 'the URL has no v parameter, which holds the ticket');
  if (vs.length > 1) return fail('QR_V_REPEATED', 'v', 'the URL has more than one v parameter');
  return parseTicketPayload(vs[0]);
}

/** Parse the `v` payload: round, five 13-character slots, then the ticket's serial digits. */
export function parseTicketPayload(v: string): QrResult {
  const serialLength = v.length - 4 - SLOTS.length * SLOT_LENGTH;
  if (!SERIAL_LENGTHS.has(serialLength)) {
    return fail('QR_LENGTH', 'v', `v has ${v.length} characters; a ticket has 4 (round) + 5 × 13 (games) + 10 or 18 (serial)`);
  }
  const roundText = v.slice(0, 4);
  if (!/^\d{4}$/.test(roundText) || Number(roundText) < 1) {
    return fail('QR_ROUND', 'round', `the round ${JSON.stringify(roundText)} must be four digits, at least 0001`);
  }
  const games: TicketGame[] = [];
  for (let i = 0; i < SLOTS.length; i++) {
    const slot = SLOTS[i];
    const text = v.slice(4 + i * SLOT_LENGTH, 4 + (i + 1) * SLOT_LENGTH);
    const kind = TYPE_LETTERS[text[0]];
    const field = `slot ${slot}`;
    if (kind === undefined) {
      return fail('QR_SLOT_TYPE', field, `game ${slot} starts with ${JSON.stringify(text[0])}; expected q (auto), m (manual), s (semi-auto) or n (unused)`);
    }
    const digits = text.slice(1);
    if (!/^\d{12}$/.test(digits)) return fail('QR_NUMBERS', field, `game ${slot} must hold six two-digit numbers`);
    if (kind === 'unused') {
      if (digits !== '000000000000') return fail('QR_UNUSED_SLOT', field, `unused game ${slot} must be followed by twelve zeros`);
      continue;
    }
    const numbers = Array.from({ length: NUMBERS_PER_DRAW }, (_, k) => Number(digits.slice(2 * k, 2 * k + 2)));
    if (!numbers.every((n) => n >= MIN_NUMBER && n <= MAX_NUMBER)) {
      return fail('QR_NUMBERS', field, `game ${slot} has a number outside 1..45: ${numbers.join(',')}`);
    }
    if (!numbers.every((n, k) => k === 0 || n > numbers[k - 1])) {
      return fail('QR_NUMBERS', field, `game ${slot} must list six different numbers in ascending order: ${numbers.join(',')}`);
    }
    games.push({ slot, type: kind, numbers });
  }
  if (games.length === 0) return fail('QR_NO_GAMES', 'v', 'every game on the ticket is marked unused');
  const serial = v.slice(4 + SLOTS.length * SLOT_LENGTH);
  if (!/^\d+$/.test(serial)) return fail('QR_SERIAL', 'serial', 'the ticket serial after the games must be digits');
  return { ok: true, ticket: { round: Number(roundText), games, serial } };
}
