import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/data/db.js';
import { drawsRepo, type DrawsRepo } from '../../../src/data/drawsRepo.js';
import { BlockedError, ChangedFormatError, OfflineError, TimeoutError } from '../../../src/data/sync/http.js';
import { sync, SYNC_META_ERROR, SYNC_META_SUCCESS, type SyncOptions, type SyncProgress } from '../../../src/data/sync/syncService.js';
import type { Draw } from '../../../src/domain/draw.js';
import type { FirstPrizeSplit, LowerTiers } from '../../../src/domain/prizes.js';
import { loadHistoryDraws } from '../../helpers/history.js';
import { closedPort, startFixtureServer, type FixtureServer } from './fixtureServer.js';

/** Tiers 2–5 (made up, test-only) for a round; shaped like the real ones. */
const madeUpTiers = (round: number): LowerTiers => [
  { winners: 80 + (round % 7), prizeEach: 60_000_000 + round },
  { winners: 3_000 + round, prizeEach: 1_500_000 },
  { winners: 150_000 + round, prizeEach: 50_000 },
  { winners: 2_500_000 + round, prizeEach: 5_000 },
];
const madeUpSplit = (winners: number): FirstPrizeSplit => ({ auto: winners - Math.floor(winners / 3), manual: Math.floor(winners / 3), semiAuto: 0 });

/**
 * The shipped history as a site that has published everything: rounds 1239–1245, whose tiers 2–5
 * and split no source held, get made-up figures so "nothing to fetch" is reachable.
 */
const shared = loadHistoryDraws().map((d) =>
  d.lowerTiers ? d : { ...d, lowerTiers: madeUpTiers(d.round), firstPrizeSplit: madeUpSplit(d.firstPrizeWinners ?? 0) },
);
const NOW = new Date('2026-10-11T12:00:00Z');

/** Rounds after the shared history, made up for incremental syncs (one Saturday apart). */
function nextDraw(round: number, machine: number | null, prizes = true): Draw {
  const date = new Date(Date.UTC(2002, 11, 7) + (round - 1) * 7 * 86_400_000).toISOString().slice(0, 10);
  const base = (round * 7) % 39;
  return {
    round, date,
    numbers: [base + 1, base + 2, base + 3, base + 4, base + 5, base + 6],
    bonus: base === 0 ? 45 : base,
    machine,
    firstPrizeEach: prizes ? 2_000_000_000 + round : 0,
    firstPrizeWinners: prizes ? 12 : 0,
    totalSales: prizes ? 120_000_000_000 + round : 0,
    ...(prizes ? { lowerTiers: madeUpTiers(round), firstPrizeSplit: madeUpSplit(12) } : {}),
  };
}

let fx: FixtureServer;
let repo: DrawsRepo;
let sleeps: number[];

beforeAll(async () => {
  fx = await startFixtureServer({ draws: shared });
});
afterAll(async () => {
  await fx.close();
});
beforeEach(() => {
  fx.reset(shared);
  repo = drawsRepo(openDb(':memory:'));
  sleeps = [];
});

function opts(extra: Partial<SyncOptions> = {}): SyncOptions {
  return {
    repo,
    dhlotteryUrl: fx.dhlotteryUrl,
    lottotapaUrl: fx.lottotapaUrl,
   
    now: () => NOW,
    http: { timeoutMs: 10_000, retries: 2, minIntervalMs: 0, seed: 3, sleep: async (ms) => void sleeps.push(ms) },
    ...extra,
  };
}

const asStored = (d: Draw): Draw => ({ ...d, memo: null, lowerTiers: d.lowerTiers ?? null, firstPrizeSplit: d.firstPrizeSplit ?? null });
/** Everything a user could observe in the draws table, plus the write counter. */
const snapshot = () => JSON.stringify({ draws: repo.list(), version: repo.dataVersion() });

function seed(draws: readonly Draw[]): void {
  repo.upsertMany(draws, '2026-01-01T00:00:00.000Z');
}

function requestsDuring<T>(fn: () => Promise<T>): Promise<{ result: T; requests: string[] }> {
  const before = fx.requests.length;
  return fn().then((result) => ({ result, requests: fx.requests.slice(before) }));
}

describe('sync: the normal case', () => {
  it('fills an empty database with all 1245 draws and 979 labels in one dhlottery request, then adds exactly the new rounds', async () => {
    const events: SyncProgress[] = [];
    const first = await requestsDuring(() => sync(opts({ onProgress: (p) => events.push(p) })));
    expect(first.requests).toEqual([
      '/lt645/selectPstLt645Info.do',
      '/lt645/selectPstLt645Info.do?srchLtEpsd=all',
      '/stat/result_hogi.php?sel_start=262&sel_end=1245&selHogi=',
    ]);
    expect(first.result).toMatchObject({ latestRound: 1245, previousRound: null, mode: 'all', added: 1245, labelled: 979, conflicts: [], written: true });
    expect(first.result.unlabelled).toEqual([1241, 1242, 1243, 1244, 1245]);
    expect(repo.list()).toEqual(shared.map(asStored));
    expect(repo.count({ machine: 1 }) + repo.count({ machine: 2 }) + repo.count({ machine: 3 })).toBe(979);
    expect(events.some((e) => e.phase === 'draws' && e.done === e.total && e.total === 1244)).toBe(true);
    expect(JSON.parse(repo.getMeta(SYNC_META_SUCCESS) ?? '{}')).toMatchObject({ at: NOW.toISOString(), latestRound: 1245, added: 1245 });

    // Nothing new: nothing written, the data version stays.
    const version = repo.dataVersion();
    const again = await sync(opts());
    expect(again).toMatchObject({ added: 0, labelled: 0, written: false, conflicts: [] });
    expect(repo.dataVersion()).toBe(version);

    // One new round (with its label): only that round is added, without srchLtEpsd=all.
    const r1246 = nextDraw(1246, 2);
    fx.state.draws = [...shared, r1246];
    const one = await requestsDuring(() => sync(opts()));
    expect(one.result).toMatchObject({ latestRound: 1246, previousRound: 1245, added: 1, labelled: 1, conflicts: [] });
    expect(one.requests).not.toContain('/lt645/selectPstLt645Info.do?srchLtEpsd=all');
    expect(one.requests).toContain('/stat/result_hogi.php?sel_start=1241&sel_end=1246&selHogi=');
    expect(repo.count()).toBe(1246);
    expect(repo.get(1246)).toEqual(asStored(r1246));
    expect(repo.list({ to: 1245 })).toEqual(shared.map(asStored));

    // Three more: fetched round by round (the latest comes with the latest query).
    const more = [nextDraw(1247, 3), nextDraw(1248, 3), nextDraw(1249, null)];
    fx.state.draws = [...shared, r1246, ...more];
    const three = await requestsDuring(() => sync(opts()));
    expect(three.result).toMatchObject({ mode: 'per-round', added: 3, labelled: 2 });
    expect(three.requests.filter((r) => r.startsWith('/lt645'))).toEqual([
      '/lt645/selectPstLt645Info.do',
      '/lt645/selectPstLt645Info.do?srchLtEpsd=1247',
      '/lt645/selectPstLt645Info.do?srchLtEpsd=1248',
    ]);
    expect(repo.list({ from: 1247 })).toEqual(more.map(asStored));
  });

  it('stores records by ltEpsd even when the list arrives out of order', async () => {
    fx.state.shuffle = true;
    await sync(opts());
    expect(repo.list()).toEqual(shared.map(asStored));
  });

  it('keeps the polite interval between requests to one host', async () => {
    let clock = 0;
    await sync(opts({ http: { timeoutMs: 10_000, minIntervalMs: 1_000, clock: () => clock, sleep: async (ms) => { sleeps.push(ms); clock += ms; } } }));
    // The fixture serves both sites from one host, so latest, all and the label page each wait
    // for the previous request's second to pass (the fake clock only moves when sync sleeps).
    expect(sleeps).toEqual([1_000, 1_000]);
  });
});

describe('sync: a round not drawn yet', () => {
  it('says the database is up to date when dhlottery has nothing newer', async () => {
    seed(shared);
    const before = snapshot();
    const s = await requestsDuring(() => sync(opts({ labels: false })));
    expect(s.result).toMatchObject({ latestRound: 1245, added: 0, written: false });
    expect(s.requests).toEqual(['/lt645/selectPstLt645Info.do']);
    expect(snapshot()).toBe(before);
  });

  it('stops before a round whose own query still answers an empty list, leaving no hole', async () => {
    seed(shared.slice(0, 1240));
    fx.state.unpublished = new Set([1243]);
    const s = await sync(opts());
    expect(s.added).toBe(2);
    expect(repo.list({ from: 1241 }).map((d) => d.round)).toEqual([1241, 1242]);
    expect(s.warnings.join('\n')).toMatch(/round 1243 is not published/);
  });

  it('stores prize figures still all zero as unknown, and fills them in on a later sync', async () => {
    seed(shared);
    fx.state.draws = [...shared, nextDraw(1246, null, false)];
    const first = await sync(opts());
    expect(first.added).toBe(1);
    expect(first.warnings.join('\n')).toMatch(/round 1246: prize figures are not published yet/);
    expect(repo.get(1246)).toMatchObject({ firstPrizeEach: null, firstPrizeWinners: null, totalSales: null });

    const published = nextDraw(1246, null, true);
    fx.state.draws = [...shared, published];
    const second = await sync(opts());
    expect(second).toMatchObject({ added: 0, filled: 1, conflicts: [] });
    expect(repo.get(1246)).toEqual(asStored(published));
  });
});

describe('sync: all five tiers and the first-prize split', () => {
  it('stores tiers 2–5 and the split of a new round, and never stores their unpublished zeros', async () => {
    seed(shared);
    // Tier 1 and sales are out, tiers 2–5 and the split still read 0: published piecemeal.
    const partial = { ...nextDraw(1246, null, true), lowerTiers: undefined, firstPrizeSplit: undefined };
    fx.state.draws = [...shared, partial];
    const first = await sync(opts({ labels: false }));
    expect(first.added).toBe(1);
    expect(first.warnings.join('\n')).toMatch(/round 1246: prize tiers 2–5 are not published yet/);
    expect(repo.get(1246)).toMatchObject({ firstPrizeWinners: 12, lowerTiers: null, firstPrizeSplit: null });

    const full = nextDraw(1246, null, true);
    fx.state.draws = [...shared, full];
    const second = await requestsDuring(() => sync(opts({ labels: false })));
    expect(second.result).toMatchObject({ added: 0, filled: 1, conflicts: [] });
    expect(second.requests).toEqual(['/lt645/selectPstLt645Info.do']);
    expect(repo.get(1246)?.lowerTiers).toEqual(full.lowerTiers);
    expect(repo.get(1246)?.firstPrizeSplit).toEqual({ auto: 8, manual: 4, semiAuto: 0 });
  });

  it('fills the tiers of stored rounds that lack them (a database from before tiers were kept)', async () => {
    seed(shared.map(({ lowerTiers: _t, firstPrizeSplit: _s, ...d }) => d));
    const s = await sync(opts({ labels: false }));
    expect(s).toMatchObject({ mode: 'all', added: 0, filled: 1245, conflicts: [] });
    expect(repo.list()).toEqual(shared.map(asStored));
  });

  it('refuses a record whose split does not add up to its first-prize winners, writing nothing', async () => {
    seed(shared.slice(0, 1245));
    const bad = { ...nextDraw(1246, null, true), firstPrizeSplit: { auto: 1, manual: 1, semiAuto: 1 } };
    fx.state.draws = [...shared, bad];
    const before = snapshot();
    const err = await sync(opts({ labels: false })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChangedFormatError);
    expect((err as Error).message).toMatch(/winType1\.\.winType3/);
    expect(snapshot()).toBe(before);
  });

  it('syncs through selectPstLt645InfoNew.do when selectPstLt645Info.do refuses, saying so', async () => {
    seed(shared.slice(0, 1230));
    fx.state.dhMode = 'status-404';
    fx.state.windowMode = 'ok';
    const s = await requestsDuring(() => sync(opts({ labels: false })));
    expect(s.result).toMatchObject({ latestRound: 1245, added: 15, conflicts: [] });
    expect(repo.list({ from: 1231 })).toEqual(shared.slice(1230).map((d) => asStored({ ...d, machine: null })));
    expect(s.result.warnings.join('\n')).toMatch(/404.*trying selectPstLt645InfoNew\.do/);
    expect(s.requests.some((r) => r.startsWith('/lt645/selectPstLt645InfoNew.do?srchDir=center'))).toBe(true);
  });
});

describe('sync: failures leave the database as it was', () => {
  const partial = () => seed(shared.slice(0, 1200));

  it('reports an HTML waiting page served with HTTP 200 as blocked', async () => {
    partial();
    const before = snapshot();
    fx.state.dhMode = 'block-html';
    const err = await sync(opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockedError);
    expect(snapshot()).toBe(before);
    expect(JSON.parse(repo.getMeta(SYNC_META_ERROR) ?? '{}')).toMatchObject({ kind: 'blocked', at: NOW.toISOString() });
    expect(repo.getMeta(SYNC_META_SUCCESS)).toBeNull();
  });

  it('gives up on a server that never answers after retrying with backoff', async () => {
    partial();
    const before = snapshot();
    fx.state.dhMode = 'hang';
    const start = fx.requests.length;
    const err = await sync(opts({ http: { timeoutMs: 50, retries: 2, minIntervalMs: 0, seed: 3, backoffBaseMs: 200, sleep: async (ms) => void sleeps.push(ms) } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(fx.requests.length - start).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(100);
    expect(sleeps[0]).toBeLessThanOrEqual(200);
    expect(sleeps[1]).toBeGreaterThanOrEqual(200);
    expect(sleeps[1]).toBeLessThanOrEqual(400);
    expect(snapshot()).toBe(before);
  });

  it('writes no draws when lottotapa times out after dhlottery answered', async () => {
    // Few missing rounds; the timeout is long enough that dhlottery's local answers arrive
    // inside it even on a loaded machine (50 ms was not), so only the hanging lottotapa times out.
    seed(shared.slice(0, 1243));
    const before = snapshot();
    fx.state.tapaMode = 'hang';
    const err = await sync(opts({ http: { timeoutMs: 1500, retries: 1, minIntervalMs: 0, seed: 3, sleep: async () => {} } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).url).toContain('/stat/result_hogi.php');
    expect(snapshot()).toBe(before);
  });

  it('reports lottotapa refusing with a 403 page as blocked, writing no draws', async () => {
    partial();
    const before = snapshot();
    fx.state.tapaMode = 'block-html';
    const err = await sync(opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockedError);
    expect((err as BlockedError).site).toBe('lottotapa');
    expect(snapshot()).toBe(before);
  });

  it('fails loudly on a lottotapa page without the label sentence', async () => {
    partial();
    const before = snapshot();
    fx.state.tapaMode = 'no-pattern';
    await expect(sync(opts())).rejects.toBeInstanceOf(ChangedFormatError);
    expect(snapshot()).toBe(before);
  });

  it('fails loudly on dhlottery records with renamed fields', async () => {
    partial();
    const before = snapshot();
    fx.state.dhMode = 'renamed-fields';
    await expect(sync(opts())).rejects.toBeInstanceOf(ChangedFormatError);
    expect(snapshot()).toBe(before);
    expect(JSON.parse(repo.getMeta(SYNC_META_ERROR) ?? '{}')).toMatchObject({ kind: 'changed-format' });
  });

  it('fails loudly when the per-round answers are blocked after the latest query succeeded', async () => {
    seed(shared.slice(0, 1240));
    const before = snapshot();
    fx.state.dhMode = 'block-html';
    fx.state.dhFailNext = 0;
    // First answer (latest) normal, then every later dhlottery answer is the waiting page.
    let calls = 0;
    const fetchSpy = async (url: string, init?: RequestInit) => {
      calls++;
      if (calls === 2) fx.state.dhFailNext = 99;
      return fetch(url, init);
    };
    await expect(sync(opts({ fetch: fetchSpy }))).rejects.toBeInstanceOf(BlockedError);
    expect(snapshot()).toBe(before);
  });

  it('reports a refused connection as offline', async () => {
    partial();
    const before = snapshot();
    const port = await closedPort();
    const err = await sync(opts({ dhlotteryUrl: `http://127.0.0.1:${port}/lt645/selectPstLt645Info.do` })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OfflineError);
    expect((err as OfflineError).code).toBe('ECONNREFUSED');
    expect(snapshot()).toBe(before);
  });

  it('can sync draws without labels when lottotapa is down, saying so', async () => {
    partial();
    fx.state.tapaMode = 'status-503';
    const s = await sync(opts({ labels: false }));
    expect(s.added).toBe(45);
    expect(s.labelled).toBe(0);
    expect(s.warnings.join('\n')).toMatch(/labels were not fetched/);
  });
});

describe('sync never rewrites stored data', () => {
  it('reports a differing draw and a differing label as conflicts, keeps the stored values, and adds the rest', async () => {
    const stored = shared.slice(0, 1239).map((d) => ({ ...d }));
    stored[1236] = { ...stored[1236], machine: null }; // 1237: unlabelled, so lottotapa is asked from 1237
    const wrongMachine = shared[1237].machine === 1 ? 2 : 1;
    stored[1237] = { ...stored[1237], machine: wrongMachine }; // 1238: a label lottotapa disagrees with
    // 1239: unknown sales make sync fetch it again, and its stored numbers differ from the official ones.
    const odd = { ...stored[1238], numbers: [1, 2, 3, 4, 5, 6].map((n) => (stored[1238].numbers.includes(n) ? n + 40 : n)).sort((a, b) => a - b), totalSales: null };
    stored[1238] = { ...odd, bonus: odd.numbers.includes(stored[1238].bonus) ? 45 : stored[1238].bonus };
    seed(stored);
    const before1238 = repo.get(1238);
    const before1239 = repo.get(1239);

    const s = await sync(opts());
    const fields = s.conflicts.map((c) => `${c.round}:${c.field}`).sort();
    expect(fields).toContain('1238:machine');
    expect(fields.some((f) => f.startsWith('1239:'))).toBe(true);
    expect(repo.get(1238)).toEqual(before1238);
    expect(repo.get(1239)).toEqual(before1239);
    expect(repo.get(1237)?.machine).toBe(shared[1236].machine);
    expect(repo.list({ from: 1240 })).toEqual(shared.slice(1239).map(asStored));
    expect(s.added).toBe(6);
  });

  it('writes nothing on a dry run, not even the sync state', async () => {
    seed(shared.slice(0, 1000));
    const before = snapshot();
    const s = await sync(opts({ dryRun: true }));
    expect(s).toMatchObject({ added: 245, dryRun: true, written: false });
    expect(snapshot()).toBe(before);
    expect(repo.getMeta(SYNC_META_SUCCESS)).toBeNull();
  });
});
