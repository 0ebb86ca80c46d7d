/**
 * Wheels for the API and the CLI: the domain's makeWheel behind a small cache. A wheel with fixed
 * numbers is searched for on the request (up to ~1–2 s at 20 numbers), so identical requests are
 * answered from memory; table wheels are cheap either way. Refusals (WheelInputError,
 * WheelBudgetError) pass through for the caller to word.
 */
import { guaranteeName, makeWheel, WON_PER_TICKET, type Wheel, type WheelSpec } from '../domain/wheels/index.js';

export interface WheelService {
  make(spec: WheelSpec): Wheel;
}

export function wheelService(opts: { cacheSize?: number } = {}): WheelService {
  const cacheSize = opts.cacheSize ?? 64;
  const cache = new Map<string, Wheel>();
  return {
    make(spec) {
      const key = JSON.stringify([
        Array.isArray(spec.pool) ? [...spec.pool].sort((a, b) => a - b) : spec.pool,
        spec.guarantee ? [spec.guarantee.match, spec.guarantee.if] : null,
        Array.isArray(spec.fixed) ? [...spec.fixed].sort((a, b) => a - b) : (spec.fixed ?? null),
        spec.budget ?? null,
        spec.seed ?? null,
      ]);
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      const wheel = makeWheel(spec);
      cache.set(key, wheel);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string); // non-empty: it was just added to
      return wheel;
    },
  };
}

export const WHEEL_NOTE = {
  ko: '휠은 풀의 번호가 충분히 나왔을 때 당첨을 보장할 뿐, 그 번호들이 나올 확률은 바꾸지 못합니다.',
  en: 'A wheel guarantees a prize only when enough of your pool is drawn; it does not change the chance that it is.',
};

/** The snake_case view of a wheel that the API sends and `hogi wheel --json` prints. */
export function wheelView(w: Wheel): WheelAnswer {
  return {
    pool: w.pool,
    fixed: w.fixed,
    guarantee: { match: w.guarantee.match, if: w.guarantee.if, name: guaranteeName(w.guarantee) },
    tickets: w.tickets,
    ticket_count: w.tickets.length,
    cost: { tickets: w.tickets.length, won_per_ticket: WON_PER_TICKET, total_won: w.costWon },
    proof: {
      draws_checked: w.proof.subsetsChecked,
      guarantee_held: w.proof.held,
      failures: w.proof.failures,
      draws_covered: w.proof.drawsCovered,
      method: `every ${w.guarantee.if}-number subset of the ${w.pool.length}-number pool checked against every ticket`,
    },
    construction: { source: w.source, seed: w.seed, minimal: w.minimal },
    budget:
      w.budget === null
        ? null
        : {
            limit: w.budget.limit,
            requested: w.budget.requested ? guaranteeName(w.budget.requested) : null,
            considered: w.budget.considered.map((c) => ({ guarantee: guaranteeName(c.guarantee), tickets: c.tickets, lower_bound: c.lowerBound })),
          },
    note: WHEEL_NOTE,
  };
}

export interface WheelAnswer {
  pool: number[];
  fixed: number[];
  guarantee: { match: number; if: number; name: string };
  tickets: number[][];
  ticket_count: number;
  cost: { tickets: number; won_per_ticket: number; total_won: number };
  proof: { draws_checked: number; guarantee_held: boolean; failures: number; draws_covered: number; method: string };
  construction: { source: 'table' | 'search' | 'exact'; seed: number | null; minimal: boolean };
  budget: { limit: number; requested: string | null; considered: Array<{ guarantee: string; tickets: number | null; lower_bound: number }> } | null;
  note: { ko: string; en: string };
}
