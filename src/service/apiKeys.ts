// API keys: generation, hashing, verification and the per-tier limits. Keys are random, so a
// plain SHA-256 is enough to store them (no password-style stretching needed); the key itself is
// shown once at creation and never stored.
import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_TIERS, type ApiKeyRecord, type ApiKeysRepo, type ApiKeyTier } from '../data/apiKeysRepo.js';

export { API_KEY_TIERS, type ApiKeyRecord, type ApiKeyTier };

export interface TierLimits {
  /** Requests per rate-limit window (one minute). */
  perMinute: number;
  /** Requests in flight at once. */
  concurrent: number;
}

export const TIER_LIMITS: Readonly<Record<ApiKeyTier, TierLimits>> = {
  free: { perMinute: 10, concurrent: 2 },
  premium: { perMinute: 100, concurrent: 10 },
  enterprise: { perMinute: 1000, concurrent: 100 },
};

/** Tiers that may ask for `algorithm: "premium"` when a key is used. */
export const PREMIUM_TIERS: readonly ApiKeyTier[] = ['premium', 'enterprise'];

export const KEY_PREFIX = 'hogi_';
/** 24 random bytes → 32 base64url characters after the prefix. */
const KEY_BYTES = 24;
const KEY_SHAPE = /^hogi_[A-Za-z0-9_-]{32}$/;
/** Characters of the key kept as its public prefix (hogi_ + 8). */
export const PREFIX_LENGTH = KEY_PREFIX.length + 8;

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export interface CreatedApiKey {
  /** The only time the key is visible. */
  key: string;
  record: ApiKeyRecord;
}

export function createApiKey(repo: ApiKeysRepo, opts: { tier: ApiKeyTier; label: string }, now: Date = new Date()): CreatedApiKey {
  const key = KEY_PREFIX + randomBytes(KEY_BYTES).toString('base64url');
  const record = repo.insert({ hash: hashApiKey(key), prefix: key.slice(0, PREFIX_LENGTH), tier: opts.tier, label: opts.label, now: now.toISOString() });
  return { key, record };
}

export class ApiKeyNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiKeyNotFoundError';
  }
}

/** Find one key by numeric id or by its prefix; an ambiguous prefix is refused. */
export function findApiKey(repo: ApiKeysRepo, idOrPrefix: string): ApiKeyRecord {
  const ref = idOrPrefix.trim();
  if (/^\d{1,15}$/.test(ref)) {
    const r = repo.get(Number(ref));
    if (r) return r;
    throw new ApiKeyNotFoundError(`no API key with id ${ref}`);
  }
  const matches = repo.findByPrefix(ref.slice(0, PREFIX_LENGTH));
  if (matches.length === 1 && ref.length >= PREFIX_LENGTH) return matches[0];
  if (matches.length > 1) throw new ApiKeyNotFoundError(`prefix ${JSON.stringify(ref)} matches ${matches.length} keys (ids ${matches.map((m) => m.id).join(', ')}); use the id`);
  throw new ApiKeyNotFoundError(`no API key with id or prefix ${JSON.stringify(ref.slice(0, 64))} (see hogi keys list)`);
}

export function revokeApiKey(repo: ApiKeysRepo, idOrPrefix: string, now: Date = new Date()): { record: ApiKeyRecord; alreadyRevoked: boolean } {
  const found = findApiKey(repo, idOrPrefix);
  const changed = repo.revoke(found.id, now.toISOString());
  return { record: repo.get(found.id) as ApiKeyRecord, alreadyRevoked: !changed };
}

export type KeyCheck = { status: 'ok'; record: ApiKeyRecord } | { status: 'invalid' } | { status: 'revoked'; record: ApiKeyRecord };

/**
 * Checks presented keys against the store on every request (a revocation by `hogi keys revoke`
 * from another process counts at once); last_used_at is written at most once a minute per key
 * so that serving does not turn into a write per request.
 */
export class ApiKeyVerifier {
  private readonly touched = new Map<number, number>();
  constructor(
    private readonly repo: ApiKeysRepo,
    private readonly clock: () => Date = () => new Date(),
    private readonly touchEveryMs = 60_000,
  ) {}

  check(presented: string): KeyCheck {
    if (!KEY_SHAPE.test(presented)) return { status: 'invalid' };
    const record = this.repo.findByHash(hashApiKey(presented));
    if (!record) return { status: 'invalid' };
    if (record.revokedAt !== null) return { status: 'revoked', record };
    const now = this.clock();
    const last = this.touched.get(record.id);
    if (last === undefined || now.getTime() - last >= this.touchEveryMs) {
      this.touched.set(record.id, now.getTime());
      this.repo.touch(record.id, now.toISOString());
    }
    return { status: 'ok', record };
  }
}
