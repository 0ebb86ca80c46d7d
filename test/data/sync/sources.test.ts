import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DhlotteryClient, dhlotteryUrl, DHLOTTERY_DEFAULT_URL } from '../../../src/data/sync/dhlottery.js';
import { BlockedError, ChangedFormatError, HttpClient, TimeoutError } from '../../../src/data/sync/http.js';
import { LottotapaClient, lottotapaUrl, parseLottotapaPage, LOTTOTAPA_DEFAULT_URL } from '../../../src/data/sync/lottotapa.js';
import type { Draw } from '../../../src/domain/draw.js';
import type { IncomingRecord } from '../../../src/data/formats/types.js';
import { loadHistoryDraws } from '../../helpers/history.js';
import { lottotapaPage, startFixtureServer, type FixtureServer } from './fixtureServer.js';

const shared = loadHistoryDraws();
let fx: FixtureServer;

beforeAll(async () => {
  fx = await startFixtureServer({ draws: shared });
});
afterAll(async () => {
  await fx.close();
});

// Generous limit for answers (the machine is shared); a short one only where the server hangs on purpose.
const http = (timeoutMs = 10_000) => new HttpClient({ timeoutMs, retries: 1, minIntervalMs: 0, seed: 1, sleep: async () => {} });
const dh = (timeoutMs?: number) => new DhlotteryClient({ http: http(timeoutMs), baseUrl: fx.dhlotteryUrl });
const tapa = () => new LottotapaClient({ http: http(), baseUrl: fx.lottotapaUrl });

const reset = (): void => fx.reset(shared);

/** What dhlottery says about a shipped draw: everything but the machine label; tiers and split where published. */
const official = (d: Draw) => ({
  round: d.round, date: d.date, numbers: d.numbers, bonus: d.bonus, firstPrizeEach: d.firstPrizeEach, firstPrizeWinners: d.firstPrizeWinners, totalSales: d.totalSales,
  ...(d.lowerTiers ? { lowerTiers: d.lowerTiers } : {}),
  ...(d.firstPrizeSplit ? { firstPrizeSplit: d.firstPrizeSplit } : {}),
});
/** A fetched record without its bookkeeping (source, index). */
const fields = (r: IncomingRecord | null) => {
  if (r === null) return null;
  const { source: _s, index: _i, ...rest } = r;
  return rest;
};

describe('dhlottery client', () => {
  it('reads the latest round, a given round and every round, mapped field by field from the shared history', async () => {
    reset();
    const client = dh();
    expect(fields(await client.latest())).toEqual(official(shared[shared.length - 1]));
    expect(fields(await client.round(1000))).toEqual(official(shared[999]));
    const all = await client.all();
    expect(all).toHaveLength(1245);
    expect(all.map(fields)).toEqual(shared.map(official));
    expect(all.every((r) => r.machine === undefined)).toBe(true);
  });

  it('reads all five tiers and the auto/manual/semi-auto split of a round from the wire', async () => {
    reset();
    const r = await dh().round(1000);
    expect(r?.lowerTiers).toEqual(shared[999].lowerTiers);
    expect(r?.firstPrizeSplit).toEqual(shared[999].firstPrizeSplit);
    expect(r?.lowerTiers).toHaveLength(4);
    // Before round 262 the site sends the split as 0/0/0: unknown, not "bought by nobody".
    expect((await dh().round(100))?.firstPrizeSplit).toBeUndefined();
  });

  it('reads ten rounds around N from selectPstLt645InfoNew.do, asking with srchDir=center', async () => {
    reset();
    const list = await dh().window(600);
    expect(fx.requests.at(-1)).toBe('/lt645/selectPstLt645InfoNew.do?srchDir=center&srchLtEpsd=600');
    expect(list.map((r) => r.round)).toEqual([595, 596, 597, 598, 599, 600, 601, 602, 603, 604]);
    expect(list.map(fields)).toEqual(shared.slice(594, 604).map(official));
  });

  it('collects many rounds from ten-round answers in few requests', async () => {
    reset();
    const before = fx.requests.length;
    const wanted = [100, 101, 102, 103, 104, 105, 106, 107, 108, 150, 1245, 1246, 1247];
    const got = await dh().rounds(wanted);
    expect(got.map((r) => r.round)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 150, 1245]);
    expect(got.map(fields)).toEqual(got.map((r) => official(shared[r.round - 1])));
    // 100–108 from one answer, 150 from a second, 1245 (and nothing after it) from a third.
    expect(fx.requests.length - before).toBe(3);
  });

  it.each([
    ['a block page', 'block-html'],
    ['HTTP 404', 'status-404'],
    ['renamed fields', 'renamed-fields'],
  ] as const)('falls back to selectPstLt645InfoNew.do when selectPstLt645Info.do answers %s', async (_label, mode) => {
    reset();
    fx.state.dhMode = mode;
    fx.state.windowMode = 'ok';
    const notes: string[] = [];
    const client = new DhlotteryClient({ http: http(), baseUrl: fx.dhlotteryUrl, onFallback: (m) => notes.push(m), now: () => new Date('2026-10-11T00:00:00Z') });
    expect(fields(await client.round(1000))).toEqual(official(shared[999]));
    expect(fx.requests.at(-1)).toBe('/lt645/selectPstLt645InfoNew.do?srchDir=center&srchLtEpsd=1000');
    // The latest round, found from the calendar's guess (round 1245 was drawn 2026-10-10).
    expect((await client.latest())?.round).toBe(1245);
    const all = await client.all(1245);
    expect(all.map((r) => r.round)).toEqual(shared.map((d) => d.round));
    expect(notes.length).toBeGreaterThanOrEqual(3);
    expect(notes[0]).toContain('selectPstLt645InfoNew.do');
  });

  it('finds the latest round from ten-round answers even when the calendar guess is far off', async () => {
    reset();
    fx.state.dhMode = 'status-404';
    fx.state.windowMode = 'ok';
    fx.state.draws = shared.slice(0, 1200);
    const client = new DhlotteryClient({ http: http(), baseUrl: fx.dhlotteryUrl, now: () => new Date('2026-12-05T12:00:00Z') });
    expect((await client.latest())?.round).toBe(1200);
    fx.state.draws = shared;
    const late = new DhlotteryClient({ http: http(), baseUrl: fx.dhlotteryUrl, now: () => new Date('2026-06-01T00:00:00Z') });
    expect((await late.latest())?.round).toBe(1245);
  });

  it('falls back the other way too: the first error is reported when both endpoints fail', async () => {
    reset();
    fx.state.dhMode = 'status-404';
    fx.state.windowMode = 'renamed-fields';
    const err = await dh().round(10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/404/);
    expect((err as Error).message).toMatch(/selectPstLt645InfoNew\.do failed too/);
  });

  it('asks with the documented query and headers', async () => {
    reset();
    await dh().round(77);
    expect(fx.requests.at(-1)).toBe('/lt645/selectPstLt645Info.do?srchLtEpsd=77');
    expect(fx.lastDhHeaders?.accept).toBe('application/json');
    expect(fx.lastDhHeaders?.referer).toBe('https://www.dhlottery.co.kr/lt645/result');
    await dh().all();
    expect(fx.requests.at(-1)).toBe('/lt645/selectPstLt645Info.do?srchLtEpsd=all');
    await dh().latest();
    expect(fx.requests.at(-1)).toBe('/lt645/selectPstLt645Info.do');
  });

  it('takes total sales from wholEpsdSumNtslAmt, not rlvtEpsdSumNtslAmt', async () => {
    reset();
    const d = await dh().round(500);
    expect(d?.totalSales).toBe(shared[499].totalSales);
  });

  it('matches records on ltEpsd even when the list comes out of order', async () => {
    reset();
    fx.state.shuffle = true;
    const all = await dh().all();
    for (const r of all) expect(fields(r)).toEqual(official(shared[r.round - 1]));
    expect(all.map((d) => d.round)).toEqual(shared.map((d) => d.round));
    reset();
  });

  it('returns null for a round not drawn yet (empty list)', async () => {
    reset();
    expect(await dh().round(1246)).toBeNull();
  });

  it('reports an HTML waiting page served with HTTP 200 as BlockedError, even when labelled JSON', async () => {
    for (const mode of ['block-html', 'block-html-as-json'] as const) {
      reset();
      fx.state.dhMode = mode;
      const err = await dh().latest().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BlockedError);
      expect((err as Error).message).toContain('접속 대기');
    }
    reset();
  });

  it('reports renamed fields and a broken body as ChangedFormatError', async () => {
    reset();
    fx.state.dhMode = 'renamed-fields';
    const err = await dh().round(10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChangedFormatError);
    expect((err as Error).message).toContain('tm1WnNo');
    fx.state.dhMode = 'not-json';
    await expect(dh().latest()).rejects.toBeInstanceOf(ChangedFormatError);
    reset();
  });

  it('reports a hanging server as TimeoutError', async () => {
    reset();
    fx.state.dhMode = 'hang';
    await expect(dh(50).latest()).rejects.toBeInstanceOf(TimeoutError);
    reset();
  });

  it('takes its address from the option, then HOGI_DHLOTTERY_URL, then the official one', () => {
    expect(dhlotteryUrl(undefined)).toBe(DHLOTTERY_DEFAULT_URL);
    expect(dhlotteryUrl(undefined, 'http://x/y')).toBe('http://x/y');
    expect(dhlotteryUrl('http://a/b', 'http://x/y')).toBe('http://a/b');
    expect(DHLOTTERY_DEFAULT_URL).toBe('https://www.dhlottery.co.kr/lt645/selectPstLt645Info.do');
  });
});

describe('lottotapa client', () => {
  it('reads every machine label of the shared history and lists the unlabelled rounds', async () => {
    reset();
    const { labels, unlabelled: none } = await tapa().labels(1245);
    expect(fx.requests.at(-1)).toBe('/stat/result_hogi.php?sel_start=262&sel_end=1245&selHogi=');
    const expected = new Map(shared.filter((d) => d.machine !== null).map((d) => [d.round, d.machine as number]));
    expect(labels.size).toBe(979);
    expect(labels).toEqual(expected);
    expect(none).toEqual([1241, 1242, 1243, 1244, 1245]);
  });

  it('tolerates tags, &nbsp; and extra whitespace inside the sentence, and ignores script text', () => {
    const html = `<p><b>1240</b>회&nbsp;로또\n  당첨번호 &#40;3호기&#41;</p><script>"1239회 로또 당첨번호 (1호기)"</script><div>1239 회 로또 당첨번호<span> ( 2 호기 )</span></div><div>1241회 로또 당첨번호</div>`;
    const { labels, unlabelled: none } = parseLottotapaPage(html, 'http://t');
    expect([...labels.entries()].sort()).toEqual([
      [1239, 2],
      [1240, 3],
    ]);
    expect(none).toEqual([1241]);
  });

  it('fails loudly when the page no longer holds the pattern', async () => {
    reset();
    fx.state.tapaMode = 'no-pattern';
    const err = await tapa().labels(1245).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChangedFormatError);
    expect((err as Error).message).toContain('로또 당첨번호');
    reset();
  });

  it('refuses a page that gives one round two different machines', () => {
    const page = lottotapaPage([{ ...shared[299], machine: 1 }], 262, 1245) + lottotapaPage([{ ...shared[299], machine: 2 }], 262, 1245);
    expect(() => parseLottotapaPage(page, 'http://t')).toThrow(ChangedFormatError);
  });

  it('reports an HTTP 403 reject page as BlockedError rather than a bare status', async () => {
    reset();
    fx.state.tapaMode = 'block-html';
    const err = await tapa().labels(1245).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockedError);
    expect((err as BlockedError).site).toBe('lottotapa');
    expect((err as Error).message).toContain('Access Denied');
    reset();
  });

  it('reports a reject page as BlockedError', () => {
    expect(() => parseLottotapaPage('<html><title>Access Denied</title><body>Access Denied</body></html>', 'http://t')).toThrow(BlockedError);
  });

  it('takes its address from the option, then HOGI_LOTTOTAPA_URL, then the public one', () => {
    expect(lottotapaUrl(undefined)).toBe(LOTTOTAPA_DEFAULT_URL);
    expect(lottotapaUrl(undefined, 'http://x/y')).toBe('http://x/y');
  });
});
