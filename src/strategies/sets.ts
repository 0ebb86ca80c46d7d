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
import { formatMachine } from '../domain/machine.js';
import { ValidationError, type Problem } from '../domain/problems.js';
import { Random } from '../domain/random.js';
import { consecutivePairs, lastDigitSum, oddCount, SECTIONS, sectionCounts, totalSum } from '../domain/stats.js';
import { assertProbabilityInput, CHANCE_EXPECTED_MATCHES, expectedMatches } from '../combination/normalize.js';
import {
  CONSTRAINT_KEYS,
  describeConstraint,
  describeConstraints,
  pickConstraint,
  SPECIAL_NUMBERS,
  specialCount,
  type ConstraintKey,
  type HardConstraints,
  type Lang,
} from './constraints.js';
import type { Localized, MachineStrategy, StrategyContext, StrategyId, StrategyPlan } from './machineStrategies.js';
import { PercentileTable, TOTAL_COMBINATIONS } from './percentile.js';
import { firstSetSearcher, searchSets } from './search.js';

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

const tr = (ko: string, en: string): Localized => ({ ko, en });
const list = (ns: readonly number[]) => ns.join(', ');

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

function who(strategy: MachineStrategy): Localized {
  if (strategy.machine === null) return tr('요청', 'the request');
  return tr(`${formatMachine(strategy.machine)}(${strategy.persona.ko})`, `${formatMachine(strategy.machine)} (${strategy.persona.en})`);
}

/** Plain-words reason why constraint `key` alone cannot be met with include/exclude. */
function explainConstraint(strategy: MachineStrategy, key: ConstraintKey, include: readonly number[], available: readonly number[]): Localized {
  const spec = strategy.constraints;
  const w = who(strategy);
  const free = NUMBERS_PER_DRAW - include.length;
  const rule = tr(describeConstraint(spec, key, 'ko'), describeConstraint(spec, key, 'en'));
  const sumOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const range = (vals: readonly number[], fixed: number) => {
    const s = [...vals].sort((a, b) => a - b);
    return [fixed + sumOf(s.slice(0, free)), fixed + sumOf(s.slice(s.length - free))];
  };
  switch (key) {
    case 'oddCount': {
      const [lo, hi] = spec.oddCount as readonly [number, number];
      const incOdd = oddCount(include);
      const incEven = include.length - incOdd;
      const oddAvail = available.filter((n) => n % 2 === 1).length;
      const evenAvail = available.length - oddAvail;
      const most = incOdd + Math.min(free, oddAvail);
      const least = incOdd + Math.max(0, free - evenAvail);
      if (most < lo) {
        const why: Localized[] = [];
        if (incEven > 0) why.push(tr(`짝수 ${incEven}개를 고정했고`, `you fixed ${incEven} even number(s)`));
        if (oddAvail < free) why.push(tr(`제외 후 남은 홀수가 ${oddAvail}개뿐이라`, `only ${oddAvail} odd number(s) are left after your exclusions`));
        return tr(
          `${w.ko}은(는) 홀수가 ${lo}개 이상 필요하지만 ${why.map((x) => x.ko).join(' ')} 홀수는 최대 ${most}개만 가능합니다.`,
          `${w.en} needs at least ${lo} odd numbers, but ${why.map((x) => x.en).join(' and ')}, so at most ${most} are possible.`,
        );
      }
      if (least > hi) {
        const why: Localized[] = [];
        if (incOdd > hi) why.push(tr(`홀수 ${incOdd}개를 고정했고`, `you fixed ${incOdd} odd numbers`));
        if (evenAvail < free) why.push(tr(`제외 후 남은 짝수가 ${evenAvail}개뿐이라`, `only ${evenAvail} even number(s) are left after your exclusions`));
        return tr(
          `${w.ko}은(는) 홀수를 ${hi}개까지만 허용하지만 ${why.map((x) => x.ko).join(' ')} 홀수가 최소 ${least}개가 됩니다.`,
          `${w.en} allows at most ${hi} odd numbers, but ${why.map((x) => x.en).join(' and ')}, so at least ${least} would be odd.`,
        );
      }
      break;
    }
    case 'sectionCounts': {
      const want = spec.sectionCounts as readonly number[];
      const inc = sectionCounts(include);
      const av = sectionCounts(available);
      for (let t = 0; t < 3; t++) {
        const label = `${SECTIONS[t][0]}–${SECTIONS[t][1]}`;
        if (inc[t] > want[t]) {
          return tr(
            `${w.ko}은(는) ${label} 구간에 정확히 ${want[t]}개가 필요하지만 그 구간에 ${inc[t]}개(${list(include.filter((n) => n >= SECTIONS[t][0] && n <= SECTIONS[t][1]))})를 고정했습니다.`,
            `${w.en} needs exactly ${want[t]} numbers in ${label}, but you fixed ${inc[t]} there (${list(include.filter((n) => n >= SECTIONS[t][0] && n <= SECTIONS[t][1]))}).`,
          );
        }
        if (inc[t] + av[t] < want[t]) {
          return tr(
            `${w.ko}은(는) ${label} 구간에 정확히 ${want[t]}개가 필요하지만 제외 후 그 구간에 ${inc[t] + av[t]}개만 남습니다.`,
            `${w.en} needs exactly ${want[t]} numbers in ${label}, but only ${inc[t] + av[t]} remain there after your exclusions.`,
          );
        }
      }
      break;
    }
    case 'totalSum':
    case 'lastDigitSum': {
      const [lo, hi] = spec[key] as readonly [number, number];
      const [a, b] =
        key === 'totalSum' ? range(available, totalSum(include)) : range(available.map((n) => n % 10), lastDigitSum(include));
      if (b < lo || a > hi) {
        const what = key === 'totalSum' ? tr('총합', 'total sum') : tr('끝수합', 'last-digit sum');
        return tr(
          `${w.ko}은(는) ${what.ko} ${lo}–${hi}이 필요하지만 고정·제외한 번호로는 ${what.ko}이 ${a}–${b} 범위만 가능합니다.`,
          `${w.en} needs a ${what.en} of ${lo}–${hi}, but with your fixed and excluded numbers it can only be ${a}–${b}.`,
        );
      }
      break;
    }
    case 'maxConsecutivePairs': {
      const max = spec.maxConsecutivePairs as number;
      const have = consecutivePairs(include);
      if (have > max) {
        const pairs = include.filter((n) => include.includes(n + 1)).map((n) => `${n}-${n + 1}`);
        return tr(
          `${w.ko}은(는) 연속 번호 쌍을 ${max}개까지만 허용하지만 고정한 번호가 이미 ${have}쌍(${pairs.join(', ')})을 이룹니다.`,
          `${w.en} allows at most ${max} consecutive pair(s), but your fixed numbers already form ${have} (${pairs.join(', ')}).`,
        );
      }
      break;
    }
    case 'minSpecial': {
      const need = spec.minSpecial as number;
      const most = specialCount(include) + Math.min(free, available.filter((n) => SPECIAL_NUMBERS.has(n)).length);
      if (most < need) {
        return tr(
          `${w.ko}은(는) 소수·피보나치 번호가 ${need}개 이상 필요하지만 고정·제외한 번호로는 최대 ${most}개만 가능합니다.`,
          `${w.en} needs at least ${need} prime or Fibonacci numbers, but with your fixed and excluded numbers at most ${most} are possible.`,
        );
      }
      break;
    }
    case 'minAc':
      return tr(
        `${w.ko}은(는) AC값 ${spec.minAc} 이상이 필요하지만 고정한 번호(${list(include)})를 포함하는 어떤 조합도 이에 이르지 못합니다 (차이값이 너무 적게 나옵니다).`,
        `${w.en} needs an AC value of at least ${spec.minAc}, but no set containing your fixed numbers (${list(include)}) reaches it: they leave too few distinct differences.`,
      );
  }
  return tr(
    `${w.ko}의 조건 "${rule.ko}"을(를) 고정·제외한 번호로는 만족할 수 없습니다.`,
    `${w.en}'s rule "${rule.en}" cannot be met with your fixed and excluded numbers.`,
  );
}

/** Why no set at all meets the strategy with include/exclude. */
function diagnose(strategy: MachineStrategy, include: readonly number[], available: readonly number[]): Localized[] {
  const free = NUMBERS_PER_DRAW - include.length;
  if (available.length < free) {
    return [
      tr(
        `제외 후 남은 번호가 ${available.length}개뿐이라 ${free}자리를 채울 수 없습니다.`,
        `only ${available.length} numbers are left after your exclusions, not enough to fill ${free} places.`,
      ),
    ];
  }
  const spec = strategy.constraints;
  const keys = CONSTRAINT_KEYS.filter((k) => spec[k] !== undefined);
  const order = [...available].sort((a, b) => a - b);
  const none = (c: HardConstraints) => searchSets({ order, include, constraints: c }).sets.length === 0;
  const single = keys.filter((k) => none(pickConstraint(spec, k)));
  if (single.length) return single.map((k) => explainConstraint(strategy, k, include, available));
  const w = who(strategy);
  for (let a = 0; a < keys.length; a++) {
    for (let b = a + 1; b < keys.length; b++) {
      if (none({ ...pickConstraint(spec, keys[a]), ...pickConstraint(spec, keys[b]) })) {
        const ka = describeConstraint(spec, keys[a], 'ko');
        const kb = describeConstraint(spec, keys[b], 'ko');
        const ea = describeConstraint(spec, keys[a], 'en');
        const eb = describeConstraint(spec, keys[b], 'en');
        return [
          tr(
            `${w.ko}의 조건 "${ka}"와(과) "${kb}"를 고정·제외한 번호로는 동시에 만족할 수 없습니다.`,
            `${w.en}'s rules "${ea}" and "${eb}" cannot both be met with your fixed and excluded numbers.`,
          ),
        ];
      }
    }
  }
  return [
    tr(
      `${w.ko}의 조건(${describeConstraints(spec, 'ko').join(', ')})을 고정·제외한 번호로는 모두 만족하는 조합이 없습니다.`,
      `no set meets all of ${w.en}'s rules (${describeConstraints(spec, 'en').join('; ')}) with your fixed and excluded numbers.`,
    ),
  ];
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

/** 8,145,060 written once (Intl formatting is slow in a hot path). */
const TOTAL_COMBINATIONS_TEXT = String(TOTAL_COMBINATIONS).replace(/\B(?=(\d{3})+$)/g, ',');

const pct = (x: number) => `${(Math.floor(x * 1000) / 10).toFixed(1)}%`;

/** The explanation lines shared by every set of one call (strategy, reweighting, rules). */
function explainHead(strategy: MachineStrategy, lang: Lang): string[] {
  const ko = lang === 'ko';
  const out: string[] = [];
  if (strategy.machine === null) {
    out.push(ko ? '호기별 전략 없이 모델 확률에서 추출' : 'drawn from the model probabilities with no machine strategy');
  } else {
    out.push(
      ko
        ? `${formatMachine(strategy.machine)} ${strategy.persona.ko} 전략 (${strategy.id})`
        : `${formatMachine(strategy.machine)} ${strategy.persona.en} strategy (${strategy.id})`,
    );
  }
  if (strategy.reweighting) out.push(ko ? `가중치 조정: ${strategy.reweighting.ko}` : `reweighting: ${strategy.reweighting.en}`);
  const rules = describeConstraints(strategy.constraints, lang);
  if (rules.length) out.push(ko ? `필수 조건: ${rules.join(', ')}` : `rules met: ${rules.join('; ')}`);
  return out;
}

function explain(
  strategy: MachineStrategy,
  head: readonly string[],
  percentile: number,
  em: number,
  soft: { total: number; parts: Record<string, number> },
  include: readonly number[],
  exclude: readonly number[],
  lang: Lang,
): string[] {
  const ko = lang === 'ko';
  const out: string[] = head.slice();
  const keys = Object.keys(strategy.weights);
  if (keys.length) {
    const parts = keys.map((k) => `${strategy.preferenceLabels[k]?.[lang] ?? k} ${soft.parts[k].toFixed(2)}`).join(', ');
    out.push(ko ? `선호 점수 ${soft.total.toFixed(2)} (${parts})` : `preference score ${soft.total.toFixed(2)} (${parts})`);
  }
  if (include.length) out.push(ko ? `고정 번호 포함: ${list(include)}` : `fixed numbers included: ${list(include)}`);
  if (exclude.length) out.push(ko ? `제외 번호 ${exclude.length}개 제외` : `${exclude.length} excluded number(s) left out`);
  const total = TOTAL_COMBINATIONS_TEXT;
  out.push(
    ko
      ? `모델 백분위 ${pct(percentile)}: 전체 ${total}개 조합 중 ${pct(percentile)}보다 모델 점수가 높음 (순위일 뿐 당첨 확률이 아님)`
      : `model percentile ${pct(percentile)}: scores above ${pct(percentile)} of all ${total} combinations (a ranking, not a chance of winning)`,
  );
  out.push(
    ko
      ? `모델 기대 적중 수 ${em.toFixed(3)}개 (무작위 ${CHANCE_EXPECTED_MATCHES.toFixed(1)}개)`
      : `expected matches under the model ${em.toFixed(3)} (chance ${CHANCE_EXPECTED_MATCHES.toFixed(1)})`,
  );
  return out;
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

export interface Differentiation {
  /**
   * Share of numbers not shared between machines:
   * 1 − |numbers appearing in the sets of ≥ 2 machines| / |distinct numbers in all sets|.
   */
  score: number;
  distinctNumbers: number;
  /** Numbers that appear in the sets of two or more machines, ascending. */
  sharedNumbers: number[];
  perMachine: { machine: string; distinct: number; exclusive: number }[];
}

/** How different the machines' sets are; see `Differentiation.score`. Needs ≥ 2 machines with sets. */
export function differentiation(
  setsByMachine: ReadonlyMap<string | number, readonly (readonly number[])[]> | Readonly<Record<string, readonly (readonly number[])[]>>,
): Differentiation {
  const entries: [string, readonly (readonly number[])[]][] =
    setsByMachine instanceof Map
      ? [...setsByMachine.entries()].map(([k, v]) => [String(k), v])
      : Object.entries(setsByMachine as Readonly<Record<string, readonly (readonly number[])[]>>);
  const unions = entries.map(([m, sets]) => [m, new Set(sets.flat())] as const).filter(([, s]) => s.size > 0);
  if (unions.length < 2) throw new Error('differentiation needs sets from at least two machines');
  const machinesOf = new Map<number, number>();
  for (const [, s] of unions) for (const n of s) machinesOf.set(n, (machinesOf.get(n) ?? 0) + 1);
  const shared = [...machinesOf].filter(([, c]) => c >= 2).map(([n]) => n).sort((a, b) => a - b);
  return {
    score: 1 - shared.length / machinesOf.size,
    distinctNumbers: machinesOf.size,
    sharedNumbers: shared,
    perMachine: unions.map(([machine, s]) => ({ machine, distinct: s.size, exclusive: [...s].filter((n) => machinesOf.get(n) === 1).length })),
  };
}
