import { beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/data/db.js';
import { drawsRepo, type DrawsRepo } from '../../../src/data/drawsRepo.js';
import { applyImport, planImport } from '../../../src/data/importService.js';
import { predictionsRepo } from '../../../src/data/predictionsRepo.js';
import { DuplicateTicketError, TicketInputError, TicketNotFoundError, ticketsService, type TicketsService } from '../../../src/service/tickets/service.js';
import { FIXTURE_DRAWS } from '../../fixtures/tickets/draws-small.js';
import { importPrizesCsv, ticketPrizesCsv } from '../../helpers/prizesCsv.js';

const SERIAL = '8248193812';
// Round 2 (9 13 21 25 32 42 + 2): A the winning six, B five and the bonus, C three matches.
const QR_ROUND_2 = `http://m.dhlottery.co.kr/?v=0002m091321253242m020913212532q010304091321n000000000000n000000000000${SERIAL}`;
const clock = () => new Date('2026-12-05T12:00:00.000Z');

function ticketCount(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n + (db.prepare('SELECT COUNT(*) AS n FROM ticket_games').get() as { n: number }).n;
}

describe('tickets checked with that round’s stored prize tiers (imported from a prizes CSV in the shipped format)', () => {
  let db: Db;
  let repo: DrawsRepo;
  let svc: TicketsService;

  beforeEach(() => {
    db = openDb(':memory:');
    repo = drawsRepo(db);
    // The product's prize source: the five tiers stored per round in the draws table.
    svc = ticketsService({ db, now: clock });
  });

  it('a scanned ticket of round 2 wins 1st, 2nd and 5th at round 2’s own amounts, taxed by bracket', () => {
    repo.upsertMany(FIXTURE_DRAWS, '2026-01-01T00:00:00.000Z');
    importPrizesCsv(repo, ticketPrizesCsv([1, 2, 3, 1100]));
    const t = svc.add({ qr: QR_ROUND_2 });
    expect(t).toMatchObject({ round: 2, source: 'qr', status: 'checked', amountPending: false, createdAt: '2026-12-05T12:00:00.000Z' });
    expect(t.games.map((g) => [g.slot, g.type, g.result?.rank])).toEqual([
      ['A', 'manual', 1],
      ['B', 'manual', 2],
      ['C', 'auto', 5],
    ]);
    // 1st: 2,002,006,800 − 1,000 taxed 22% up to 300,000,000 and 33% above.
    expect(t.games[0].result).toMatchObject({ matches: 6, prizeGross: 2_002_006_800, tax: 627_661_914, prizeNet: 1_374_344_886 });
    // 2nd: (94,866,800 − 1,000) × 22%.
    expect(t.games[1].result).toMatchObject({ matches: 5, bonusMatch: true, prizeGross: 94_866_800, tax: 20_870_476, prizeNet: 73_996_324 });
    // 5th paid 10,000 won in 2002, not today's 5,000; untaxed.
    expect(t.games[2].result).toMatchObject({ matches: 3, prizeGross: 10_000, tax: 0, prizeNet: 10_000 });
  });

  it('a ticket for a round not drawn yet stays pending; importing the draw checks it, then importing its prize figures gives the amounts', () => {
    repo.upsertMany(FIXTURE_DRAWS.filter((d) => d.round !== 1100), '2026-01-01T00:00:00.000Z');
    importPrizesCsv(repo, ticketPrizesCsv([1, 2, 3]));
    // Round 1100 (17 26 29 30 31 43 + 12): the winning six, five and the bonus, three matches.
    const t = svc.add({ round: 1100, games: [[43, 31, 30, 29, 26, 17], [17, 26, 29, 30, 31, 12], [17, 26, 29, 1, 2, 3]] });
    expect(t.status).toBe('pending');
    expect(t.games.every((g) => g.result === null)).toBe(true);

    // The draw arrives through the import service, without prize figures: checked in that
    // transaction, ranks known, amounts pending.
    const d1100 = FIXTURE_DRAWS.find((d) => d.round === 1100);
    applyImport(repo, planImport(repo, { records: [{ source: 'test', index: 0, round: 1100, date: d1100?.date, numbers: d1100?.numbers, bonus: d1100?.bonus }] }));
    const drawn = svc.get(t.id);
    expect(drawn.status).toBe('checked');
    expect(drawn.amountPending).toBe(true);
    expect(drawn.games.map((g) => [g.result?.rank, g.result?.prizeGross, g.result?.amountPending])).toEqual([
      [1, null, true],
      [2, null, true],
      [5, null, true],
    ]);

    // Its prize figures arrive by `hogi import prizes.csv`: the same write fills every tier's amount.
    expect(importPrizesCsv(repo, ticketPrizesCsv([1100]))).toMatchObject({ updated: 1 });
    const paid = svc.get(t.id);
    expect(paid.amountPending).toBe(false);
    expect(paid.games.map((g) => g.result?.prizeGross)).toEqual([2_207_575_472, 59_050_373, 5_000]);
    // 2nd: (59,050,373 − 1,000) × 22%, rounded down to the won.
    expect(paid.games[1].result).toMatchObject({ tax: 12_990_862, prizeNet: 46_059_511 });
  });

  it('scanning the same ticket twice answers the first ticket instead of counting it again', () => {
    const first = svc.add({ qr: QR_ROUND_2 });
    const before = ticketCount(db);
    let err: unknown;
    try {
      svc.add({ qr: QR_ROUND_2.replace('http://m.', 'https://qr.') });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DuplicateTicketError);
    expect((err as DuplicateTicketError).existingId).toBe(first.id);
    expect(ticketCount(db)).toBe(before);
  });

  it('never stores the serial: no column or meta value holds its digits', () => {
    svc.add({ qr: QR_ROUND_2 });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name);
    const dump = JSON.stringify(tables.map((name) => db.prepare(`SELECT * FROM "${name}"`).all()));
    expect(dump).not.toContain(SERIAL);
    expect(dump).not.toContain(SERIAL.slice(2));
    // Positive control: the same search finds the round's numbers, so it does look at the rows.
    expect(dump).toContain('[9,13,21,25,32,42]');
    const hashes = db.prepare('SELECT serial_hash FROM tickets').all() as Array<{ serial_hash: string }>;
    expect(hashes[0].serial_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a malformed QR, bad games and an over-long label, storing nothing', () => {
    const bad: Array<[Parameters<TicketsService['add']>[0], string, string]> = [
      [{ qr: QR_ROUND_2.replace('dhlottery', 'dhlotterry') }, 'QR_HOST', 'qr.host'],
      [{ qr: QR_ROUND_2.replace('m020913212532', 'm130913212532') }, 'QR_NUMBERS', 'qr.slot_B'],
      [{ round: 5, games: [[1, 2, 3, 4, 5, 46]] }, 'VALIDATION_ERROR', 'games.0'],
      [{ round: 5, games: [[1, 2, 3, 4, 5, 5]] }, 'VALIDATION_ERROR', 'games.0'],
      [{ round: 5, games: [] }, 'VALIDATION_ERROR', 'games'],
      [{ round: 5, games: [[1, 2, 3, 4, 5, 6]], label: 'x'.repeat(101) }, 'VALIDATION_ERROR', 'label'],
      [{ round: 0, games: [[1, 2, 3, 4, 5, 6]] }, 'VALIDATION_ERROR', 'round'],
      [{ predictionId: 'nope' }, 'VALIDATION_ERROR', 'prediction_id'],
    ];
    for (const [input, code, field] of bad) {
      let err: unknown;
      try {
        svc.add(input);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(input).slice(0, 80)).toBeInstanceOf(TicketInputError);
      expect([(err as TicketInputError).code, (err as TicketInputError).field]).toEqual([code, field]);
    }
    expect(ticketCount(db)).toBe(0);
  });

  it('saves a stored prediction’s chosen sets as a ticket of its target round', () => {
    repo.upsertMany(FIXTURE_DRAWS, '2026-01-01T00:00:00.000Z');
    const prediction = {
      requestId: 'p-1', createdAt: '2026-12-01T00:00:00.000Z', source: 'cli', machineType: '1', targetRound: 2, algorithm: 'a', method: 'm',
      dataVersion: 1, seed: 1, modelVersion: 'v', requestJson: '{}', modelVersionsJson: '{}', responseJson: '{}', apiKeyId: null,
    };
    const sets = [[9, 13, 21, 25, 32, 42], [1, 2, 3, 4, 5, 6], [7, 8, 10, 11, 12, 14]].map((numbers, i) => ({
      requestId: 'p-1', setNumber: i + 1, machine: 1, targetRound: 2, numbers, confidenceScore: 0.5, expectedMatches: 0.8,
    }));
    predictionsRepo(db).insertMany([{ prediction, sets }]);
    const t = svc.add({ predictionId: 'p-1', setNumbers: [1, 3], label: ' 1호기 ' });
    expect(t).toMatchObject({ round: 2, source: 'prediction', predictionId: 'p-1', label: '1호기', status: 'checked' });
    expect(t.games.map((g) => [g.slot, g.numbers, g.result?.rank ?? null])).toEqual([
      ['A', [9, 13, 21, 25, 32, 42], 1],
      ['B', [7, 8, 10, 11, 12, 14], null],
    ]);
  });

  it('lists by round and status, relabels and removes', () => {
    repo.upsertMany(FIXTURE_DRAWS.filter((d) => d.round < 1100), '2026-01-01T00:00:00.000Z');
    const a = svc.add({ round: 1, games: [[1, 2, 3, 4, 5, 6]] });
    const b = svc.add({ round: 1100, games: [[1, 2, 3, 4, 5, 6]] });
    expect(svc.list({ status: 'pending' }).items.map((t) => t.id)).toEqual([b.id]);
    expect(svc.list({ round: 1 }).items.map((t) => t.id)).toEqual([a.id]);
    expect(svc.list({ page: 2, pageSize: 1 })).toMatchObject({ total: 2, items: [{ id: a.id }] });
    expect(svc.setLabel(a.id, 'office pool').label).toBe('office pool');
    svc.remove(a.id);
    expect(() => svc.get(a.id)).toThrow(TicketNotFoundError);
    expect(ticketCount(db)).toBe(2); // b and its one game
  });

  it('the ledger counts money in and out per round and cumulatively, and tiers won against chance', () => {
    repo.upsertMany(FIXTURE_DRAWS.filter((d) => d.round < 1100), '2026-01-01T00:00:00.000Z');
    importPrizesCsv(repo, ticketPrizesCsv([1, 2, 3]));
    svc.add({ qr: QR_ROUND_2 }); // 3 games, round 2
    svc.add({ round: 1, games: [[1, 2, 3, 4, 5, 6], [7, 8, 9, 11, 12, 13]] }); // 2 losing games
    svc.add({ round: 1100, games: [[1, 2, 3, 4, 5, 6]] }); // pending
    const s = svc.summary();
    expect(s).toMatchObject({ tickets: 3, games: 6, spent: 6_000, checkedGames: 5, pendingGames: 1 });
    expect(s.gross).toBe(2_002_006_800 + 94_866_800 + 10_000);
    expect(s.net).toBe(1_374_344_886 + 73_996_324 + 10_000);
    expect(s.result).toBe(s.net - 6_000);
    expect(s.rounds.map((r) => [r.round, r.games, r.result, r.status])).toEqual([
      [1, 2, -2_000, 'checked'],
      [2, 3, s.net - 3_000, 'checked'],
      [1100, 1, -1_000, 'pending'],
    ]);
    expect(s.rounds.map((r) => r.cumulativeResult)).toEqual([-2_000, s.net - 5_000, s.net - 6_000]);
    expect(s.tiers.map((t) => t.won)).toEqual([1, 1, 0, 0, 1]);
    expect(s.tiers[4].expected).toBeCloseTo((5 * 182_780) / 8_145_060, 12);
    expect(s.tiers[0].probability).toBe(1 / 8_145_060);
  });
});

describe('prize figures a sync fills in later (first prize first, tiers 2–5 once published)', () => {
  it('each write of the round re-checks its tickets in that transaction, and every tier gets its own amount', () => {
    const db = openDb(':memory:');
    const repo = drawsRepo(db);
    const svc = ticketsService({ db, now: clock });
    const t = svc.add({ round: 2, games: [[9, 13, 21, 25, 32, 42], [9, 13, 21, 1, 3, 4]] });
    expect(t.status).toBe('pending');
    const d2 = FIXTURE_DRAWS[1];
    applyImport(repo, planImport(repo, { records: [{ source: 'draws', index: 0, round: 2, date: d2.date, numbers: d2.numbers, bonus: d2.bonus }] }));
    expect(svc.get(t.id).games.map((g) => [g.result?.rank, g.result?.prizeGross])).toEqual([
      [1, null],
      [5, null],
    ]);
    // The first prize is known, tiers 2–5 are not yet (dhlottery publishes them later).
    applyImport(repo, planImport(repo, { records: [{ source: 'prizes', index: 0, round: 2, firstPrizeEach: 2_002_006_800, firstPrizeWinners: 1, totalSales: 4_904_274_000 }] }));
    const first = svc.get(t.id);
    expect(first.games[0].result).toMatchObject({ rank: 1, prizeGross: 2_002_006_800, prizeNet: 1_374_344_886 });
    expect(first.games[1].result).toMatchObject({ rank: 5, prizeGross: null, amountPending: true });
    // Tiers 2–5 arrive: the 5th prize of round 2 (10,000 won in 2002) is paid, untaxed.
    const tiers = [{ winners: 2, prizeEach: 94_866_800 }, { winners: 103, prizeEach: 1_842_000 }, { winners: 3763, prizeEach: 100_800 }, { winners: 55480, prizeEach: 10_000 }] as const;
    applyImport(repo, planImport(repo, { records: [{ source: 'sync', index: 0, round: 2, lowerTiers: tiers }] }));
    const after = svc.get(t.id);
    expect(after.amountPending).toBe(false);
    expect(after.games[1].result).toMatchObject({ rank: 5, prizeGross: 10_000, tax: 0, prizeNet: 10_000, amountPending: false });
    expect(svc.checkAll()).toEqual({ rounds: 1, games: 2 });
  });
});
