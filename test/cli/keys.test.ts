// hogi keys create | list | revoke against a file database, and the keys it makes working (and
// stopping) against an app that requires keys.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { apiKeysRepo } from '../../src/data/apiKeysRepo.js';
import { openDb } from '../../src/data/db.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-keys-'));
  dbPath = join(dir, 'hogi.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hogi = (...args: string[]) => runCli(['--db', dbPath, ...args]);

async function create(tier: string, label: string): Promise<{ key: string; id: number; prefix: string }> {
  const r = await hogi('keys', 'create', '--tier', tier, '--label', label, '--json');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { key: string; id: number; prefix: string };
}

describe('hogi keys create', () => {
  it('prints a new key once, stores only its SHA-256 hash, tier and label', async () => {
    const r = await hogi('keys', 'create', '--tier', 'premium', '--label', 'partner A');
    expect(r.code).toBe(0);
    const key = r.stdout.split('\n')[0];
    expect(key).toMatch(/^hogi_[A-Za-z0-9_-]{32}$/);
    expect(r.stdout).toContain('premium: 100 requests/min, 10 at once');
    expect(r.stdout).toMatch(/only time the key is shown/);
    const db = openDb(dbPath);
    try {
      const rows = db.prepare('SELECT * FROM api_keys').all() as Array<Record<string, unknown>>;
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ tier: 'premium', label: 'partner A', key_hash: createHash('sha256').update(key).digest('hex'), prefix: key.slice(0, 13) });
      expect(JSON.stringify(rows)).not.toContain(key);
    } finally {
      db.close();
    }
    expect(readFileSync(dbPath).includes(Buffer.from(key))).toBe(false);
  });

  it('makes a different key every time', async () => {
    const keys = await Promise.all([1, 2, 3].map(async (i) => (await create('free', `k${i}`)).key));
    expect(new Set(keys).size).toBe(3);
  });

  it('refuses a missing or unknown tier and an empty label (exit 2), creating nothing', async () => {
    for (const args of [['--label', 'x'], ['--tier', 'gold', '--label', 'x'], ['--tier', 'free', '--label', '  '], ['--tier', 'free']]) {
      const r = await hogi('keys', 'create', ...args);
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect(JSON.parse((await hogi('keys', 'list', '--json')).stdout)).toEqual([]);
  });
});

describe('hogi keys list', () => {
  it('shows id, prefix, tier, label, created, revoked and last used, never the keys', async () => {
    const a = await create('free', 'dashboard');
    const b = await create('enterprise', 'batch job');
    const table = await hogi('keys', 'list');
    expect(table.code).toBe(0);
    for (const h of ['id', 'prefix', 'tier', 'label', 'created', 'revoked', 'last used']) expect(table.stdout).toContain(h);
    expect(table.stdout).toContain(`${a.prefix}…`);
    expect(table.stdout).toContain('batch job');
    expect(table.stdout).not.toContain(a.key);
    expect(table.stdout).not.toContain(b.key);
    const json = JSON.parse((await hogi('keys', 'list', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(json.map((k) => [k.id, k.tier, k.label, k.revoked_at])).toEqual([
      [a.id, 'free', 'dashboard', null],
      [b.id, 'enterprise', 'batch job', null],
    ]);
    expect(JSON.stringify(json)).not.toContain(a.key.slice(13));
  });

  it('says how to create one when there are none', async () => {
    expect((await hogi('keys', 'list')).stdout).toMatch(/hogi keys create/);
  });
});

describe('hogi keys revoke', () => {
  it('revokes by id or by prefix, says so when already revoked, and refuses unknown or ambiguous references', async () => {
    const a = await create('free', 'a');
    const b = await create('free', 'b');
    const byId = await hogi('keys', 'revoke', String(a.id));
    expect(byId.code).toBe(0);
    expect(byId.stdout).toContain(`Revoked key ${a.id}`);
    const byPrefix = await hogi('keys', 'revoke', b.prefix);
    expect(byPrefix.code).toBe(0);
    expect(byPrefix.stdout).toContain(`Revoked key ${b.id}`);
    expect((await hogi('keys', 'revoke', String(a.id))).stdout).toMatch(/already revoked/);
    const listed = JSON.parse((await hogi('keys', 'list', '--json')).stdout) as Array<{ revoked_at: string | null }>;
    expect(listed.every((k) => k.revoked_at !== null)).toBe(true);

    const unknown = await hogi('keys', 'revoke', '999');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no API key with id 999/);
    expect((await hogi('keys', 'revoke', 'hogi_zzzzzzzz')).code).toBe(1);
    // Two keys sharing a prefix (astronomically unlikely, but the reference must not guess).
    const db = openDb(dbPath);
    const repo = apiKeysRepo(db);
    repo.insert({ hash: 'h1', prefix: 'hogi_SAMEPREF', tier: 'free', label: 'x', now: 'now' });
    repo.insert({ hash: 'h2', prefix: 'hogi_SAMEPREF', tier: 'free', label: 'y', now: 'now' });
    db.close();
    const ambiguous = await hogi('keys', 'revoke', 'hogi_SAMEPREF');
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/matches 2 keys/);
  });
});

describe('keys made by the CLI against a server that requires keys', () => {
  it('work at once, and stop at once when revoked through another connection (as by hogi keys revoke in another shell)', async () => {
    const { key, id } = await create('free', 'integration');
    const db = openDb(dbPath);
    const app = buildApp({ db, access: { requireKey: true }, predictions: { modelsDir: join(dir, 'models'), runner: 'in-process' } });
    try {
      await app.ready();
      expect((await app.inject({ url: '/api/draws', headers: { 'x-api-key': key } })).statusCode).toBe(200);
      expect((await hogi('keys', 'revoke', String(id))).code).toBe(0);
      const res = await app.inject({ url: '/api/draws', headers: { 'x-api-key': key } });
      expect(res.statusCode).toBe(403);
      expect((res.json() as { error: { code: string } }).error.code).toBe('API_KEY_REVOKED');
      const listed = JSON.parse((await hogi('keys', 'list', '--json')).stdout) as Array<{ last_used_at: string | null }>;
      expect(listed[0].last_used_at).not.toBeNull();
    } finally {
      await app.close();
      db.close();
    }
  });
});
