import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo, type DrawsRepo } from '../../src/data/drawsRepo.js';
import { exportDraws } from '../../src/data/exportService.js';
import { parseImportText } from '../../src/data/formats/detect.js';
import { parseDhlotteryResponse } from '../../src/data/formats/dhlottery.js';
import type { IncomingRecord, ParseResult } from '../../src/data/formats/types.js';
import { applyImport, combineInputs, countPlan, ImportRefusedError, planImport } from '../../src/data/importService.js';
import type { Draw } from '../../src/domain/draw.js';
import { dumpDb } from '../helpers/dbDump.js';
import { wireResponse } from '../helpers/dhlotteryWire.js';
import { historyDrawsCsv, historyMachinesCsv, historyPrizesCsv, REPO_ROOT, loadHistoryDraws } from '../helpers/history.js';

// The shipped history written as the shared data folder's CSV files (test/helpers/history.ts).
const DRAWS_CSV = historyDrawsCsv();
const MACHINES_CSV = historyMachinesCsv();

const FIXTURES = resolve(REPO_ROOT, 'test/fixtures/import');
const file = (path: string): ParseResult => parseImportText(readFileSync(path, 'utf8'), path);
const fixture = (name: string) => file(resolve(FIXTURES, name));
const NOW = new Date('2024-01-01T00:00:00Z');

function importAll(repo: DrawsRepo, inputs: ParseResult[], overwrite = false) {
  const plan = planImport(repo, combineInputs(inputs), { overwrite });
  return { plan, counts: applyImport(repo, plan, { now: NOW }) };
}

/** Every stored field of every row, without the bookkeeping timestamps. */
const rowsOf = (repo: DrawsRepo) => repo.list().map((d) => ({ ...d, memo: d.memo ?? null }));

let db: Db;
let repo: DrawsRepo;
beforeEach(() => {
  db = openDb(':memory:');
  repo = drawsRepo(db);
});

const small = () => importAll(repo, [fixture('draws-small.csv')]);

describe('planImport / applyImport', () => {
  it('loads the full shared history: 1245 draws and 979 machine labels, equal to the source files', () => {
    const { counts } = importAll(repo, [file(DRAWS_CSV), file(MACHINES_CSV)]);
    expect(counts).toEqual({ added: 1245, updated: 0, unchanged: 0, rejected: 0, conflicts: 0 });
    expect(repo.count()).toBe(1245);
    expect(repo.list().filter((d) => d.machine !== null)).toHaveLength(979);
    // A draws CSV and a machines CSV carry no tiers 2–5 or split: those stay unknown.
    expect(rowsOf(repo)).toEqual(loadHistoryDraws().map((d) => ({ ...d, memo: null, lowerTiers: null, firstPrizeSplit: null })));
  });

  it('adds all five prize tiers and the split from a prizes CSV, equal to the shipped history', () => {
    importAll(repo, [file(DRAWS_CSV), file(MACHINES_CSV)]);
    const { counts } = importAll(repo, [file(historyPrizesCsv())]);
    expect(counts).toEqual({ added: 0, updated: 1238, unchanged: 0, rejected: 0, conflicts: 0 });
    expect(rowsOf(repo)).toEqual(loadHistoryDraws().map((d) => ({ ...d, memo: null })));
  });

  it('re-importing the same files changes nothing, not even the data version', () => {
    importAll(repo, [file(DRAWS_CSV), file(MACHINES_CSV)]);
    const before = dumpDb(db);
    const { counts } = importAll(repo, [file(DRAWS_CSV), file(MACHINES_CSV)]);
    expect(counts).toEqual({ added: 0, updated: 0, unchanged: 1245, rejected: 0, conflicts: 0 });
    expect(dumpDb(db)).toEqual(before);
  });

  it.each(['resjson', 'csv'] as const)('export as %s and import into an empty database gives equal rows for the whole history', (format) => {
    importAll(repo, [file(DRAWS_CSV), file(MACHINES_CSV)]);
    const { text, rounds } = exportDraws(repo, { format, includeUnlabelled: true, now: NOW });
    expect(rounds).toBe(1245);
    const repoB = drawsRepo(openDb(':memory:'));
    const { counts } = importAll(repoB, [parseImportText(text, `export.${format}`)]);
    expect(counts.added).toBe(1245);
    expect(rowsOf(repoB)).toEqual(rowsOf(repo));
  });

  it('exports res.json with only labelled rounds unless unlabelled ones are asked for', () => {
    importAll(repo, [file(DRAWS_CSV), file(MACHINES_CSV)]);
    const labelled = exportDraws(repo, { format: 'resjson', now: NOW });
    expect(labelled).toMatchObject({ rounds: 979, skippedUnlabelled: 266 });
    const doc = JSON.parse(labelled.text) as { lottery_data: Array<{ 호기: string | null }> };
    expect(doc.lottery_data.every((r) => /^[1-3]호기$/.test(r.호기 ?? ''))).toBe(true);
    const filtered = exportDraws(repo, { format: 'csv', from: 1000, to: 1009, machine: 2 });
    const expected = loadHistoryDraws().filter((d) => d.round >= 1000 && d.round <= 1009 && d.machine === 2);
    expect(filtered.rounds).toBe(expected.length);
    expect(filtered.text.trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]))).toEqual(expected.map((d) => d.round));
  });

  it('keeps a memo through both export formats', () => {
    small();
    importAll(repo, [fixture('res-foreign.json')]);
    expect(repo.get(1003)?.memo).toBe('테스트 메모');
    for (const format of ['resjson', 'csv'] as const) {
      const repoB = drawsRepo(openDb(':memory:'));
      importAll(repoB, [parseImportText(exportDraws(repo, { format, includeUnlabelled: true, now: NOW }).text, 'x')]);
      expect(rowsOf(repoB)).toEqual(rowsOf(repo));
    }
  });

  it('imports the official API format', () => {
    const draws = loadHistoryDraws().slice(-5);
    const { counts } = importAll(repo, [parseDhlotteryResponse(wireResponse(draws), 'api')]);
    expect(counts.added).toBe(5);
    expect(rowsOf(repo)).toEqual(draws.map((d) => ({ ...d, machine: null, memo: null })));
  });

  it('a third-party res.json (no bonus, no date, legacy AC) labels and annotates stored rounds: updates, not conflicts', () => {
    small();
    const { counts } = importAll(repo, [fixture('res-foreign.json')]);
    expect(counts).toEqual({ added: 0, updated: 3, unchanged: 0, rejected: 0, conflicts: 0 });
    expect(repo.list().map((d) => [d.round, d.machine, d.memo])).toEqual([
      [1001, 1, null],
      [1002, 2, null],
      [1003, 3, '테스트 메모'],
    ]);
  });

  it('counts added, updated and unchanged rounds in one batch', () => {
    small();
    const more = parseImportText('round,machine\n1001,1\n', 'm.csv');
    importAll(repo, [more]);
    // 1001: labelled 1 already (unchanged); 1002: gets a label (updated); 1004: new (added).
    const batch = parseImportText(
      'round,date,n1,n2,n3,n4,n5,n6,bonus,first_prize_each,first_prize_winners,total_sales,machine\n' +
        '1001,2022-02-05,1,4,10,12,28,45,7,1000000000,10,100000000000,1\n' +
        '1002,2022-02-12,3,9,11,12,13,19,20,2000000000,5,110000000000,2\n' +
        '1004,2022-03-05,2,7,19,25,33,41,11,,,,\n',
      'batch.csv',
    );
    const { counts, plan } = importAll(repo, [batch]);
    expect(counts).toEqual({ added: 1, updated: 1, unchanged: 1, rejected: 0, conflicts: 0 });
    expect(plan.updated[0].fields).toEqual(['machine']);
    expect(repo.get(1004)).toMatchObject({ numbers: [2, 7, 19, 25, 33, 41], bonus: 11, firstPrizeEach: null, machine: null });
  });

  it('filling a stored unknown prize is an update', () => {
    importAll(repo, [parseImportText('round,date,n1,n2,n3,n4,n5,n6,bonus,first_prize_each,first_prize_winners,total_sales\n1001,2022-02-05,1,4,10,12,28,45,7,,,\n', 'a.csv')]);
    const { counts } = small();
    expect(counts).toMatchObject({ updated: 1, added: 2, conflicts: 0 });
    expect(repo.get(1001)?.totalSales).toBe(100000000000);
  });
});

describe('refused imports leave the database exactly as it was', () => {
  function expectRefused(inputs: ParseResult[], overwrite = false) {
    const before = dumpDb(db);
    const plan = planImport(repo, combineInputs(inputs), { overwrite });
    expect(plan.ok).toBe(false);
    expect(() => applyImport(repo, plan, { now: NOW })).toThrow(ImportRefusedError);
    expect(dumpDb(db)).toEqual(before);
    return plan;
  }

  it('changing the machine of a stored round is refused without --overwrite, listing the conflict', () => {
    small();
    importAll(repo, [fixture('machines-small.csv')]);
    const plan = expectRefused([fixture('res-machine-change.json')]);
    expect(plan.conflicts).toEqual([expect.objectContaining({ round: 1001, field: 'machine', stored: '1호기', incoming: '2호기', index: 0 })]);
    expect(countPlan(plan)).toMatchObject({ rejected: 1, updated: 0 });
  });

  it('changing the machine of a stored round is applied with --overwrite', () => {
    small();
    importAll(repo, [fixture('machines-small.csv')]);
    const { counts } = importAll(repo, [fixture('res-machine-change.json')], true);
    expect(counts).toMatchObject({ updated: 1, conflicts: 1, rejected: 0 });
    expect(repo.get(1001)?.machine).toBe(2);
    expect(repo.get(1002)?.machine).toBe(2);
  });

  it('a file disagreeing with stored numbers, bonus, date or prizes is refused whole, every conflict listed', () => {
    small();
    const text =
      'round,date,n1,n2,n3,n4,n5,n6,bonus,first_prize_each,first_prize_winners,total_sales\n' +
      '1001,2022-02-06,1,4,10,12,28,44,7,1000000000,10,100000000000\n' +
      '1002,2022-02-12,3,9,11,12,13,19,21,2000000001,5,110000000000\n' +
      '1005,2022-03-12,1,2,3,4,5,6,7,0,0,0\n';
    const plan = expectRefused([parseImportText(text, 'x.csv')]);
    expect(plan.conflicts.map((c) => [c.round, c.field])).toEqual([
      [1001, 'date'],
      [1001, 'numbers'],
      [1002, 'bonus'],
      [1002, 'firstPrizeEach'],
    ]);
    expect(plan.added.map((d) => d.round)).toEqual([1005]);
  });

  it('a res.json with bad records reports every one of them and writes none of the good ones', () => {
    small();
    const plan = expectRefused([fixture('res-bad.json')]);
    expect(plan.problems.map((p) => [p.index, p.round, p.field])).toEqual([
      [0, 1001, '홀짝_비율'],
      [1, 1002, '총합'],
      [2, 1003, 'AC값'],
    ]);
    expect(plan.rejected).toBe(3);
    expect(repo.get(1004)).toBeNull();
  });

  it('a duplicate round in one file is refused', () => {
    small();
    expectRefused([fixture('res-duplicate.json')]);
  });

  it('an unknown format is refused, together with the problems of the other files', () => {
    const plan = expectRefused([fixture('unknown.csv'), fixture('draws-small.csv'), fixture('res-bad.json')]);
    expect(plan.problems[0]).toMatchObject({ field: 'format' });
    expect(plan.problems).toHaveLength(4);
  });

  it('machine labels for a round neither stored nor in the batch are a problem', () => {
    small();
    const plan = expectRefused([parseImportText('round,machine\n1003,3\n1500,1\n', 'm.csv')]);
    expect(plan.problems.map((p) => [p.index, p.round, p.field])).toEqual([
      [1, 1500, 'date'],
      [1, 1500, 'numbers'],
      [1, 1500, 'bonus'],
    ]);
  });

  it('a res.json record for an unknown round without bonus and date is a problem', () => {
    const plan = expectRefused([fixture('res-foreign.json')]);
    expect(plan.problems.filter((p) => p.round === 1001).map((p) => p.field)).toEqual(['date', 'bonus']);
    expect(plan.problems[0].expected).toMatch(/not stored/);
  });

  it('two files of one batch that disagree about a round are a problem', () => {
    const plan = expectRefused([fixture('draws-small.csv'), fixture('machines-small.csv'), parseImportText('round,machine\n1001,2\n', 'other.csv')]);
    expect(plan.problems).toEqual([expect.objectContaining({ source: 'other.csv', round: 1001, field: 'machine', found: '2호기' })]);
  });

  it('overwriting the numbers cannot put the stored bonus among them', () => {
    small();
    // Stored 1001 has bonus 7; this record replaces only the numbers, with a set that contains 7.
    const rec: IncomingRecord = { source: 'y.json', index: 0, round: 1001, numbers: [1, 4, 7, 12, 28, 45] };
    const plan = expectRefused([{ format: 'resjson', source: 'y.json', records: [rec], problems: [] }], true);
    expect(plan.problems).toEqual([expect.objectContaining({ round: 1001, field: 'bonus' })]);
  });

  it('a plan made before another writer changed the data is not applied', () => {
    small();
    const plan = planImport(repo, fixture('machines-small.csv'), {});
    repo.upsertMany([{ ...(repo.get(1001) as Draw), machine: 3 }], NOW.toISOString());
    const before = dumpDb(db);
    expect(() => applyImport(repo, plan)).toThrow(/changed since/);
    expect(dumpDb(db)).toEqual(before);
  });
});
