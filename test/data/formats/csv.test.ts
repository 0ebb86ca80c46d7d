import { describe, expect, it } from 'vitest';
import { parseDrawsCsv, writeDrawsCsv } from '../../../src/data/formats/drawsCsv.js';
import { parseMachinesCsv, writeMachinesCsv } from '../../../src/data/formats/machinesCsv.js';
import { parseCsvRows, writeCsv } from '../../../src/data/formats/csv.js';
import type { Draw } from '../../../src/domain/draw.js';

const HEADER = 'round,date,n1,n2,n3,n4,n5,n6,bonus,first_prize_each,first_prize_winners,total_sales';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
const GOOD = '1001,2022-02-05,1,4,10,12,28,45,7,1000000000,10,100000000000';

describe('CSV text', () => {
  it('keeps commas, quotes and line breaks inside quoted fields', () => {
    const rows = [['a,b', 'say "hi"', 'two\nlines', ' padded ', '']];
    expect(parseCsvRows(writeCsv(['x', 'y', 'z', 'w', 'v'], rows)).slice(1)).toEqual(rows);
  });

  it('reads CRLF files with a BOM and skips blank lines', () => {
    expect(parseCsvRows('\ufeffa,b\r\n1,2\r\n\r\n3,4\r\n')).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
  });
});

describe('draws CSV parser', () => {
  it('reads full draws with sorted numbers and prize fields', () => {
    const r = parseDrawsCsv(csv('1001,2022-02-05,45,4,10,12,28,1,7,1000000000,10,100000000000'), 'd.csv');
    expect(r.problems).toEqual([]);
    expect(r.records).toEqual([
      { source: 'd.csv', index: 0, round: 1001, date: '2022-02-05', numbers: [1, 4, 10, 12, 28, 45], bonus: 7, firstPrizeEach: 1000000000, firstPrizeWinners: 10, totalSales: 100000000000 },
    ]);
  });

  it('treats empty prize cells as unknown', () => {
    const r = parseDrawsCsv(csv('1001,2022-02-05,1,4,10,12,28,45,7,,,'), 'd.csv');
    expect(r.problems).toEqual([]);
    expect(r.records[0].firstPrizeEach).toBeUndefined();
    expect(r.records[0].totalSales).toBeUndefined();
  });

  it('accepts the optional machine and memo columns', () => {
    const r = parseDrawsCsv(`${HEADER},machine,memo\n${GOOD},2호기,"memo, with comma"\n1002,2022-02-12,3,9,11,12,13,19,20,,,,,\n`, 'd.csv');
    expect(r.problems).toEqual([]);
    expect(r.records.map((x) => [x.machine, x.memo])).toEqual([[2, 'memo, with comma'], [undefined, undefined]]);
  });

  it('reads a draws CSV without the prize columns, leaving the prize figures unknown', () => {
    const r = parseDrawsCsv('round,date,n1,n2,n3,n4,n5,n6,bonus\n1,2002-12-07,10,23,29,33,37,40,16\n', 'd.csv');
    expect(r.problems).toEqual([]);
    expect(r.records).toEqual([{ source: 'd.csv', index: 0, round: 1, date: '2002-12-07', numbers: [10, 23, 29, 33, 37, 40], bonus: 16 }]);
  });

  it('refuses any other header, saying which one is expected', () => {
    const r = parseDrawsCsv('round,date,n1,n2,n3,n4,n5,n6\n1,2002-12-07,10,23,29,33,37,40\n', 'd.csv');
    expect(r.records).toEqual([]);
    expect(r.problems).toEqual([
      expect.objectContaining({ source: 'd.csv', field: 'header', expected: expect.stringContaining('round,date,n1,n2,n3,n4,n5,n6,bonus[,first_prize_each,first_prize_winners,total_sales]') }),
    ]);
  });

  it.each([
    ['7 numbers (one field too many)', '1001,2022-02-05,1,4,10,12,28,45,2,7,1000000000,10,100000000000', 'row'],
    ['a number out of range', '1001,2022-02-05,1,4,10,12,28,46,7,1,1,1', 'n1..n6'],
    ['a repeated number', '1001,2022-02-05,1,4,10,12,28,28,7,1,1,1', 'n1..n6'],
    ['a non-numeric number', '1001,2022-02-05,1,4,ten,12,28,45,7,1,1,1', 'n1..n6'],
    ['a bonus among the numbers', '1001,2022-02-05,1,4,10,12,28,45,45,1,1,1', 'bonus'],
    ['a bonus out of range', '1001,2022-02-05,1,4,10,12,28,45,0,1,1,1', 'bonus'],
    ['an impossible date', '1001,2022-02-29,1,4,10,12,28,45,7,1,1,1', 'date'],
    ['a round of zero', '0,2022-02-05,1,4,10,12,28,45,7,1,1,1', 'round'],
    ['a negative prize', '1001,2022-02-05,1,4,10,12,28,45,7,-1,1,1', 'first_prize_each'],
  ])('rejects a row with %s', (_name, row, field) => {
    const r = parseDrawsCsv(csv(row), 'd.csv');
    expect(r.records).toEqual([]);
    expect(r.problems.map((p) => [p.index, p.field])).toEqual([[0, field]]);
  });

  it('rejects a bad machine label such as "4번"', () => {
    const r = parseDrawsCsv(`${HEADER},machine\n${GOOD},4번\n`, 'd.csv');
    expect(r.problems.map((p) => [p.field, p.found])).toEqual([['machine', '"4번"']]);
  });

  it('reports every bad row and every bad field of a row', () => {
    const r = parseDrawsCsv(csv('1001,2022-13-01,1,4,10,12,28,45,45,1,1,1', GOOD.replace('1001', '1002'), '1003,2022-02-19,1,1,10,12,28,45,7,x,1,1', '1004,2022-02-26,1,2,3,4,5'), 'd.csv');
    expect(r.problems.map((p) => [p.index, p.field])).toEqual([
      [0, 'date'],
      [0, 'bonus'],
      [2, 'n1..n6'],
      [2, 'first_prize_each'],
      [3, 'row'],
    ]);
    expect(r.records.map((x) => x.round)).toEqual([1002]);
  });

  it('refuses a round that appears twice', () => {
    const r = parseDrawsCsv(csv(GOOD, GOOD), 'd.csv');
    expect(r.problems).toEqual([expect.objectContaining({ index: 1, round: 1001, field: 'round' })]);
  });

  it('writes what it reads: every field, including machine and a tricky memo', () => {
    const draws: Draw[] = [
      { round: 1, date: '2002-12-07', numbers: [10, 23, 29, 33, 37, 40], bonus: 16, machine: null, firstPrizeEach: 0, firstPrizeWinners: 0, totalSales: 3681782000, memo: null },
      { round: 2, date: '2002-12-14', numbers: [9, 13, 21, 25, 32, 42], bonus: 2, machine: 3, firstPrizeEach: null, firstPrizeWinners: null, totalSales: null, memo: 'line1\n"q", x' },
    ];
    const r = parseDrawsCsv(writeDrawsCsv(draws), 'out.csv');
    expect(r.problems).toEqual([]);
    expect(r.records.map(({ source: _s, index: _i, ...rest }) => rest)).toEqual([
      { round: 1, date: '2002-12-07', numbers: [10, 23, 29, 33, 37, 40], bonus: 16, firstPrizeEach: 0, firstPrizeWinners: 0, totalSales: 3681782000 },
      { round: 2, date: '2002-12-14', numbers: [9, 13, 21, 25, 32, 42], bonus: 2, machine: 3, memo: 'line1\n"q", x' },
    ]);
  });
});

describe('machines CSV parser', () => {
  it('reads labels in every accepted form', () => {
    const r = parseMachinesCsv('round,machine\n262,1\n263,"2"\n264,3호기\n', 'm.csv');
    expect(r.problems).toEqual([]);
    expect(r.records.map((x) => [x.round, x.machine])).toEqual([[262, 1], [263, 2], [264, 3]]);
  });

  it('rejects bad labels, blank labels, bad rounds and repeated rounds, each by row', () => {
    const r = parseMachinesCsv('round,machine\n262,4번\n263,\nabc,1\n264,1\n264,1\n265,1,extra\n', 'm.csv');
    expect(r.problems.map((p) => [p.index, p.field])).toEqual([
      [0, 'machine'],
      [1, 'machine'],
      [2, 'round'],
      [4, 'round'],
      [5, 'row'],
    ]);
    expect(r.problems[0].expected).toContain('1호기');
  });

  it('writes only labelled rounds', () => {
    const d = (round: number, machine: number | null): Draw => ({ round, date: '2007-12-08', numbers: [1, 2, 3, 4, 5, 6], bonus: 7, machine, firstPrizeEach: null, firstPrizeWinners: null, totalSales: null });
    expect(writeMachinesCsv([d(261, null), d(262, 1)])).toBe('round,machine\n262,1\n');
  });
});
