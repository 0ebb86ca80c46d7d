// Holes an outside check found in the HTTP layer: a text/plain body read as a string, a stalled
// body holding the connection for minutes, Node's own 400/408/431 answers outside the envelope,
// any Host answered (DNS rebinding), one key listing every other key's predictions, PORT ignored.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllowedHosts, startServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/env.js';
import { accessApp, type AccessApp } from './accessFixtures.js';
import { envelopeOf } from './fixtures.js';
import { clockAfterDraw } from '../helpers/clock.js';

let t: AccessApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

/** Writes `chunks` to a fresh connection (stopping after the last) and resolves with everything the server sends until it closes. */
function rawExchange(port: number, chunks: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (got += d));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
    });
  });
}

function parseRaw(raw: string): { status: number; headers: Record<string, string>; body: { status: string; error: { code: string; message: string }; request_id: string } } {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const lines = head.split('\r\n');
  const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(lines[0].split(' ')[1]), headers, body: JSON.parse(rest.join('\r\n\r\n')) as never };
}

describe('request bodies', () => {
  it('answers 415 in the envelope to Content-Type: text/plain on a JSON endpoint', async () => {
    t = await accessApp({}, { rounds: [1200, 1245] });
    const res = await t.app.inject({ method: 'POST', url: '/api/predictions/generate', headers: { 'content-type': 'text/plain' }, payload: '{"machine_type":1}' });
    expect(res.statusCode).toBe(415);
    expect(envelopeOf(res).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 408 in the envelope and closes the connection when a body stops arriving (configured 200 ms)', async () => {
    t = await accessApp({ bodyTimeoutMs: 200 }, { rounds: [1200, 1245] });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (t.app.server.address() as { port: number }).port;
    // Headers promise 100 bytes; 12 arrive, then nothing. The socket closing ends the wait.
    const raw = await rawExchange(port, [
      'POST /api/predictions/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n',
      '{"machine_ty',
    ]);
    const res = parseRaw(raw);
    expect(res.status).toBe(408);
    expect(res.body.error.code).toBe('REQUEST_TIMEOUT');
    expect(res.headers.connection).toBe('close');
    expect(res.body.request_id).toBe(res.headers['x-request-id']);
  });

  it('still reads a whole body that arrives in pieces within the timeout', async () => {
    t = await accessApp({ bodyTimeoutMs: 5_000 }, { rounds: [1200, 1245] });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (t.app.server.address() as { port: number }).port;
    const body = '{"machine_type":1,"sets_count":1}';
    const raw = await rawExchange(port, [
      `POST /api/predictions/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`,
      body.slice(0, 10),
      body.slice(10),
    ]);
    expect(parseRaw(raw).status).toBe(200);
  });
});

describe("requests Node's HTTP parser refuses", () => {
  it('answers a malformed request line with 400 and an oversized header with 431, both in the envelope', async () => {
    t = await accessApp({}, { rounds: [1200, 1245] });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (t.app.server.address() as { port: number }).port;
    const bad = parseRaw(await rawExchange(port, ['THIS IS NOT HTTP\r\n\r\n']));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: 'error', error: { code: 'BAD_REQUEST' } });
    expect(bad.body.request_id).toBe(bad.headers['x-request-id']);
    const big = parseRaw(await rawExchange(port, [`GET /api/draws HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`]));
    expect(big.status).toBe(431);
    expect(big.body).toMatchObject({ status: 'error', error: { code: 'HEADERS_TOO_LARGE' } });
  });
});

describe('Host names (DNS rebinding)', () => {
  const hostGet = (host: string) => t!.app.inject({ method: 'GET', url: '/api/draws/1245', headers: { host } });

  it('answers loopback names only by default, refusing others with 421 HOST_NOT_ALLOWED in the envelope', async () => {
    t = await accessApp({}, { rounds: [1200, 1245] });
    for (const host of ['localhost', 'localhost:8000', '127.0.0.1:8000', '127.1.2.3', '[::1]:8000', '[::ffff:127.0.0.1]:8000', 'LOCALHOST.']) expect((await hostGet(host)).statusCode, host).toBe(200);
    for (const host of ['evil.example', 'evil.example:8000', '127.0.0.1.evil.example', 'localhost.evil.example:80', '10.0.0.5']) {
      const res = await hostGet(host);
      expect(res.statusCode, host).toBe(421);
      expect(envelopeOf(res).error).toMatchObject({ code: 'HOST_NOT_ALLOWED', field: 'Host' });
    }
    // The dashboard and the docs too: a rebinding page gets nothing from this server.
    expect((await t.app.inject({ url: '/', headers: { host: 'evil.example' } })).statusCode).toBe(421);
  });

  it('answers the configured names besides loopback, or any with "*"', async () => {
    t = await accessApp({ access: { allowedHosts: ['hogi.example.org'] } }, { rounds: [1200, 1245] });
    expect((await hostGet('hogi.example.org:443')).statusCode).toBe(200);
    expect((await hostGet('localhost')).statusCode).toBe(200);
    expect((await hostGet('other.example.org')).statusCode).toBe(421);
    await t.close();
    t = await accessApp({ access: { allowedHosts: ['*'] } }, { rounds: [1200, 1245] });
    expect((await hostGet('anything.example')).statusCode).toBe(200);
  });

  it('reads HOGI_ALLOWED_HOSTS as a comma-separated list', () => {
    expect(parseAllowedHosts(' a.example , b.example ,')).toEqual(['a.example', 'b.example']);
    expect(parseAllowedHosts('')).toBeUndefined();
  });
});

describe('stored predictions per API key', () => {
  it('lists only the predictions a key made; an unkeyed loopback client sees all', async () => {
    t = await accessApp({ access: { requireKey: false } }, { rounds: [1100, 1245] });
    const app = t.app;
    const make = async (key: string | null, machine: number) => {
      const res = await app.inject({ method: 'POST', url: '/api/predictions/generate', headers: key ? { 'x-api-key': key } : {}, payload: { machine_type: machine, sets_count: 1 } });
      expect(res.statusCode).toBe(200);
      return (res.json() as { request_id: string }).request_id;
    };
    const a = await make(t.keys.premium, 1);
    const b = await make(t.keys.free, 2);
    const none = await make(null, 3);
    // The same unseeded request from another key is not answered with the first key's cached prediction.
    const a2 = await make(t.keys.free, 1);
    expect(a2).not.toBe(a);
    const list = async (key: string | null) => {
      const res = await app.inject({ url: '/api/predictions', headers: key ? { 'x-api-key': key } : {} });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: Array<{ request_id: string }>; total: number };
      return { ids: body.items.map((i) => i.request_id).sort(), total: body.total };
    };
    expect(await list(t.keys.premium)).toEqual({ ids: [a], total: 1 });
    expect(await list(t.keys.free)).toEqual({ ids: [a2, b].sort(), total: 2 });
    expect(await list(t.keys.enterprise)).toEqual({ ids: [], total: 0 });
    expect(await list(null)).toEqual({ ids: [a, a2, b, none].sort(), total: 4 });
  });
});

describe('the port', () => {
  it('honours PORT when HOGI_PORT is not set, HOGI_PORT first, and refuses a non-number', () => {
    expect(loadConfig({ PORT: '9123' }).port).toBe(9123);
    expect(loadConfig({ PORT: '9123', HOGI_PORT: '9124' }).port).toBe(9124);
    expect(loadConfig({}).port).toBeUndefined();
    expect(() => loadConfig({ PORT: '1e3' }).port).toThrow(/PORT must be a port number/);
  });

  it('listens on the port PORT names', async () => {
    const server = await startServer({ dbPath: ':memory:', host: '127.0.0.1', logger: false, handleSignals: false, warmPredictions: false, schedule: false, clock: clockAfterDraw(1) }, loadConfig({ PORT: '0' }));
    try {
      // PORT=0 picks a free port; ignoring PORT would have bound the default 8000.
      expect(server.port).not.toBe(8000);
      expect(server.port).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
