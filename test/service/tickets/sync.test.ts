// `hogi sync` (the weekly cycle's step too) checks the round's tickets as it writes the draw, and
// again when a later sync fills in the prize figures, against a local fixture of dhlottery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/data/db.js';
import { drawsRepo } from '../../../src/data/drawsRepo.js';
import { sync } from '../../../src/data/sync/syncService.js';
import { ticketsService } from '../../../src/service/tickets/service.js';
import { startFixtureServer, type FixtureServer } from '../../data/sync/fixtureServer.js';
import { FIXTURE_DRAWS } from '../../fixtures/tickets/draws-small.js';

const [d1, d2] = FIXTURE_DRAWS;
// Round 2's official figures, all five tiers (2nd 94,866,800; 5th 10,000 won in 2002).
const lowerTiers = [{ winners: 2, prizeEach: 94_866_800 }, { winners: 103, prizeEach: 1_842_000 }, { winners: 3763, prizeEach: 100_800 }, { winners: 55480, prizeEach: 10_000 }] as const;
const paid = { firstPrizeEach: 2_002_006_800, firstPrizeWinners: 1, totalSales: 4_904_274_000, lowerTiers };
// Right after the draw dhlottery shows the numbers with every prize figure 0 (not published yet).
const unpaid = { firstPrizeEach: 0, firstPrizeWinners: 0, totalSales: 0 };

let fx: FixtureServer;
beforeAll(async () => {
  fx = await startFixtureServer({ draws: [{ ...d1, firstPrizeEach: 0, firstPrizeWinners: 0, totalSales: 3_681_782_000 }] });
});
afterAll(() => fx.close());

describe('sync checks tickets', () => {
  it('a pending ticket is checked when sync brings its round, and gets its amount when a later sync brings the prizes', async () => {
    const db = openDb(':memory:');
    const repo = drawsRepo(db);
    const svc = ticketsService({ db });
    const options = { repo, dhlotteryUrl: fx.dhlotteryUrl, lottotapaUrl: fx.lottotapaUrl, now: () => new Date('2026-12-05T12:00:00Z'), http: { retries: 0, minIntervalMs: 0, sleep: async () => {} } };
    await sync(options);
    // Round 2 is 9 13 21 25 32 42 + 2: the winning six, five and the bonus, three matches.
    const t = svc.add({ round: 2, games: [[9, 13, 21, 25, 32, 42], [2, 9, 13, 21, 25, 32], [1, 3, 4, 9, 13, 21]] });
    expect(t.status).toBe('pending');

    fx.state.draws = [fx.state.draws[0], { ...d2, ...unpaid }];
    const first = await sync(options);
    expect(first.added).toBe(1);
    expect(svc.get(t.id).games.map((g) => [g.result?.rank, g.result?.prizeGross, g.result?.amountPending])).toEqual([
      [1, null, true],
      [2, null, true],
      [5, null, true],
    ]);

    fx.state.draws = [fx.state.draws[0], { ...d2, ...paid }];
    const second = await sync(options);
    expect(second.filled).toBe(1);
    const games = svc.get(t.id).games;
    expect(games[0].result).toMatchObject({ rank: 1, prizeGross: 2_002_006_800, prizeNet: 1_374_344_886, amountPending: false });
    expect(games[1].result).toMatchObject({ rank: 2, prizeGross: 94_866_800, tax: 20_870_476, prizeNet: 73_996_324, amountPending: false });
    expect(games[2].result).toMatchObject({ rank: 5, prizeGross: 10_000, tax: 0, prizeNet: 10_000, amountPending: false });
  });
});
