/**
 * Responses of unseeded prediction requests, kept so an identical request soon after is
 * answered with the same stored prediction instead of a new one.
 *
 * The key holds the vectors' cache key (data version + every model's identity), so a new draw
 * or a retrained model can never be answered from an older entry; entries also expire after
 * `ttlMs` so unseeded requests keep getting fresh sets over time. Bounded by entries and by
 * the approximate bytes of the stored JSON (LRU order: a Map re-inserted on each hit).
 */

export interface ResponseCacheOptions {
  /** How long an entry answers, ms (default 5 minutes); 0 disables the cache. */
  ttlMs?: number;
  maxEntries?: number;
  /** Upper bound on the sum of the entries' JSON sizes (default 16 MB). */
  maxBytes?: number;
}

export interface ResponseCacheStats {
  enabled: boolean;
  entries: number;
  /** Approximate memory: the entries' JSON sizes in bytes. */
  bytes: number;
  hits: number;
  misses: number;
  /** hits / (hits + misses) over every cacheable lookup since start; null before the first. */
  hit_rate: number | null;
  ttl_seconds: number;
}

interface Entry<T> {
  value: T;
  bytes: number;
  expires: number;
}

export const DEFAULT_RESPONSE_TTL_MS = 5 * 60_000;

export class ResponseCache<T> {
  readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly map = new Map<string, Entry<T>>();
  private bytes = 0;
  private hitCount = 0;
  private missCount = 0;

  constructor(options: ResponseCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_RESPONSE_TTL_MS;
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** The live entry for the key (counted as a hit), or null (counted as a miss). */
  get(key: string, now: number): T | null {
    const e = this.map.get(key);
    if (e && e.expires > now) {
      this.map.delete(key);
      this.map.set(key, e);
      this.hitCount++;
      return e.value;
    }
    if (e) this.remove(key, e);
    this.missCount++;
    return null;
  }

  /** A forced-fresh request (Cache-Control: no-cache) is a miss too. */
  countMiss(): void {
    this.missCount++;
  }

  set(key: string, value: T, bytes: number, now: number): void {
    if (!this.enabled || bytes > this.maxBytes) return;
    const old = this.map.get(key);
    if (old) this.remove(key, old);
    this.map.set(key, { value, bytes, expires: now + this.ttlMs });
    this.bytes += bytes;
    while (this.map.size > this.maxEntries || this.bytes > this.maxBytes) {
      const [k, e] = this.map.entries().next().value as [string, Entry<T>];
      this.remove(k, e);
    }
  }

  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }

  private remove(key: string, e: Entry<T>): void {
    this.map.delete(key);
    this.bytes -= e.bytes;
  }

  stats(): ResponseCacheStats {
    const n = this.hitCount + this.missCount;
    return {
      enabled: this.enabled,
      entries: this.map.size,
      bytes: this.bytes,
      hits: this.hitCount,
      misses: this.missCount,
      hit_rate: n === 0 ? null : Math.round((this.hitCount / n) * 1000) / 1000,
      ttl_seconds: this.ttlMs / 1000,
    };
  }
}
