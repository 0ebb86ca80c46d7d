// SQL injection: every SQL text in src/ splices in only fixed fragments (the values are bound),
// and injection strings sent through every parameter of every route, the key and cache headers,
// and the CLI's filter options leave the database exactly as it was and get 2xx/4xx answers.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeysRepo } from '../../src/data/apiKeysRepo.js';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { createApiKey } from '../../src/service/apiKeys.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/history.js';
import { accessApp, type AccessApp } from './accessFixtures.js';
import { sharedSlice } from './fixtures.js';
import { collectRoutes, type RouteInfo } from './fuzzRoutes.js';

const INJECTIONS = [
  "' OR '1'='1",
  "1' OR '1'='1' --",
  '1; DROP TABLE lottery_draws; --',
  "1'; DELETE FROM meta; --",
  "x'); UPDATE api_keys SET tier = 'enterprise'; --",
  "1 UNION SELECT key_hash, prefix, tier, label, created_at, 1, 1, 1, 1 FROM api_keys --",
  '1) OR (1=1',
  "'; ATTACH DATABASE '/tmp/pwned.db' AS p; --",
  '" OR ""="',
  '%27%20OR%201=1',
  "1' AND (SELECT COUNT(*) FROM sqlite_master) > 0 --",
  '1/**/OR/**/1=1',
];

/** Every table's rows, in a stable order: what "unchanged" means. */
function dumpAll(db: Db): Record<string, unknown[]> {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
  const out: Record<string, unknown[]> = { __schema: db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all() };
  for (const { name } of tables) out[name] = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}" ORDER BY rowid`).all();
  return out;
}

// Prediction requests legitimately add stored predictions; everything else must stay as it was.
const GROWS = new Set(['predictions', 'prediction_sets', 'forecasts', 'sqlite_sequence']);
function expectUnchanged(before: Record<string, unknown[]>, after: Record<string, unknown[]>): void {
  expect(Object.keys(after)).toEqual(Object.keys(before));
  for (const [table, rows] of Object.entries(before)) {
    if (GROWS.has(table)) expect(after[table].slice(0, rows.length), table).toEqual(rows);
    else expect(after[table], table).toEqual(rows);
  }
}

describe('SQL text', () => {
  it('lives in src/data only, and splices only fixed fragments into SQL (column lists, WHERE built from fixed clauses with bound values, ASC/DESC, migration numbers)', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
      });
    const ALLOWED = new Set(['COLS', 'w.sql', 'order', 'page', 'm.version']);
    const found: string[] = [];
    let statements = 0;
    for (const f of files(join(REPO_ROOT, 'src'))) {
      const text = readFileSync(f, 'utf8');
      const inData = relative(join(REPO_ROOT, 'src'), f).startsWith('data');
      if (!inData) {
        if (/\.prepare\s*(<[^>]*>)?\s*\(/.test(text)) found.push(`${relative(REPO_ROOT, f)}: SQL outside src/data`);
        continue;
      }
      for (const m of text.matchAll(/\.(prepare|exec|pragma)\s*(?:<[^>]*>)?\s*\(\s*(`[^`]*`|'[^']*'|"[^"]*"|[^)\s]*)/g)) {
        const [, call, arg] = m;
        if (call === 'exec' && !/^[`'"]/.test(arg) && arg !== 'm.sql') continue; // RegExp#exec, not SQL
        statements++;
        if (!/^[`'"]/.test(arg)) {
          if (arg !== 'm.sql') found.push(`${relative(REPO_ROOT, f)}: .${call}(${arg})`);
          continue;
        }
        for (const i of arg.matchAll(/\$\{([^}]*)\}/g)) if (!ALLOWED.has(i[1].trim())) found.push(`${relative(REPO_ROOT, f)}: \${${i[1]}}`);
      }
    }
    expect(statements).toBeGreaterThan(30);
    expect(found).toEqual([]);
  });
});

describe('injection strings through every API parameter', () => {
  let t: AccessApp;
  let routes: RouteInfo[] = [];
  beforeAll(async () => {
    t = await accessApp({}, { rounds: [1200, 1245], before: (app) => (routes = collectRoutes(app)) });
  });
  afterAll(() => t.close());

  async function send(app: FastifyInstance, method: string, url: string, opts: { headers?: Record<string, string>; payload?: unknown } = {}) {
    const res = await app.inject({ method: method as 'GET', url, headers: opts.headers ?? {}, ...(opts.payload !== undefined ? { payload: opts.payload as object } : {}) });
    expect(res.statusCode, `${method} ${url}`).toBeLessThan(500);
    if (res.statusCode >= 400 && method !== 'HEAD') expect((res.json() as { status: string }).status, `${method} ${url}`).toBe('error');
    return res;
  }

  it('leaves every table as it was and answers each with 2xx or a 4xx envelope', async () => {
    const before = dumpAll(t.db);
    const api = routes.filter((r) => r.url.startsWith('/api') && r.method !== 'HEAD' && r.method !== 'OPTIONS');
    expect(api.length).toBeGreaterThan(5);
    let sent = 0;
    for (const route of api) {
      const fill = (v: string) => route.url.replace(/:([A-Za-z_]\w*)/g, () => encodeURIComponent(v));
      const body = route.body ? Object.fromEntries(Object.keys(route.body).map((k) => [k, k === 'machine_type' ? 1 : undefined]).filter(([, v]) => v !== undefined)) : undefined;
      for (const inj of INJECTIONS) {
        // Path parameters.
        if (route.params.length > 0) {
          await send(t.app, route.method, fill(inj), { payload: body });
          sent++;
        }
        const base = fill('1');
        // Every documented query parameter, then an unknown one.
        for (const q of [...Object.keys(route.query), 'api_key', 'unknown']) {
          await send(t.app, route.method, `${base}?${q}=${encodeURIComponent(inj)}`, { payload: body });
          sent++;
        }
        // Every body field.
        if (route.body) {
          for (const field of Object.keys(route.body)) {
            await send(t.app, route.method, base, { payload: { ...body, [field]: inj } });
            await send(t.app, route.method, base, { payload: { ...body, [field]: [inj] } });
            sent += 2;
          }
        }
        // Headers that reach the key store and the caches.
        await send(t.app, route.method, base, { headers: { 'x-api-key': inj, 'if-none-match': inj, 'x-request-id': inj }, payload: body });
        sent++;
      }
    }
    expect(sent).toBeGreaterThan(300);
    expectUnchanged(before, dumpAll(t.db));
  }, 60_000);

  it('treats an injected machine filter as a bad value, not as a condition that widens the result', async () => {
    const res = await send(t.app, 'GET', `/api/draws?machine=${encodeURIComponent("1' OR '1'='1")}`);
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: { code: string } }).error.code).toBe('INVALID_MACHINE_TYPE');
  });
});

describe('injection strings through the CLI', () => {
  let dir: string;
  let dbPath: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hogi-sqli-'));
    dbPath = join(dir, 'hogi.db');
    const db = openDb(dbPath);
    drawsRepo(db).upsertMany(sharedSlice(1200, 1245), '2026-01-01T00:00:00.000Z');
    createApiKey(apiKeysRepo(db), { tier: 'free', label: 'existing' });
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const snapshot = () => {
    const db = openDb(dbPath, { readonly: true });
    try {
      return dumpAll(db);
    } finally {
      db.close();
    }
  };

  it('refuses injected filter values and key references and changes nothing', async () => {
    const before = snapshot();
    for (const inj of INJECTIONS) {
      for (const args of [
        ['draws', '--machine', inj],
        ['draws', '--from', inj],
        ['draws', '--to', inj, '--json'],
        ['draws', '--limit', inj],
        ['stats', '--machine', inj],
        ['stats', '--rounds', inj],
        ['export', '--out', join(dir, 'out.csv'), '--machine', inj],
        ['keys', 'revoke', inj],
      ]) {
        const r = await runCli(['--db', dbPath, ...args]);
        expect([1, 2], args.join(' ')).toContain(r.code);
        expect(r.stderr, args.join(' ')).not.toMatch(/SqliteError|at .*\.ts:\d+/);
      }
    }
    expectUnchanged(before, snapshot());
  }, 60_000);

  it('stores an injected key label literally, as data', async () => {
    const label = "x'); DROP TABLE api_keys; --";
    const r = await runCli(['--db', dbPath, 'keys', 'create', '--tier', 'free', '--label', label, '--json']);
    expect(r.code).toBe(0);
    const list = await runCli(['--db', dbPath, 'keys', 'list', '--json']);
    const keys = JSON.parse(list.stdout) as Array<{ label: string }>;
    expect(keys.map((k) => k.label)).toEqual(['existing', label]);
  });
});
