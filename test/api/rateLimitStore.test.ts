import { describe, expect, it } from 'vitest';
import { clockedRateLimitStore } from '../../src/api/plugins/rateLimitStore.js';

function counter(store: { incr: (k: string, cb: (e: Error | null, r?: { current: number; ttl: number }) => void, w: number, m: number) => void }) {
  return (key: string, windowMs = 1000) => {
    let out: { current: number; ttl: number } | undefined;
    store.incr(key, (_e, r) => (out = r), windowMs, 10);
    return out;
  };
}

describe('the rate limit store on an injected clock', () => {
  it('counts a key within its window, reports the time left, and starts afresh once the window has passed', () => {
    let now = 1_000_000;
    const Store = clockedRateLimitStore(() => now);
    const incr = counter(new Store({}));
    expect(incr('a')).toEqual({ current: 1, ttl: 1000 });
    now += 400;
    expect(incr('a')).toEqual({ current: 2, ttl: 600 });
    expect(incr('b')).toEqual({ current: 1, ttl: 1000 });
    now += 599;
    expect(incr('a')).toEqual({ current: 3, ttl: 1 });
    now += 1;
    expect(incr('a')).toEqual({ current: 1, ttl: 1000 });
  });

  it('gives a route with its own limit its own windows', () => {
    const Store = clockedRateLimitStore(() => 0);
    const global = new Store({});
    const route = global.child({} as never); // the plugin passes the route's options; this store reads none of them
    counter(global)('k');
    expect(counter(route)('k')).toEqual({ current: 1, ttl: 1000 });
    expect(counter(global)('k')).toEqual({ current: 2, ttl: 1000 });
  });
});
