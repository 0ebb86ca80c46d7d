import type { DrawsRepo } from '../data/drawsRepo.js';
import type { Machine } from '../domain/machine.js';
import { windowStats, type WindowStats } from '../domain/stats.js';
import { machineAnalysis, type MachineAnalysis } from './statistics.js';

export interface StatisticsServiceOptions {
  /** Analyses kept per data version (default 64; each is ~2 KB). */
  maxEntries?: number;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Window statistics read from storage; only the window's draws are loaded. An analysis is a pure
 * function of the stored draws, the machine and the window, so it is computed once per data
 * version (read from the database on every call: a write by another process, such as
 * `hogi import` beside a running server, is seen at once) and shared, frozen, between callers.
 */
export function statisticsService(repo: DrawsRepo, options: StatisticsServiceOptions = {}) {
  const maxEntries = options.maxEntries ?? 64;
  const cache = new Map<string, MachineAnalysis>();
  let cachedVersion = -1;
  let computations = 0;
  return {
    /** `machine` null means every draw, labelled or not. */
    machineAnalysis(machine: Machine | null, rounds: number): MachineAnalysis {
      // The version first: a write between the two reads leaves a newer version for the next call, never a stale entry.
      const version = repo.dataVersion();
      if (version !== cachedVersion) {
        cache.clear();
        cachedVersion = version;
      }
      const key = `${machine ?? 'all'}:${rounds}`;
      const hit = cache.get(key);
      if (hit) {
        // Most recently used last, so eviction drops the least recently used.
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      const draws = repo.list({ ...(machine !== null ? { machine } : {}), descending: true, limit: rounds });
      const analysis = deepFreeze(machineAnalysis(draws, machine, rounds));
      computations++;
      cache.set(key, analysis);
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
      return analysis;
    },
    /** Frequencies, gaps, hot/cold numbers and pattern averages of the last `rounds` draws (of `machine`). */
    window(machine: Machine | null, rounds: number): WindowStats {
      const draws = repo.list({ ...(machine !== null ? { machine } : {}), descending: true, limit: rounds });
      return windowStats(draws, { rounds, ...(machine !== null ? { machine } : {}) });
    },
    /** How many analyses were computed rather than served from the cache. */
    get computations(): number {
      return computations;
    },
  };
}

export type StatisticsService = ReturnType<typeof statisticsService>;
