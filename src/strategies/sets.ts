/**
 * Number-set generation: sampled from the strategy-reweighted probabilities,
 * constrained exactly, ranked honestly.
 *
 * For each set, a seeded random priority order of the 45 numbers is drawn with the
 * Gumbel-top-k trick (key = ln qₙ + Gumbel noise; sorting by key is sampling
 * without replacement with probability ∝ qₙ). The exact search (search.ts) then
 * returns the first set in that order that meets the strategy's hard constraints,
 * the user's include/exclude and the overlap limit with earlier sets — without
 * constraints that is just the first six numbers of the order, i.e. a plain sample.
 * SOFT_CANDIDATES independent orders are drawn per set and the candidate with the
 * best soft-preference score is kept (ties: the first drawn).
 *
 * Nothing retries: if the first search finds no set, none exists, and the request
 * is diagnosed and refused with InfeasibleRequestError; if a later search finds
 * none, no further set can share ≤ maxShared numbers with those already chosen.
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW } from '../domain/draw.js';
import { ValidationError, type Problem } from '../domain/problems.js';
import { Random } from '../domain/random.js';
import { assertProbabilityInput, CHANCE_EXPECTED_MATCHES, expectedMatches } from '../combination/normalize.js';
import type { Lang } from './constraints.js';
import type { Localized, MachineStrategy, StrategyContext, StrategyId, StrategyPlan } from './machineStrategies.js';
import { PercentileTable } from './percentile.js';
import { firstSetSearcher } from './search.js';
import { diagnose } from './diagnose.js';
import { list, tr } from './text.js';
import { explain, explainHead } from './explain.js';

export { differentiation, type Differentiation } from './differentiation.js';

export const MAX_SETS = 20;
export const MAX_INCLUDE = 5;
export const MAX_EXCLUDE = 39;
export const DEFAULT_MAX_SHARED = 3;
/** Independent sampled orders per set; the best soft score among their first valid sets wins. */
export const SOFT_CANDIDATES = 4;

export type InfeasibleCode = 'IMPOSSIBLE_CONSTRAINTS' | 'TOO_FEW_DISTINCT_SETS';

/** The request cannot be met. The API answers 422 with `message`. */
export class InfeasibleRequestError extends Error {
  readonly code: InfeasibleCode;
  /** Each reason in both languages. */
  readonly reasons: readonly Localized[];
  /** For TOO_FEW_DISTINCT_SETS: how many sets were found. */
  readonly found?: number;
  constructor(code: InfeasibleCode, reasons: readonly Localized[], lang: Lang, found?: number) {
    super(reasons.map((r) => r[lang]).join(' '));
    this.name = 'InfeasibleRequestError';
    this.code = code;
    this.reasons = reasons;
    this.found = found;
  }
}

export interface GenerateSetsOptions {
  /** The model's combined 45-number vector (sum 6), BEFORE the strategy's reweighting. */
  probabilities: ArrayLike<number>;
  strategy: MachineStrategy;
  /** Passed to the strategy (1호기 needs `frequencies`). */
  context?: StrategyContext;
  /** 1..20. */
  count: number;
  seed: number;
  include?: readonly number[];
  exclude?: readonly number[];
  /** Most numbers any two sets may share (default 3). */
  maxShared?: number;
  lang?: Lang;
  /** A cached table for `probabilities`; built here when absent. */
  percentileTable?: PercentileTable;
  /** A cached `strategy.plan(probabilities, context)` (the reweighting); made here when absent. */
  plan?: StrategyPlan;
  /** Return fewer sets (with `shortfall`) instead of throwing when not enough distinct sets exist. */
  allowFewer?: boolean;
  /**
   * An extra rule a set must pass (e.g. "predicted to be shared little", see service/popularity):
   * up to `tries` candidate orders are searched and only sets passing `test` are kept; the model
   * vector then ranks the passing ones as usual. `why` explains a failure to find one.
   */
  accept?: { test: (numbers: readonly number[]) => boolean; tries: number; why: Localized };
  /** Added to the log of each number's sampling weight (index 0 = number 1), e.g. to lean toward numbers others pick less. */
  tilt?: ArrayLike<number>;
}

export interface GeneratedSet {
  setNumber: number;
  /** Six distinct numbers, ascending. */
  numbers: number[];
  /** Percentile of the set's model score among all C(45,6) combinations, in [0, 1]. */
  confidenceScore: number;
  /** Σ p over the set under the model (not reweighted). */
  expectedMatches: number;
  chanceExpectedMatches: number;
  /** Soft-preference score in [0, 1] and its parts. */
  softScore: number;
  softParts: Record<string, number>;
  explanation: string[];
}

export interface GenerateSetsResult {
  strategy: StrategyId;
  sets: GeneratedSet[];
  requested: number;
  /** Why fewer sets than requested were returned (only with allowFewer). */
  shortfall: Localized | null;
  /** Search nodes visited in total (bounded; see search.ts). */
  searchNodes: number;
}


function validate(o: GenerateSetsOptions): { include: number[]; exclude: number[]; maxShared: number } {
  const problems: Problem[] = [];
  const include = [...(o.include ?? [])];
  const exclude = [...(o.exclude ?? [])];
  const maxShared = o.maxShared ?? DEFAULT_MAX_SHARED;
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > MAX_SETS) problems.push({ field: 'count', expected: `an integer 1..${MAX_SETS}`, found: String(o.count) });
  if (!Number.isFinite(o.seed)) problems.push({ field: 'seed', expected: 'a finite number', found: String(o.seed) });
  if (!Number.isInteger(maxShared) || maxShared < 0 || maxShared > 5) problems.push({ field: 'maxShared', expected: 'an integer 0..5', found: String(maxShared) });
  const checkList = (field: string, xs: number[], max: number) => {
    if (xs.length > max) problems.push({ field, expected: `at most ${max} numbers`, found: `${xs.length}` });
    const bad = xs.filter((n) => !Number.isInteger(n) || n < 1 || n > MAX_NUMBER);
    if (bad.length) problems.push({ field, expected: `integers in 1..${MAX_NUMBER}`, found: list(bad) });
    if (new Set(xs).size !== xs.length) problems.push({ field, expected: 'distinct numbers', found: list(xs) });
  };
  checkList('include', include, MAX_INCLUDE);
  checkList('exclude', exclude, MAX_EXCLUDE);
  const both = include.filter((n) => exclude.includes(n));
  if (both.length) problems.push({ field: 'exclude', expected: 'no number both included and excluded', found: list(both) });
  if (problems.length) throw new ValidationError(problems, 'invalid set request');
  return { include: include.sort((a, b) => a - b), exclude: exclude.sort((a, b) => a - b), maxShared };
}

/** The model vector must already be a probability vector (combination outputs are). */
function checkSumsToSix(p: ArrayLike<number>): void {
  assertProbabilityInput(p, 'model probabilities');
  let sum = 0;
  for (let i = 0; i < MAX_NUMBER; i++) {
    if (p[i] > 1) throw new Error(`model probabilities: number ${i + 1} has ${p[i]} > 1`);
    sum += p[i];
  }
  if (Math.abs(sum - NUMBERS_PER_DRAW) > 1e-6) throw new Error(`model probabilities must sum to ${NUMBERS_PER_DRAW} (use normalizeToSix), got ${sum}`);
}

/**
 * Seeded priority order of `candidates`: sampling without replacement ∝ q (Gumbel-top-k).
 * `logQ[n - 1]` = ln qₙ (computed once per request). Keys descending, ties by number ascending;
 * an insertion sort of ≤ 45 entries on typed arrays, with no per-entry objects.
 */
function sampleOrder(candidates: readonly number[], logQ: Float64Array, rng: Random): number[] {
  const len = candidates.length;
  const keys = new Float64Array(len);
  const order = new Array<number>(len);
  for (let i = 0; i < len; i++) {
    const n = candidates[i];
    const u = (rng.nextUint32() + 0.5) / 4294967296;
    const key = logQ[n - 1] - Math.log(-Math.log(u));
    let j = i;
    while (j > 0 && (keys[j - 1] < key || (keys[j - 1] === key && order[j - 1] > n))) {
      keys[j] = keys[j - 1];
      order[j] = order[j - 1];
      j--;
    }
    keys[j] = key;
    order[j] = n;
  }
  return order;
}

/**
 * Generates `count` sets for one strategy. Throws ValidationError for malformed
 * options and InfeasibleRequestError when the rules admit no set, or (unless
 * allowFewer) fewer than `count` sets sharing ≤ maxShared numbers pairwise.
 */
export function generateSets(options: GenerateSetsOptions): GenerateSetsResult {
  const { include, exclude, maxShared } = validate(options);
  const lang: Lang = options.lang ?? 'ko';
  const { strategy, count } = options;
  checkSumsToSix(options.probabilities);
  const table = options.percentileTable ?? PercentileTable.fromProbabilities(options.probabilities);
  if (!table.matches(options.probabilities)) throw new Error('percentileTable was built from a different probability vector');
  const plan = options.plan ?? strategy.plan(options.probabilities, options.context);
  if (plan.strategy !== strategy) throw new Error(`plan was made by ${plan.strategy.id}, not ${strategy.id}`);
  const excluded = new Set([...include, ...exclude]);
  const available = Array.from({ length: MAX_NUMBER }, (_, i) => i + 1).filter((n) => !excluded.has(n));

  if (count > 1 && include.length > maxShared) {
    throw new InfeasibleRequestError(
      'IMPOSSIBLE_CONSTRAINTS',
      [
        tr(
          `고정 번호가 ${include.length}개라 모든 조합이 서로 ${include.length}개를 공유하므로 공유 한도 ${maxShared}개를 넘습니다. 1개 조합만 요청하거나 고정 번호를 ${maxShared}개 이하로 줄이세요.`,
          `you fixed ${include.length} numbers, so any two sets share at least ${include.length}, more than the limit of ${maxShared}: ask for 1 set or fix at most ${maxShared} numbers.`,
        ),
      ],
      lang,
    );
  }

  const logQ = new Float64Array(MAX_NUMBER);
  for (let i = 0; i < MAX_NUMBER; i++) logQ[i] = Math.log(plan.probabilities[i]) + (options.tilt ? options.tilt[i] : 0);
  const head = explainHead(strategy, lang);
  const search = firstSetSearcher(strategy.constraints, maxShared);
  const rng = new Random(options.seed);
  const sets: GeneratedSet[] = [];
  const chosen: number[][] = [];
  let nodes = 0;
  let shortfall: Localized | null = null;
  for (let k = 0; k < count; k++) {
    let best: { numbers: number[]; soft: { total: number; parts: Record<string, number> } } | null = null;
    const accept = options.accept;
    let accepted = 0;
    let rejected = 0;
    for (let c = 0; c < (accept ? accept.tries : SOFT_CANDIDATES) && accepted < SOFT_CANDIDATES; c++) {
      const order = sampleOrder(available, logQ, rng);
      const r = search(order, include, chosen);
      nodes += r.nodes;
      if (r.sets.length === 0) break; // exact: no valid set exists in any order
      if (accept && !accept.test(r.sets[0])) {
        rejected++;
        continue;
      }
      accepted++;
      const soft = plan.softScore(r.sets[0]);
      if (!best || soft.total > best.soft.total) best = { numbers: r.sets[0], soft };
    }
    if (!best && accept && rejected > 0) {
      if (k === 0 || !options.allowFewer) throw new InfeasibleRequestError('IMPOSSIBLE_CONSTRAINTS', [accept.why], lang, k);
      shortfall = accept.why;
      break;
    }
    if (!best) {
      if (k === 0) throw new InfeasibleRequestError('IMPOSSIBLE_CONSTRAINTS', diagnose(strategy, include, available), lang);
      shortfall = tr(
        `요청한 ${count}개 중 ${k}개만 만들 수 있습니다: 그 이상은 이미 고른 조합과 ${maxShared}개 넘게 겹치지 않는 조합이 조건 안에 없습니다. 고정·제외 번호를 줄이거나 개수를 줄이세요.`,
        `only ${k} of the ${count} requested sets could be made: no further set meeting the rules shares at most ${maxShared} numbers with each set already chosen. Fix or exclude fewer numbers, or ask for fewer sets.`,
      );
      if (!options.allowFewer) throw new InfeasibleRequestError('TOO_FEW_DISTINCT_SETS', [shortfall], lang, k);
      break;
    }
    chosen.push(best.numbers);
    const percentile = table.percentile(best.numbers);
    const em = expectedMatches(options.probabilities, best.numbers);
    sets.push({
      setNumber: k + 1,
      numbers: best.numbers,
      confidenceScore: percentile,
      expectedMatches: em,
      chanceExpectedMatches: CHANCE_EXPECTED_MATCHES,
      softScore: best.soft.total,
      softParts: best.soft.parts,
      explanation: explain(strategy, head, percentile, em, best.soft, include, exclude, lang),
    });
  }
  return { strategy: strategy.id, sets, requested: count, shortfall, searchNodes: nodes };
}

