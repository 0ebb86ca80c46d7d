import type { Db } from './db.js';

/** Tiers as the api_keys CHECK constraint (migration 4) allows them. */
export const API_KEY_TIERS = ['free', 'premium', 'enterprise'] as const;
export type ApiKeyTier = (typeof API_KEY_TIERS)[number];

export const isApiKeyTier = (v: string): v is ApiKeyTier => (API_KEY_TIERS as readonly string[]).includes(v);

/** A stored key: never the key itself, only its SHA-256 hash and a recognisable prefix. */
export interface ApiKeyRecord {
  id: number;
  prefix: string;
  tier: ApiKeyTier;
  label: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

interface Row {
  id: number;
  prefix: string;
  tier: ApiKeyTier;
  label: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id,
  prefix: r.prefix,
  tier: r.tier,
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

const COLS = 'id, prefix, tier, label, created_at, revoked_at, last_used_at';

/** SQL for api_keys only; hashing and key rules live in src/service/apiKeys.ts. */
export function apiKeysRepo(db: Db) {
  const insertStmt = db.prepare<{ hash: string; prefix: string; tier: ApiKeyTier; label: string; now: string }>(
    'INSERT INTO api_keys (key_hash, prefix, tier, label, created_at) VALUES (@hash, @prefix, @tier, @label, @now)',
  );
  const byHashStmt = db.prepare<[string], Row>(`SELECT ${COLS} FROM api_keys WHERE key_hash = ?`);
  const byIdStmt = db.prepare<[number], Row>(`SELECT ${COLS} FROM api_keys WHERE id = ?`);
  const byPrefixStmt = db.prepare<[string], Row>(`SELECT ${COLS} FROM api_keys WHERE prefix = ? ORDER BY id`);
  const listStmt = db.prepare<[], Row>(`SELECT ${COLS} FROM api_keys ORDER BY id`);
  const revokeStmt = db.prepare<[string, number]>('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const touchStmt = db.prepare<[string, number]>('UPDATE api_keys SET last_used_at = ? WHERE id = ?');

  return {
    insert(k: { hash: string; prefix: string; tier: ApiKeyTier; label: string; now: string }): ApiKeyRecord {
      const id = Number(insertStmt.run(k).lastInsertRowid);
      return toRecord(byIdStmt.get(id) as Row);
    },
    findByHash(hash: string): ApiKeyRecord | null {
      const r = byHashStmt.get(hash);
      return r ? toRecord(r) : null;
    },
    get(id: number): ApiKeyRecord | null {
      const r = byIdStmt.get(id);
      return r ? toRecord(r) : null;
    },
    findByPrefix(prefix: string): ApiKeyRecord[] {
      return byPrefixStmt.all(prefix).map(toRecord);
    },
    list(): ApiKeyRecord[] {
      return listStmt.all().map(toRecord);
    },
    /** True when the key was active and is now revoked. */
    revoke(id: number, now: string): boolean {
      return revokeStmt.run(now, id).changes === 1;
    },
    touch(id: number, now: string): void {
      touchStmt.run(now, id);
    },
  };
}

export type ApiKeysRepo = ReturnType<typeof apiKeysRepo>;
