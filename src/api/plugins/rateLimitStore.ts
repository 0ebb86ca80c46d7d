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
export function clockedRateLimitStore(now: () => number): FastifyRateLimitStoreCtor {
  const windows = new Map<string, Window>();
  return class ClockedStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const at = now();
      let w = windows.get(key);
      if (w === undefined || w.startMs + timeWindow <= at) {
        if (w === undefined && windows.size >= PRUNE_AT) {
          for (const [k, old] of windows) if (old.startMs + timeWindow <= at) windows.delete(k);
        }
        w = { current: 0, startMs: at };
        windows.set(key, w);
      }
      w.current++;
      callback(null, { current: w.current, ttl: timeWindow - (at - w.startMs) });
    }

    // One set of windows for every route: hogi's limit is per key, not per route.
    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
