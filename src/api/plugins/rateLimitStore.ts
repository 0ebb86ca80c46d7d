import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';

interface Window {
  current: number;
  startMs: number;
}

/** How many keys' windows are kept before expired ones are dropped (the plugin's own store keeps 5000). */
const PRUNE_AT = 5000;

/**
 * The rate limit's fixed windows on an injected clock (the plugin's own LocalStore reads
 * Date.now, so tests would have to wait a real window out). Same arithmetic as LocalStore
 * without continueExceeding or exponential backoff, which hogi does not use: a window starts at
 * a key's first request and counts every request until `timeWindow` ms later.
 */
class ClockedStore implements FastifyRateLimitStore {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => number) {}

  incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
    const at = this.now();
    let w = this.windows.get(key);
    if (w === undefined || w.startMs + timeWindow <= at) {
      if (w === undefined && this.windows.size >= PRUNE_AT) {
        for (const [k, old] of this.windows) if (old.startMs + timeWindow <= at) this.windows.delete(k);
      }
      w = { current: 0, startMs: at };
      this.windows.set(key, w);
    }
    w.current++;
    callback(null, { current: w.current, ttl: timeWindow - (at - w.startMs) });
  }

  /** A route with its own limit counts on its own windows, as with the plugin's store. */
  child(): FastifyRateLimitStore {
    return new ClockedStore(this.now);
  }
}

export function clockedRateLimitStore(now: () => number): FastifyRateLimitStoreCtor {
  return class extends ClockedStore {
    constructor() {
      super(now);
    }
  };
}
