import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, HttpStatusError, OfflineError, TimeoutError, HOGI_USER_AGENT, type HttpOptions } from '../../../src/data/sync/http.js';
import { loadHistoryDraws } from '../../helpers/history.js';
import { closedPort, startFixtureServer, type FixtureServer } from './fixtureServer.js';

let fx: FixtureServer;
beforeAll(async () => {
  fx = await startFixtureServer({ draws: loadHistoryDraws().slice(0, 20) });
});
afterAll(async () => {
  await fx.close();
});

/** A client that never really sleeps and records the delays it asked for. */
function testClient(extra: HttpOptions = {}) {
  const sleeps: number[] = [];
  const client = new HttpClient({ timeoutMs: 5_000, retries: 2, minIntervalMs: 0, seed: 7, sleep: async (ms) => void sleeps.push(ms), ...extra });
  return { client, sleeps };
}

describe('HttpClient', () => {
  it('identifies itself as hogi and passes the caller headers', async () => {
    fx.state.dhMode = 'ok';
    const { client } = testClient();
    const res = await client.get(`${fx.dhlotteryUrl}?srchLtEpsd=3`, { Accept: 'application/json', Referer: 'https://www.dhlottery.co.kr/lt645/result' });
    expect(res.status).toBe(200);
    expect(res.contentType).toContain('application/json');
    expect(JSON.parse(res.body).data.list[0].ltEpsd).toBe(3);
    expect(fx.lastDhHeaders?.['user-agent']).toBe(HOGI_USER_AGENT);
    expect(HOGI_USER_AGENT).toMatch(/^hogi\//);
    expect(fx.lastDhHeaders?.accept).toBe('application/json');
    expect(fx.lastDhHeaders?.referer).toBe('https://www.dhlottery.co.kr/lt645/result');
  });

  it('gives up on a server that never answers with a TimeoutError after every retry, backing off between tries', async () => {
    fx.state.dhMode = 'hang';
    const before = fx.requests.length;
    const retries: number[] = [];
    const { client, sleeps } = testClient({ timeoutMs: 50, retries: 3, backoffBaseMs: 100, backoffMaxMs: 10_000, onRetry: (i) => retries.push(i.attempt) });
    await expect(client.get(fx.dhlotteryUrl)).rejects.toBeInstanceOf(TimeoutError);
    expect(fx.requests.length - before).toBe(4);
    expect(retries).toEqual([1, 2, 3]);
    // Exponential ceilings 100, 200, 400, each jittered into [50%, 100%].
    expect(sleeps).toHaveLength(3);
    sleeps.forEach((ms, i) => {
      const ceiling = 100 * 2 ** i;
      expect(ms).toBeGreaterThanOrEqual(ceiling / 2);
      expect(ms).toBeLessThanOrEqual(ceiling);
    });
    fx.state.dhMode = 'ok';
  });

  it('reports a refused connection as OfflineError (after retrying)', async () => {
    const port = await closedPort();
    const { client, sleeps } = testClient();
    const err = await client.get(`http://127.0.0.1:${port}/lt645/selectPstLt645Info.do`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OfflineError);
    expect((err as OfflineError).code).toBe('ECONNREFUSED');
    expect((err as OfflineError).host).toBe(`127.0.0.1:${port}`);
    expect(sleeps).toHaveLength(2);
  });

  it('retries a 503 and succeeds when the server recovers', async () => {
    fx.state.dhMode = 'status-503';
    fx.state.dhFailNext = 2;
    const { client, sleeps } = testClient({ retries: 3 });
    try {
      const res = await client.get(`${fx.dhlotteryUrl}?srchLtEpsd=5`);
      expect(JSON.parse(res.body).data.list[0].ltEpsd).toBe(5);
      expect(sleeps).toHaveLength(2);
    } finally {
      fx.state.dhMode = 'ok';
      fx.state.dhFailNext = null;
    }
  });

  it('does not retry a 404: asking again will not change it', async () => {
    fx.state.dhMode = 'status-404';
    const before = fx.requests.length;
    const { client, sleeps } = testClient({ retries: 3 });
    try {
      const err = await client.get(fx.dhlotteryUrl).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpStatusError);
      expect((err as HttpStatusError).status).toBe(404);
      expect(fx.requests.length - before).toBe(1);
      expect(sleeps).toHaveLength(0);
    } finally {
      fx.state.dhMode = 'ok';
    }
  });

  it('keeps the polite minimum interval between requests to the same host, but not across hosts', async () => {
    let now = 1_000;
    const sleeps: number[] = [];
    const calls: string[] = [];
    const fakeFetch = async (url: string) => {
      calls.push(url);
      now += 30; // each request takes 30 ms of the fake clock
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const client = new HttpClient({
      fetch: fakeFetch,
      minIntervalMs: 1_000,
      clock: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    await client.get('https://a.example/x');
    await client.get('https://a.example/y');
    await client.get('https://b.example/z');
    now += 5_000;
    await client.get('https://a.example/w');
    // Second request to a.example started 30 ms after the first: it waits the remaining 970 ms.
    expect(sleeps).toEqual([970]);
    expect(calls).toHaveLength(4);
  });

  it('draws the same jitter from the same seed, and different jitter from different seeds', () => {
    const delays = (seed: number) => {
      const c = new HttpClient({ seed, backoffBaseMs: 1_000, backoffMaxMs: 1_000_000 });
      return [1, 2, 3, 4, 5].map((a) => c.backoffDelay(a));
    };
    expect(delays(42)).toEqual(delays(42));
    expect(delays(42)).not.toEqual(delays(43));
    const capped = new HttpClient({ seed: 1, backoffBaseMs: 1_000, backoffMaxMs: 3_000 });
    for (let a = 1; a <= 8; a++) expect(capped.backoffDelay(a)).toBeLessThanOrEqual(3_000);
  });
});
