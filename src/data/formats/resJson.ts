// res.json, the design's exchange format: {metadata, lottery_data: [{회차, 호기, 1등_당첨번호, ...}]}.
import type { Draw } from '../../domain/draw.js';
import { formatMachine } from '../../domain/machine.js';
import { show } from '../../domain/problems.js';
import { acValue, highLowRatio, lastDigitSum, legacyGapAc, oddEvenRatio, totalSum } from '../../domain/stats.js';
import { DuplicateRounds, RecordCheck, record } from './fields.js';
import type { ParseResult } from './types.js';

/** One lottery_data entry. The last four keys are hogi's extension (absent in foreign files). */
export interface ResJsonRecord {
  회차: number;
  호기: string | null;
  '1등_당첨번호': number[];
  /** "odd:even" */
  홀짝_비율: string;
  /** "high:low", high = 23..45 */
  고저_비율: string;
  /** hogi writes the standard AC value (0..10). */
  AC값: number;
  끝수합: number;
  총합: number;
  /** YYYY-MM-DD */
  추첨일: string | null;
  특별_메모: string | null;
  보너스번호: number;
  /** 1st-prize payout per winning ticket, KRW; null when unknown. */
  '1등_당첨금': number | null;
  '1등_당첨자수': number | null;
  /** Total sales of the round, KRW; null when unknown. */
  총판매금액: number | null;
}

export interface ResJsonMetadata {
  description: string;
  data_range: string;
  total_machines: number;
  total_rounds: number;
  data_source: string;
  last_updated: string;
  version: string;
  notes: string[];
}

export interface ResJsonDocument {
  metadata: ResJsonMetadata;
  lottery_data: ResJsonRecord[];
}

export const RESJSON_VERSION = '1.0';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const absent = (v: unknown) => v === undefined || v === null;

/**
 * Parse res.json text (or the already-parsed value). Every record is checked in full:
 * the ratio and sum fields must agree with the numbers, and AC값 may be either the standard AC
 * value or the legacy consecutive-gap count (files in this format were written with both).
 *
 * Without 보너스번호 and 추첨일 a record is a partial update: it can label the machine or set the
 * memo of a round that is stored (its numbers must then match), but cannot add a new round.
 */
export function parseResJson(input: unknown, source: string): ParseResult {
  const result: ParseResult = { format: 'resjson', source, records: [], problems: [] };
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
    } catch (e) {
      result.problems.push({ source, field: 'file', expected: 'valid JSON', found: (e as Error).message });
      return result;
    }
  }
  if (!isObject(doc) || !Array.isArray(doc.lottery_data)) {
    result.problems.push({ source, field: 'lottery_data', expected: 'an array of draw records', found: show(isObject(doc) ? doc.lottery_data : doc) });
    return result;
  }
  if (doc.metadata !== undefined && !isObject(doc.metadata)) {
    result.problems.push({ source, field: 'metadata', expected: 'an object', found: show(doc.metadata) });
  }
  const dups = new DuplicateRounds();
  doc.lottery_data.forEach((raw, index) => {
    const c = new RecordCheck(source, index, 'number');
    if (!isObject(raw)) {
      c.add('record', 'an object with 회차, 호기, 1등_당첨번호, ...', raw);
      result.problems.push(...c.problems);
      return;
    }
    const round = c.readRound(raw['회차'], '회차');
    const machine = c.readOptionalMachine(raw['호기'], '호기');
    const rawNumbers = raw['1등_당첨번호'];
    let numbers: number[] | undefined;
    if (Array.isArray(rawNumbers)) numbers = c.readNumbers(rawNumbers, '1등_당첨번호');
    else c.add('1등_당첨번호', 'an array of 6 numbers', rawNumbers);
    if (numbers) checkDerived(c, raw, numbers);
    const date = absent(raw['추첨일']) ? undefined : c.readDate(raw['추첨일'], '추첨일');
    const memo = c.readOptionalMemo(raw['특별_메모'], '특별_메모');
    const bonus = absent(raw['보너스번호']) ? undefined : c.readBonus(raw['보너스번호'], numbers, '보너스번호');
    const firstPrizeEach = c.readOptionalCount(raw['1등_당첨금'], '1등_당첨금');
    const firstPrizeWinners = c.readOptionalCount(raw['1등_당첨자수'], '1등_당첨자수');
    const totalSales = c.readOptionalCount(raw['총판매금액'], '총판매금액');
    dups.check(c, round, '회차');
    if (!c.ok) {
      result.problems.push(...c.problems);
      return;
    }
    result.records.push(record({ source, index, round: round as number, date, numbers, bonus, machine, firstPrizeEach, firstPrizeWinners, totalSales, memo }));
  });
  return result;
}

/** The ratio, AC and sum fields must be present and agree with the numbers. */
function checkDerived(c: RecordCheck, raw: Record<string, unknown>, numbers: readonly number[]): void {
  const expectEqual = (key: string, expected: string | number, what: string) => {
    if (raw[key] !== expected) c.add(key, `${JSON.stringify(expected)} (${what} of ${numbers.join(',')})`, raw[key]);
  };
  expectEqual('홀짝_비율', oddEvenRatio(numbers), 'odd:even');
  expectEqual('고저_비율', highLowRatio(numbers), 'high(23–45):low(1–22)');
  const ac = acValue(numbers);
  const legacy = legacyGapAc(numbers);
  if (raw['AC값'] !== ac && raw['AC값'] !== legacy) {
    c.add('AC값', `${ac} (standard AC: distinct pair differences − 5) or ${legacy} (legacy: distinct consecutive gaps)`, raw['AC값']);
  }
  expectEqual('끝수합', lastDigitSum(numbers), 'sum of last digits');
  expectEqual('총합', totalSum(numbers), 'sum');
}

export interface ResJsonOptions {
  /** Export time, written as metadata.last_updated (ISO 8601). */
  now: Date;
  /** Replaces the default data_source text. */
  dataSource?: string;
}

export const DEFAULT_DATA_SOURCE = 'hogi 데이터베이스 (당첨번호: 동행복권 dhlottery.co.kr, 호기: lottotapa.com)';

export function toResJsonRecord(d: Draw): ResJsonRecord {
  return {
    회차: d.round,
    호기: d.machine === null ? null : formatMachine(d.machine),
    '1등_당첨번호': [...d.numbers],
    홀짝_비율: oddEvenRatio(d.numbers),
    고저_비율: highLowRatio(d.numbers),
    AC값: acValue(d.numbers),
    끝수합: lastDigitSum(d.numbers),
    총합: totalSum(d.numbers),
    추첨일: d.date,
    특별_메모: d.memo ?? null,
    보너스번호: d.bonus,
    '1등_당첨금': d.firstPrizeEach,
    '1등_당첨자수': d.firstPrizeWinners,
    총판매금액: d.totalSales,
  };
}

/** The document for these draws (already filtered, in round order). */
export function toResJson(draws: readonly Draw[], options: ResJsonOptions): ResJsonDocument {
  const first = draws[0]?.round;
  const last = draws[draws.length - 1]?.round;
  const machines = new Set(draws.flatMap((d) => (d.machine === null ? [] : [d.machine])));
  const range = first === undefined ? '없음' : `${first}-${last}회차`;
  const notes = [
    '당첨번호는 오름차순',
    '홀짝 비율은 홀수:짝수 형태로 표시',
    '고저 비율은 고수(23-45):저수(1-22) 형태로 표시',
    'AC값은 표준 정의: 6개 번호의 15개 쌍 차이값 중 고유한 값의 개수 - 5 (0~10). 연속 번호 간격의 고유 개수(1~5)가 아님',
    '끝수합은 6개 당첨번호의 끝자리 수의 합',
    '총합은 6개 당첨번호의 총합',
    '보너스번호, 1등_당첨금(1게임당, 원), 1등_당첨자수, 총판매금액(원)은 hogi 확장 키이며 null은 값 없음',
  ];
  if (draws.some((d) => d.machine === null)) notes.push('호기가 null인 회차는 추첨기 정보가 없음');
  return {
    metadata: {
      description: first === undefined ? '동행복권 로또 6/45 추첨기(호기)별 데이터 (해당 회차 없음)' : `동행복권 로또 6/45 ${first}회차부터 ${last}회차까지 추첨기(호기)별 데이터`,
      data_range: range,
      total_machines: machines.size,
      total_rounds: draws.length,
      data_source: options.dataSource ?? DEFAULT_DATA_SOURCE,
      last_updated: options.now.toISOString(),
      version: RESJSON_VERSION,
      notes,
    },
    lottery_data: draws.map(toResJsonRecord),
  };
}

export function writeResJson(draws: readonly Draw[], options: ResJsonOptions): string {
  return `${JSON.stringify(toResJson(draws, options), null, 2)}\n`;
}
