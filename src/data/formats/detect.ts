// Format detection by content only (never by file name), so a mislabelled file is still read
// correctly and an unrecognised one is refused with a message instead of being guessed at.
import type { Problem } from '../../domain/problems.js';
import { show } from '../../domain/problems.js';
import { parseCsvRows } from './csv.js';
import { parseDhlotteryResponse } from './dhlottery.js';
import { DRAWS_CSV_HEADER_TEXT, isDrawsCsvHeader, parseDrawsCsv } from './drawsCsv.js';
import { isMachinesCsvHeader, MACHINES_CSV_HEADER, parseMachinesCsv } from './machinesCsv.js';
import { isPrizesCsvHeader, parsePrizesCsv, PRIZES_CSV_HEADER } from './prizesCsv.js';
import { parseResJson } from './resJson.js';
import type { FormatName, ParseResult } from './types.js';

export const EXPECTED_FORMATS =
  `res.json ({"metadata", "lottery_data": [...]}), the dhlottery API JSON ({"data": {"list": [...]}}), ` +
  `a draws CSV (header ${DRAWS_CSV_HEADER_TEXT}), a machines CSV (header ${MACHINES_CSV_HEADER.join(',')}) ` +
  `or a prizes CSV (header ${PRIZES_CSV_HEADER.join(',')})`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export type Detection = { format: FormatName; json?: unknown } | { format: 'unknown'; problem: Problem };

export function detectFormat(text: string, source: string): Detection {
  const unknown = (found: string): Detection => ({ format: 'unknown', problem: { source, field: 'format', expected: EXPECTED_FORMATS, found } });
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const head = body.trimStart();
  if (head === '') return unknown('an empty file');
  if (head.startsWith('<')) return unknown('an HTML/XML document');
  if (head.startsWith('{') || head.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (e) {
      return unknown(`JSON that does not parse (${(e as Error).message})`);
    }
    if (isObject(json) && 'lottery_data' in json) return { format: 'resjson', json };
    if (isObject(json) && isObject(json.data) && 'list' in json.data) return { format: 'dhlottery', json };
    return unknown(isObject(json) ? `JSON with keys ${show(Object.keys(json))}` : 'a JSON array');
  }
  const header = (parseCsvRows(body.split(/\r?\n/, 1)[0])[0] ?? []).map((h) => h.trim());
  if (isDrawsCsvHeader(header)) return { format: 'draws-csv' };
  if (isMachinesCsvHeader(header)) return { format: 'machines-csv' };
  if (isPrizesCsvHeader(header)) return { format: 'prizes-csv' };
  return unknown(`a text file whose first line is ${show(body.split(/\r?\n/, 1)[0])}`);
}

/** Detect the format of one file's text and parse it; an unknown format is one problem naming the file. */
export function parseImportText(text: string, source: string): ParseResult {
  const d = detectFormat(text, source);
  switch (d.format) {
    case 'resjson':
      return parseResJson(d.json, source);
    case 'dhlottery':
      return parseDhlotteryResponse(d.json, source);
    case 'draws-csv':
      return parseDrawsCsv(text, source);
    case 'machines-csv':
      return parseMachinesCsv(text, source);
    case 'prizes-csv':
      return parsePrizesCsv(text, source);
    case 'unknown':
      return { format: 'unknown', source, records: [], problems: [d.problem] };
  }
}
