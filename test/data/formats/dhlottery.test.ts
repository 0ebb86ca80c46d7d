import { describe, expect, it } from 'vitest';
import { mapDhlotteryRecord, parseDhlotteryResponse } from '../../../src/data/formats/dhlottery.js';
import { wireEntry, wireResponse } from '../../helpers/dhlotteryWire.js';
import { loadHistoryDraws } from '../../helpers/history.js';

const shared = loadHistoryDraws();
const last3 = shared.slice(-3);

describe('dhlottery API response parser', () => {
  it('maps every field, matching entries by ltEpsd and taking total sales from wholEpsdSumNtslAmt', () => {
    const r = parseDhlotteryResponse(wireResponse(last3), 'api');
    expect(r.problems).toEqual([]);
    expect(r.format).toBe('dhlottery');
    const byRound = new Map(r.records.map((x) => [x.round, x]));
    for (const d of last3) {
      expect(byRound.get(d.round)).toEqual({
        source: 'api', index: expect.any(Number), round: d.round, date: d.date, numbers: d.numbers, bonus: d.bonus,
        firstPrizeEach: d.firstPrizeEach, firstPrizeWinners: d.firstPrizeWinners, totalSales: d.totalSales,
      });
    }
  });

  it('accepts the parsed object as well as the text', () => {
    expect(parseDhlotteryResponse(JSON.parse(wireResponse(last3)), 'api').records).toHaveLength(3);
  });

  it('accepts integers sent as numeric strings', () => {
    const e = Object.fromEntries(Object.entries(wireEntry(last3[0])).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]));
    const { record, problems } = mapDhlotteryRecord(e, 0, 'api');
    expect(problems).toEqual([]);
    expect(record).toMatchObject({ round: last3[0].round, numbers: last3[0].numbers, bonus: last3[0].bonus, totalSales: last3[0].totalSales });
  });

  it.each([
    ['a decimal string', { tm3WnNo: '12.5' }, 'tm1WnNo..tm6WnNo'],
    ['a word', { bnsWnNo: 'seven' }, 'bnsWnNo'],
    ['a dashed date', { ltRflYmd: '2026-10-10' }, 'ltRflYmd'],
    ['an impossible date', { ltRflYmd: '20260231' }, 'ltRflYmd'],
    ['a missing bonus', { bnsWnNo: undefined }, 'bnsWnNo'],
    ['a missing total-sales field', { wholEpsdSumNtslAmt: undefined }, 'wholEpsdSumNtslAmt'],
    ['a round of zero', { ltEpsd: 0 }, 'ltEpsd'],
  ])('rejects an entry with %s', (_name, patch, field) => {
    const e = { ...wireEntry(last3[0]), ...patch };
    const { record, problems } = mapDhlotteryRecord(JSON.parse(JSON.stringify(e)), 4, 'api');
    expect(record).toBeNull();
    expect(problems.map((p) => [p.index, p.field])).toEqual([[4, field]]);
  });

  it('gives no records and no problems for a round not drawn yet (empty list)', () => {
    const r = parseDhlotteryResponse('{"resultCode":null,"resultMessage":null,"data":{"list":[]}}', 'api');
    expect(r).toMatchObject({ records: [], problems: [] });
  });

  it('reports an HTML waiting or reject page instead of JSON', () => {
    const r = parseDhlotteryResponse('<!DOCTYPE html><html><head><title>서비스 접근 대기 중입니다</title></head></html>', 'api');
    expect(r.records).toEqual([]);
    expect(r.problems).toEqual([expect.objectContaining({ field: 'response', found: expect.stringContaining('HTML') })]);
  });

  it('reports a response without data.list, quoting resultCode and resultMessage', () => {
    const r = parseDhlotteryResponse('{"resultCode":"E01","resultMessage":"error","data":null}', 'api');
    expect(r.problems).toEqual([expect.objectContaining({ field: 'data.list', found: expect.stringContaining('"E01"') })]);
  });

  it('refuses a round listed twice', () => {
    const r = parseDhlotteryResponse(JSON.stringify({ data: { list: [wireEntry(last3[0]), wireEntry(last3[0])] } }), 'api');
    expect(r.problems).toEqual([expect.objectContaining({ index: 1, round: last3[0].round, field: 'ltEpsd' })]);
  });
});
