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
const paid = { firstPrizeEach: 2_002_006_800, firstPrizeWinners: 1, totalSales: 4_904_274_000 };
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
    const options = { repo, dhlotteryUrl: fx.dhlotteryUrl, lottotapaUrl: fx.lottotapaUrl, env: {}, now: () => new Date('2026-12-05T12:00:00Z'), http: { retries: 0, minIntervalMs: 0, sleep: async () => {} } };
    await sync(options);
    const t = svc.add({ round: 2, games: [[9, 13, 21, 25, 32, 42]] });
    expect(t.status).toBe('pending');

    fx.state.draws = [fx.state.draws[0], { ...d2, ...unpaid }];
    const first = await sync(options);
    expect(first.added).toBe(1);
    expect(svc.get(t.id).games[0].result).toMatchObject({ rank: 1, prizeGross: null, amountPending: true });

    fx.state.draws = [fx.state.draws[0], { ...d2, ...paid }];
    const second = await sync(options);
    expect(second.filled).toBe(1);
    expect(svc.get(t.id).games[0].result).toMatchObject({ rank: 1, prizeGross: 2_002_006_800, prizeNet: 1_374_344_886, amountPending: false });
  });
});
