import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, parseImportText } from '../../../src/data/formats/detect.js';
import { REPO_ROOT } from '../../helpers/history.js';

const fixture = (name: string) => readFileSync(resolve(REPO_ROOT, 'test/fixtures/import', name), 'utf8');

describe('format detection', () => {
  it.each([
    ['res-foreign.json', 'resjson'],
    ['draws-small.csv', 'draws-csv'],
    ['machines-small.csv', 'machines-csv'],
  ])('recognises %s by its content', (name, format) => {
    expect(detectFormat(fixture(name), name).format).toBe(format);
  });

  it('recognises the dhlottery API JSON by data.list, even when the list is empty', () => {
    expect(detectFormat('{"resultCode":null,"resultMessage":null,"data":{"list":[]}}', 'x').format).toBe('dhlottery');
  });

  it('ignores a UTF-8 BOM and CRLF line ends', () => {
    expect(detectFormat('\ufeffround,machine\r\n262,1\r\n', 'x').format).toBe('machines-csv');
  });

  it.each([
    ['unknown.csv', () => fixture('unknown.csv'), /first line is "name,score"/],
    ['empty.txt', () => '', /empty/],
    ['page.html', () => '<html><body>blocked</body></html>', /HTML/],
    ['other.json', () => '{"draws": []}', /keys \["draws"\]/],
    ['broken.json', () => '{"lottery_data": [', /does not parse/],
  ])('refuses %s with one problem naming the file and the accepted formats', (name, text, found) => {
    const r = parseImportText(text(), name);
    expect(r.format).toBe('unknown');
    expect(r.records).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ source: name, field: 'format' });
    expect(r.problems[0].found).toMatch(found);
    expect(r.problems[0].expected).toMatch(/res\.json.*dhlottery.*draws CSV.*machines CSV/);
  });
});
