// The official dhlottery.co.kr API response (GET /lt645/selectPstLt645Info.do, and the same record
// layout from /lt645/selectPstLt645InfoNew.do, which lists ten rounds around the one asked for):
// {"resultCode":…, "resultMessage":…, "data":{"list":[{ltEpsd, ltRflYmd, tm1WnNo…tm6WnNo, bnsWnNo,
//   rnk1WnNope…rnk5WnNope, rnk1WnAmt…rnk5WnAmt, rnk1SumWnAmt…, winType0…winType3, …}]}}.
// Shared by `hogi import` and `hogi sync`; pure: text or value in, records and problems out.
import type { Problem } from '../../domain/problems.js';
import { show } from '../../domain/problems.js';
import { completeLowerTiers, type FirstPrizeSplit } from '../../domain/prizes.js';
import { DuplicateRounds, RecordCheck, record } from './fields.js';
import type { IncomingRecord, ParseResult } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const DHLOTTERY_NUMBER_FIELDS = ['tm1WnNo', 'tm2WnNo', 'tm3WnNo', 'tm4WnNo', 'tm5WnNo', 'tm6WnNo'] as const;

/**
 * Map one `data.list` entry to a record. Integers may be JSON numbers or numeric strings.
 * Total sales come from wholEpsdSumNtslAmt (the whole round's sales); rlvtEpsdSumNtslAmt is a
 * different amount and is never read. Every mapped field must be present: a missing one means the
 * API changed, and guessing would store wrong data.
 *
 * Tiers 2–5 (rnkNWnNope winners, rnkNWnAmt prize each) and the first-prize split (winType1 auto,
 * winType2 manual, winType3 semi-auto) read 0 until dhlottery publishes them, shortly after the
 * draw, and the split reads 0/0/0 before round 262. Such zeros are "not published", never "nobody
 * won": the record leaves those fields out (unknown) so a later sync fills them. Tier totals
 * (rnkNSumWnAmt) are not read: for old rounds they hold carry-overs, not winners × prize.
 */
export function mapDhlotteryRecord(raw: unknown, index: number, source: string): { record: IncomingRecord | null; problems: Problem[] } {
  const c = new RecordCheck(source, index, 'either');
  if (!isObject(raw)) {
    c.add('record', 'an object with ltEpsd, ltRflYmd, tm1WnNo..tm6WnNo, bnsWnNo', raw);
    return { record: null, problems: c.problems };
  }
  const round = c.readRound(raw.ltEpsd, 'ltEpsd');
  const date = c.readDate(raw.ltRflYmd, 'ltRflYmd', true);
  const numbers = c.readNumbers(DHLOTTERY_NUMBER_FIELDS.map((k) => raw[k]), 'tm1WnNo..tm6WnNo');
  const bonus = c.readBonus(raw.bnsWnNo, numbers, 'bnsWnNo');
  const firstPrizeEach = c.readCount(raw.rnk1WnAmt, 'rnk1WnAmt');
  const firstPrizeWinners = c.readCount(raw.rnk1WnNope, 'rnk1WnNope');
  const totalSales = c.readCount(raw.wholEpsdSumNtslAmt, 'wholEpsdSumNtslAmt');
  const tiers = ([2, 3, 4, 5] as const).map((k) => ({ winners: c.readCount(raw[`rnk${k}WnNope`], `rnk${k}WnNope`), prizeEach: c.readCount(raw[`rnk${k}WnAmt`], `rnk${k}WnAmt`) }));
  const [auto, manual, semiAuto] = (['winType1', 'winType2', 'winType3'] as const).map((f) => c.readCount(raw[f], f));
  if (!c.ok) return { record: null, problems: c.problems };
  const lowerTiers = tiers.every((t) => t.winners === 0) ? undefined : (completeLowerTiers(tiers) ?? undefined); // never null here: every count was read (c.ok)
  let firstPrizeSplit: FirstPrizeSplit | undefined;
  const splitSum = (auto as number) + (manual as number) + (semiAuto as number);
  if (splitSum > 0) {
    if (splitSum !== firstPrizeWinners) {
      c.addRaw('winType1..winType3', `auto + manual + semi-auto games equal to rnk1WnNope (${firstPrizeWinners})`, `${auto} + ${manual} + ${semiAuto} = ${splitSum}`);
      return { record: null, problems: c.problems };
    }
    firstPrizeSplit = { auto: auto as number, manual: manual as number, semiAuto: semiAuto as number };
  }
  return {
    record: record({ source, index, round: round as number, date, numbers, bonus, firstPrizeEach, firstPrizeWinners, totalSales, lowerTiers, firstPrizeSplit }),
    problems: [],
  };
}

/** True when a body looks like an HTML page (the site's waiting or reject page) rather than JSON. */
export function looksLikeHtml(text: string): boolean {
  return /^\s*</.test(text);
}

/**
 * Parse a whole response. An empty `list` (a round not drawn yet) gives no records and no problems.
 * An HTML page, invalid JSON or a missing `data.list` gives one problem that says what was found.
 * Entries are identified by ltEpsd, never by their position; a repeated ltEpsd is a problem.
 */
export function parseDhlotteryResponse(input: unknown, source = 'dhlottery'): ParseResult {
  const result: ParseResult = { format: 'dhlottery', source, records: [], problems: [] };
  let body: unknown = input;
  if (typeof input === 'string') {
    if (looksLikeHtml(input)) {
      result.problems.push({ source, field: 'response', expected: 'JSON from the dhlottery API', found: `an HTML page (the site may be blocking or queueing requests): ${show(input.trim().slice(0, 120))}` });
      return result;
    }
    try {
      body = JSON.parse(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
    } catch (e) {
      result.problems.push({ source, field: 'response', expected: 'valid JSON', found: (e as Error).message });
      return result;
    }
  }
  const data = isObject(body) ? body.data : undefined;
  const list = isObject(data) ? data.list : undefined;
  if (!Array.isArray(list)) {
    const status = isObject(body) ? ` (resultCode ${show(body.resultCode)}, resultMessage ${show(body.resultMessage)})` : '';
    result.problems.push({ source, field: 'data.list', expected: 'an array of draw records', found: `${show(list)}${status}` });
    return result;
  }
  const dups = new DuplicateRounds();
  list.forEach((raw, index) => {
    const { record: rec, problems } = mapDhlotteryRecord(raw, index, source);
    if (rec) {
      const c = new RecordCheck(source, index, 'either');
      c.round = rec.round;
      dups.check(c, rec.round, 'ltEpsd');
      if (!c.ok) {
        result.problems.push(...c.problems);
        return;
      }
      result.records.push(rec);
    } else result.problems.push(...problems);
  });
  return result;
}
