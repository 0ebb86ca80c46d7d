/**
 * Wheels for the API and the CLI: the domain's makeWheel behind a small cache, the least-shared
 * labelling of the wheel where the popularity model can be fitted, and saving a wheel as tickets.
 * A wheel with fixed numbers is searched for on the request (up to ~1–2 s at 20 numbers), so
 * identical requests are answered from memory; table wheels are cheap either way. Refusals
 * (WheelInputError, WheelBudgetError) pass through for the caller to word.
 */
import { nextRound } from '../domain/calendar.js';
import { guaranteeName, makeWheel, DEFAULT_WHEEL_SEED, WheelInputError, WON_PER_TICKET, type Guarantee, type Wheel, type WheelSpec } from '../domain/wheels/index.js';
import { checkGivenWheel, relabelWheel, type CheckedWheel } from '../domain/wheels/relabel.js';
import { SLOTS } from '../domain/tickets/qr.js';
import { MAX_LABEL_LENGTH, MAX_TICKET_ROUND } from '../domain/tickets/limits.js';
import { estimatePools, prizeIfWon } from '../models/popularity/prize.js';
import { DEFAULT_RESTARTS, leastSharedLabelling } from '../models/popularity/wheelLabels.js';
import type { RoundScorer } from '../models/popularity/model.js';
import { PopularityDataError, type PopularityService } from './popularity/service.js';
import type { Ticket, TicketsService } from './tickets/service.js';

export interface WheelRequest extends WheelSpec {
  /** Relabel the wheel to its least-shared equivalent when the popularity model can be fitted (default true). */
  leastShared?: boolean;
}

type Bilingual = { ko: string; en: string };
type Top3<T> = Record<'1' | '2' | '3', T>;

/** What the least-shared labelling did (or why it did not run). */
export interface WheelPopularity {
  requested: boolean;
  applied: boolean;
  /** Why it was not applied (turned off, or no model could be fitted), null when applied. */
  reason: Bilingual | null;
  objective: string;
  ordering_rule: Bilingual;
  /** The model is fitted on the stored prize rounds up to this one and scores the round after it. */
  after_round: number | null;
  seed: number | null;
  /** labels[i]: the number that took the place of the i-th smallest pool number (the pool itself when unchanged). */
  labels: number[] | null;
  before: WheelSharing | null;
  after: WheelSharing | null;
  search: { restarts: number; swaps_kept: number; work: number; converged: boolean } | null;
  note: Bilingual;
}

export interface WheelSharing {
  /** Mean over the wheel's tickets of the predicted co-winner ratio per tier (1 = an average combination). */
  mean_ratio: Record<'1' | '2' | '3' | '4' | '5', number>;
  /** Mean over the tickets of the expected first/second/third prize per winner if that ticket wins, won, before tax. */
  mean_prize_if_won: Top3<number>;
}

export interface WheelResult {
  wheel: Wheel;
  popularity: WheelPopularity;
}

export interface WheelService {
  /** The wheel for a request; `popularity` (when given) serves the least-shared labelling. */
  make(spec: WheelRequest, popularity?: PopularityService): WheelResult;
}

export const LEAST_SHARED_OBJECTIVE = 'minimise the mean over the tickets and over tiers 1–3 of the predicted co-winner ratio';

export const LEAST_SHARED_NOTE: Bilingual = {
  ko: '번호의 자리만 바꾼 같은 휠입니다. 보장과 장수는 그대로이고, 당첨 확률도 그대로입니다. 바뀌는 것은 당첨될 때 당첨금을 나눌 것으로 예측되는 다른 당첨자의 수뿐입니다.',
  en: 'The same wheel with its numbers traded places: the guarantee, the ticket count and the odds are unchanged. Only how many other players are predicted to share a win changes.',
};

const RULE_TABLE: Bilingual = {
  ko: '표의 휠에서 i번째 자리에 풀의 i번째로 작은 번호를 넣었습니다 (번호 순서 그대로).',
  en: 'The i-th smallest pool number takes the wheel’s i-th place (ascending order).',
};
const RULE_LEAST_SHARED: Bilingual = {
  ko: '고정수는 제자리에 두고, 나머지 풀 번호의 자리를 시드가 정한 교환 탐색으로 바꿔 티켓들의 1–3등 예측 공동당첨 비율 평균이 가장 낮은 배치를 골랐습니다.',
  en: 'Fixed numbers keep their place; the other pool numbers trade places by a seeded search over swaps, keeping the arrangement with the lowest mean predicted tier 1–3 co-winner ratio over the tickets.',
};

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

function sharingOf(tickets: readonly number[][], scorer: RoundScorer, pools: ReturnType<typeof estimatePools>): WheelSharing {
  const ratio = [0, 0, 0, 0, 0];
  const prize = [0, 0, 0];
  for (const t of tickets) {
    const r = scorer.ratio(t);
    r.forEach((v, k) => (ratio[k] += v));
    prizeIfWon(pools, r).forEach((p, k) => (prize[k] += p.gross));
  }
  const n = tickets.length;
  return {
    mean_ratio: { '1': r4(ratio[0] / n), '2': r4(ratio[1] / n), '3': r4(ratio[2] / n), '4': r4(ratio[3] / n), '5': r4(ratio[4] / n) },
    mean_prize_if_won: { '1': Math.round(prize[0] / n), '2': Math.round(prize[1] / n), '3': Math.round(prize[2] / n) },
  };
}

function notApplied(requested: boolean, reason: Bilingual, afterRound: number | null = null, before: WheelSharing | null = null): WheelPopularity {
  return { requested, applied: false, reason, objective: LEAST_SHARED_OBJECTIVE, ordering_rule: RULE_TABLE, after_round: afterRound, seed: null, labels: null, before, after: null, search: null, note: LEAST_SHARED_NOTE };
}

/**
 * The least-shared relabelling of `wheel` under the model `popularity` fits on the stored prize
 * rounds; the wheel unchanged, and the reason, when no model can be fitted.
 */
export function leastSharedWheel(wheel: Wheel, popularity: PopularityService | undefined, seed: number): WheelResult {
  if (!popularity) return { wheel, popularity: notApplied(true, { ko: '공유 예측 모델을 쓸 수 없습니다.', en: 'No popularity model is available here.' }) };
  let rounds;
  try {
    rounds = popularity.rounds();
  } catch (e) {
    if (!(e instanceof PopularityDataError)) throw e;
    return {
      wheel,
      popularity: notApplied(true, {
        ko: `저장된 당첨금 자료로 공유 예측 모델을 맞출 수 없어 번호 순서 그대로 두었습니다: ${e.message}`,
        en: `The popularity model cannot be fitted on the stored prize data, so the wheel keeps its ascending labelling: ${e.message}`,
      }),
    };
  }
  const scorer = popularity.nextRoundScorer(rounds);
  const pools = estimatePools(rounds);
  const found = leastSharedLabelling(wheel.pool, wheel.fixed, wheel.tickets, { unary: scorer.unary, pair: scorer.pair, spread: scorer.spread, logZ: scorer.logZ }, { seed });
  const relabelled = relabelWheel(wheel, found.labels);
  return {
    wheel: relabelled,
    popularity: {
      requested: true,
      applied: true,
      reason: null,
      objective: LEAST_SHARED_OBJECTIVE,
      ordering_rule: RULE_LEAST_SHARED,
      after_round: rounds[rounds.length - 1].round,
      seed,
      labels: found.labels,
      before: sharingOf(wheel.tickets, scorer, pools),
      after: sharingOf(relabelled.tickets, scorer, pools),
      search: { restarts: DEFAULT_RESTARTS, swaps_kept: found.swapsKept, work: found.work, converged: found.converged },
      note: LEAST_SHARED_NOTE,
    },
  };
}

export function wheelService(opts: { cacheSize?: number } = {}): WheelService {
  const cacheSize = opts.cacheSize ?? 64;
  const cache = new Map<string, Wheel>();
  const relabelled = new Map<string, WheelResult>();
  // The scorer a PopularityService hands out stays the same object until the prize data change.
  const scorerIds = new WeakMap<object, number>();
  let nextScorerId = 0;
  const remember = <T>(m: Map<string, T>, key: string, value: T) => {
    m.set(key, value);
    if (m.size > cacheSize) m.delete(m.keys().next().value as string); // non-empty: it was just added to
  };
  const base = (spec: WheelSpec): Wheel => {
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
    remember(cache, key, wheel);
    return wheel;
  };
  return {
    make(spec, popularity) {
      const wheel = base(spec);
      if (spec.leastShared === false) return { wheel, popularity: notApplied(false, { ko: '요청에 따라 번호 순서 그대로 두었습니다 (least_shared: false).', en: 'Turned off by the request (least_shared: false): the wheel keeps its ascending labelling.' }) };
      const seed = spec.seed ?? DEFAULT_WHEEL_SEED;
      if (!popularity) return leastSharedWheel(wheel, undefined, seed);
      let scorer: RoundScorer | null = null;
      try {
        scorer = popularity.nextRoundScorer();
      } catch (e) {
        if (!(e instanceof PopularityDataError)) throw e;
      }
      if (scorer === null) return leastSharedWheel(wheel, popularity, seed);
      let id = scorerIds.get(scorer);
      if (id === undefined) scorerIds.set(scorer, (id = nextScorerId++));
      const key = `${id}:${seed}:${JSON.stringify(wheel.tickets)}`;
      const hit = relabelled.get(key);
      if (hit) return hit;
      const result = leastSharedWheel(wheel, popularity, seed);
      remember(relabelled, key, result);
      return result;
    },
  };
}

export interface SaveWheelInput {
  pool: readonly number[];
  guarantee: Guarantee;
  fixed?: readonly number[];
  /** The wheel's tickets as shown (any labelling): verified again before anything is stored. */
  tickets: readonly (readonly number[])[];
  /** Default: the next round not yet drawn by the calendar at `now`. */
  round?: number;
  label?: string | null;
  lang?: 'ko' | 'en';
}

export interface SavedWheel {
  round: number;
  roundSource: 'next_draw' | 'given';
  wheel: CheckedWheel;
  tickets: Ticket[];
}

/** A paper slip holds five games (A–E), so a wheel of n tickets is saved as ceil(n / 5) tickets. */
export const GAMES_PER_TICKET = SLOTS.length;
const LABEL_SUFFIX_ROOM = 40;

/**
 * Save a wheel as tickets for one round, in one transaction through the tickets service, so they
 * are checked like any other ticket when that round's draw and prizes arrive. The wheel is
 * verified again first; an unverified wheel is never stored (WheelInputError names the field).
 */
export function saveWheelAsTickets(tickets: TicketsService, input: SaveWheelInput, now: Date): SavedWheel {
  const wheel = checkGivenWheel(input);
  const given = input.round !== undefined && input.round !== null;
  if (given && (typeof input.round !== 'number' || !Number.isInteger(input.round) || input.round < 1 || input.round > MAX_TICKET_ROUND)) {
    throw new WheelInputError('round', { en: `must be a whole number from 1 to ${MAX_TICKET_ROUND}, got ${JSON.stringify(input.round)}`, ko: `1부터 ${MAX_TICKET_ROUND} 사이의 회차여야 합니다 (받은 값: ${JSON.stringify(input.round)})` });
  }
  const round = given ? (input.round as number) : nextRound(now); // checked just above
  const label = typeof input.label === 'string' ? input.label.trim() : '';
  if (label.length > MAX_LABEL_LENGTH - LABEL_SUFFIX_ROOM) {
    throw new WheelInputError('label', { en: `must be at most ${MAX_LABEL_LENGTH - LABEL_SUFFIX_ROOM} characters (the ticket's part, e.g. "1/3", is added)`, ko: `최대 ${MAX_LABEL_LENGTH - LABEL_SUFFIX_ROOM}자입니다 (뒤에 "1/3" 같은 장 번호가 붙습니다)` });
  }
  const name = guaranteeName(wheel.guarantee);
  const head = label !== '' ? label : input.lang === 'en' ? `wheel ${name} · ${wheel.pool.length} numbers` : `휠 ${name} · ${wheel.pool.length}개 번호`;
  const parts = Math.ceil(wheel.tickets.length / GAMES_PER_TICKET);
  const inputs = Array.from({ length: parts }, (_, i) => ({
    round,
    games: wheel.tickets.slice(i * GAMES_PER_TICKET, (i + 1) * GAMES_PER_TICKET),
    label: `${head} · ${i + 1}/${parts}`,
  }));
  return { round, roundSource: given ? 'given' : 'next_draw', wheel, tickets: tickets.addAll(inputs) };
}

export const WHEEL_NOTE = {
  ko: '휠은 풀의 번호가 충분히 나왔을 때 당첨을 보장할 뿐, 그 번호들이 나올 확률은 바꾸지 못합니다.',
  en: 'A wheel guarantees a prize only when enough of your pool is drawn; it does not change the chance that it is.',
};

/** The snake_case view of a wheel that the API sends and `hogi wheel --json` prints. */
export function wheelView(w: Wheel, popularity: WheelPopularity | null = null): WheelAnswer {
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
    popularity,
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
  popularity: WheelPopularity | null;
  note: { ko: string; en: string };
}
