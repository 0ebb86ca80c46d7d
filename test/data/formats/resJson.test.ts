import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResJson, toResJson, writeResJson } from '../../../src/data/formats/resJson.js';
import type { Draw } from '../../../src/domain/draw.js';
import { REPO_ROOT } from '../../helpers/history.js';

const FIXTURES = resolve(REPO_ROOT, 'test/fixtures/import');
const fixture = (name: string) => readFileSync(resolve(FIXTURES, name), 'utf8');

// Known answers worked out by hand for [1,4,10,12,28,45]:
// odd 1,45 → 2:4; high (≥23) 28,45 → 2:4; last digits 1+4+0+2+8+5 = 20; sum 100;
// the 15 pair differences are all distinct → standard AC 15 − 5 = 10;
// consecutive gaps 3,6,2,16,17 are 5 distinct values → legacy "AC" 5.
const GOOD = { 회차: 1001, 호기: '1호기', '1등_당첨번호': [1, 4, 10, 12, 28, 45], 홀짝_비율: '2:4', 고저_비율: '2:4', AC값: 10, 끝수합: 20, 총합: 100 };

const doc = (...records: unknown[]) => JSON.stringify({ metadata: {}, lottery_data: records });
const parse = (...records: unknown[]) => parseResJson(doc(...records), 'test.json');

describe('res.json parser', () => {
  it('reads a third-party res.json: machine labels, numbers, memo, and no bonus or date', () => {
    const r = parseResJson(fixture('res-foreign.json'), 'res-foreign.json');
    expect(r.problems).toEqual([]);
    expect(r.records.map((x) => [x.round, x.machine, x.numbers, x.bonus, x.date])).toEqual([
      [1001, 1, [1, 4, 10, 12, 28, 45], undefined, undefined],
      [1002, 2, [3, 9, 11, 12, 13, 19], undefined, undefined],
      [1003, 3, [16, 20, 24, 28, 36, 39], undefined, undefined],
    ]);
    expect(r.records[2].memo).toBe('테스트 메모');
  });

  it('accepts AC값 written with either definition: the standard AC or the consecutive-gap count', () => {
    expect(parse({ ...GOOD, AC값: 10 }).problems).toEqual([]);
    expect(parse({ ...GOOD, AC값: 5 }).problems).toEqual([]);
  });

  it('rejects an AC값 that matches neither definition, naming both accepted values', () => {
    const r = parse({ ...GOOD, AC값: 7 });
    expect(r.records).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ index: 0, round: 1001, field: 'AC값', found: '7' });
    expect(r.problems[0].expected).toMatch(/\b10\b.*standard/);
    expect(r.problems[0].expected).toMatch(/\b5\b.*consecutive/);
  });

  it('rejects ratio and sum fields that disagree with the numbers, one problem per field', () => {
    const r = parse({ ...GOOD, 홀짝_비율: '4:2', 고저_비율: '4:2', 끝수합: 21, 총합: 101 });
    expect(r.problems.map((p) => [p.field, p.found])).toEqual([
      ['홀짝_비율', '"4:2"'],
      ['고저_비율', '"4:2"'],
      ['끝수합', '21'],
      ['총합', '101'],
    ]);
    expect(r.problems.map((p) => p.expected)).toEqual([
      expect.stringContaining('"2:4"'),
      expect.stringContaining('"2:4"'),
      expect.stringContaining('20'),
      expect.stringContaining('100'),
    ]);
  });

  it('requires the derived fields to be present', () => {
    const { 홀짝_비율: _drop, ...rest } = GOOD;
    expect(parse(rest).problems.map((p) => [p.field, p.found])).toEqual([['홀짝_비율', 'nothing']]);
  });

  it.each([
    ['7 numbers', [1, 4, 10, 12, 28, 45, 2]],
    ['5 numbers', [1, 4, 10, 12, 28]],
    ['a number above 45', [1, 4, 10, 12, 28, 46]],
    ['zero', [0, 4, 10, 12, 28, 45]],
    ['a repeated number', [1, 4, 10, 12, 28, 28]],
    ['a fraction', [1, 4, 10, 12, 28, 44.5]],
    ['numbers as text', ['1', '4', '10', '12', '28', '45']],
  ])('rejects winning numbers with %s', (_name, numbers) => {
    const r = parse({ ...GOOD, '1등_당첨번호': numbers });
    expect(r.records).toEqual([]);
    expect(r.problems.map((p) => p.field)).toEqual(['1등_당첨번호']);
  });

  it('rejects a bonus that is one of the winning numbers', () => {
    const r = parse({ ...GOOD, 보너스번호: 28, 추첨일: '2022-02-05' });
    expect(r.problems.map((p) => [p.field, p.found])).toEqual([['보너스번호', '28']]);
  });

  it.each(['2022-02-30', '20220205', '2022/02/05', 5])('rejects the draw date %s', (date) => {
    const r = parse({ ...GOOD, 추첨일: date });
    expect(r.problems.map((p) => p.field)).toEqual(['추첨일']);
  });

  it.each(['4번', '호기', 0, -1, 'A호기', 1.5])('rejects the machine %s and says which forms are valid', (machine) => {
    const r = parse({ ...GOOD, 호기: machine });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].field).toBe('호기');
    expect(r.problems[0].expected).toContain('1호기');
  });

  it('treats a null or missing 호기 as unlabelled', () => {
    const { 호기: _drop, ...noMachine } = GOOD;
    for (const r of [parse({ ...GOOD, 호기: null }), parse(noMachine)]) {
      expect(r.problems).toEqual([]);
      expect(r.records[0].machine).toBeUndefined();
    }
  });

  it('refuses a round listed twice in one file, even when the machines differ', () => {
    const r = parseResJson(fixture('res-duplicate.json'), 'res-duplicate.json');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ index: 1, round: 1001, field: '회차' });
    expect(r.problems[0].expected).toContain('record 0');
  });

  it('reports every bad record, each with its index, round and field', () => {
    const r = parseResJson(fixture('res-bad.json'), 'res-bad.json');
    expect(r.problems.map((p) => [p.index, p.round, p.field])).toEqual([
      [0, 1001, '홀짝_비율'],
      [1, 1002, '총합'],
      [2, 1003, 'AC값'],
    ]);
    expect(r.problems.every((p) => p.source === 'res-bad.json')).toBe(true);
    expect(r.records.map((x) => x.round)).toEqual([1004]);
  });

  it('reports invalid JSON and a missing lottery_data array', () => {
    expect(parseResJson('{"lottery_data": [', 'x.json').problems[0].field).toBe('file');
    expect(parseResJson('{"metadata": {}}', 'x.json').problems[0].field).toBe('lottery_data');
    expect(parseResJson('{"lottery_data": [1]}', 'x.json').problems[0]).toMatchObject({ index: 0, field: 'record' });
  });
});

describe('res.json writer', () => {
  const draws: Draw[] = [
    { round: 1001, date: '2022-02-05', numbers: [1, 4, 10, 12, 28, 45], bonus: 7, machine: 1, firstPrizeEach: 10, firstPrizeWinners: 2, totalSales: 99, memo: 'a "quoted", memo' },
    { round: 1002, date: '2022-02-12', numbers: [3, 9, 11, 12, 13, 19], bonus: 20, machine: null, firstPrizeEach: null, firstPrizeWinners: null, totalSales: null, memo: null },
  ];
  const now = new Date('2024-05-01T12:00:00Z');

  it("follows the design's schema: Korean record keys and the eight metadata keys", () => {
    const d = toResJson(draws, { now });
    expect(Object.keys(d)).toEqual(['metadata', 'lottery_data']);
    expect(Object.keys(d.metadata)).toEqual(['description', 'data_range', 'total_machines', 'total_rounds', 'data_source', 'last_updated', 'version', 'notes']);
    expect(d.metadata).toMatchObject({ data_range: '1001-1002회차', total_machines: 1, total_rounds: 2, last_updated: '2024-05-01T12:00:00.000Z' });
    expect(Object.keys(d.lottery_data[0]).slice(0, 10)).toEqual(['회차', '호기', '1등_당첨번호', '홀짝_비율', '고저_비율', 'AC값', '끝수합', '총합', '추첨일', '특별_메모']);
    expect(d.lottery_data[0]).toMatchObject({ 회차: 1001, 호기: '1호기', 홀짝_비율: '2:4', 고저_비율: '2:4', AC값: 10, 끝수합: 20, 총합: 100, 추첨일: '2022-02-05', 보너스번호: 7 });
    expect(d.lottery_data[1]).toMatchObject({ 호기: null, AC값: 5, 홀짝_비율: '5:1', 고저_비율: '0:6', 끝수합: 27, 총합: 67, '1등_당첨금': null });
    expect(d.metadata.notes.join('\n')).toMatch(/AC값은 표준 정의/);
  });

  it('reads back every field it wrote', () => {
    const r = parseResJson(writeResJson(draws, { now }), 'out.json');
    expect(r.problems).toEqual([]);
    expect(r.records[0]).toEqual({ source: 'out.json', index: 0, round: 1001, date: '2022-02-05', numbers: [1, 4, 10, 12, 28, 45], bonus: 7, machine: 1, firstPrizeEach: 10, firstPrizeWinners: 2, totalSales: 99, memo: 'a "quoted", memo' });
    expect(r.records[1]).toEqual({ source: 'out.json', index: 1, round: 1002, date: '2022-02-12', numbers: [3, 9, 11, 12, 13, 19], bonus: 20 });
  });
});
