import { describe, expect, it } from 'vitest';
import { parseTicketQr } from '../../../src/domain/tickets/qr.js';

const V868 = '0868m041120213645m010306132438m142933354042m021823262731m1217284143441293818248';
const SERIAL18 = '123456789012345678';

function ok(text: string) {
  const r = parseTicketQr(text);
  if (!r.ok) throw new Error(`refused: ${r.problem.code} ${r.problem.message}`);
  return r.ticket;
}

describe('parseTicketQr accepts every real ticket shape', () => {
  it('reads round 868 with five manual games from an older m.dhlottery.co.kr ticket', () => {
    const t = ok(`http://m.dhlottery.co.kr/?v=${V868}`);
    expect(t.round).toBe(868);
    expect(t.games.map((g) => g.slot)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(t.games.every((g) => g.type === 'manual')).toBe(true);
    expect(t.games[0].numbers).toEqual([4, 11, 20, 21, 36, 45]);
    expect(t.games[4].numbers).toEqual([12, 17, 28, 41, 43, 44]);
    expect(t.serial).toBe('1293818248');
  });

  it.each([
    ['q', 'auto'],
    ['m', 'manual'],
    ['s', 'semi_auto'],
  ])('type letter %s is a %s game', (letter, type) => {
    const v = `1200${letter}010203040506n000000000000n000000000000n000000000000n000000000000${SERIAL18}`;
    const t = ok(`https://qr.dhlottery.co.kr/?v=${v}`);
    expect(t.games).toEqual([{ slot: 'A', type, numbers: [1, 2, 3, 4, 5, 6] }]);
  });

  it('skips unused n slots and keeps the slot letters of the games that were played', () => {
    const v = `1201n000000000000q071421283542n000000000000s010203040545n000000000000${SERIAL18}`;
    const t = ok(`https://qr.dhlottery.co.kr/?v=${v}`);
    expect(t.games.map((g) => [g.slot, g.type])).toEqual([
      ['B', 'auto'],
      ['D', 'semi_auto'],
    ]);
    expect(t.serial).toHaveLength(18);
  });

  it('reads the check page URL m.dhlottery.co.kr/qr.do?method=winQr&v=… over https', () => {
    const t = ok(`https://m.dhlottery.co.kr/qr.do?method=winQr&v=${V868}`);
    expect(t.round).toBe(868);
  });

  it('ignores surrounding whitespace from a paste', () => {
    expect(ok(`  http://m.dhlottery.co.kr/?v=${V868}\n`).round).toBe(868);
  });
});

describe('parseTicketQr refuses malformed and hostile input, naming what is wrong', () => {
  const cases: [string, string, string][] = [
    ['empty text', '', 'QR_NOT_URL'],
    ['bare payload without a URL', V868, 'QR_NOT_URL'],
    ['another scheme', `ftp://m.dhlottery.co.kr/?v=${V868}`, 'QR_NOT_URL'],
    ['a look-alike host', `http://m.dhlottery.co.kr.evil.example/?v=${V868}`, 'QR_HOST'],
    ['a sibling host', `http://www.dhlottery.co.kr/?v=${V868}`, 'QR_HOST'],
    ['user-info naming another host', `http://m.dhlottery.co.kr@other.example/?v=${V868}`, 'QR_USERINFO'],
    ['user-info on the real host', `http://user:pw@m.dhlottery.co.kr/?v=${V868}`, 'QR_USERINFO'],
    ['a port', `http://m.dhlottery.co.kr:8080/?v=${V868}`, 'QR_PORT'],
    ['another path', `http://m.dhlottery.co.kr/login?v=${V868}`, 'QR_PATH'],
    ['the check page without method=winQr', `https://m.dhlottery.co.kr/qr.do?v=${V868}`, 'QR_PATH'],
    ['the check page on the qr host', `https://qr.dhlottery.co.kr/qr.do?method=winQr&v=${V868}`, 'QR_PATH'],
    ['a fragment', `http://m.dhlottery.co.kr/?v=${V868}#x`, 'QR_PATH'],
    ['no v', 'http://m.dhlottery.co.kr/?x=1', 'QR_V_MISSING'],
    ['a second v', `http://m.dhlottery.co.kr/?v=${V868}&v=${V868}`, 'QR_V_REPEATED'],
    ['four slots only', `http://m.dhlottery.co.kr/?v=${V868.slice(0, 4 + 52)}1293818248`, 'QR_LENGTH'],
    ['a serial of 12 digits', `http://m.dhlottery.co.kr/?v=${V868}12`, 'QR_LENGTH'],
    ['round 0000', `http://m.dhlottery.co.kr/?v=0000${V868.slice(4)}`, 'QR_ROUND'],
    ['an unknown type letter', `http://m.dhlottery.co.kr/?v=0868x${V868.slice(5)}`, 'QR_SLOT_TYPE'],
    ['number 46', `http://m.dhlottery.co.kr/?v=0868m041120213646${V868.slice(17)}`, 'QR_NUMBERS'],
    ['number 00', `http://m.dhlottery.co.kr/?v=0868m001120213645${V868.slice(17)}`, 'QR_NUMBERS'],
    ['numbers out of order', `http://m.dhlottery.co.kr/?v=0868m110420213645${V868.slice(17)}`, 'QR_NUMBERS'],
    ['a repeated number', `http://m.dhlottery.co.kr/?v=0868m041120213636${V868.slice(17)}`, 'QR_NUMBERS'],
    ['an unused slot with numbers after it', `http://m.dhlottery.co.kr/?v=0868n041120213645${V868.slice(17)}`, 'QR_UNUSED_SLOT'],
    ['every slot unused', `http://m.dhlottery.co.kr/?v=0868${'n000000000000'.repeat(5)}1293818248`, 'QR_NO_GAMES'],
    ['letters in the serial', `http://m.dhlottery.co.kr/?v=${V868.slice(0, -10)}12938182ab`, 'QR_SERIAL'],
    ['an overlong text', `http://m.dhlottery.co.kr/?v=${V868}&pad=${'x'.repeat(600)}`, 'QR_NOT_URL'],
  ];
  it.each(cases)('%s', (_name, text, code) => {
    const r = parseTicketQr(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.code).toBe(code);
      expect(r.problem.message.length).toBeGreaterThan(10);
      // The identifying serial never appears in a refusal message.
      expect(r.problem.message).not.toContain('1293818248');
    }
  });
});
