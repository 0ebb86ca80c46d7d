/**
 * The three machine (호기) strategies of the design's "호기별 특화 전략", plus a
 * neutral one. Each has three documented parts (docs/strategies.md):
 *   (a) a reweighting of the 45 probabilities (then renormalised to sum 6),
 *   (b) hard constraints every generated set must meet,
 *   (c) soft preferences, each part scored in [0, 1] and combined with the
 *       design's `strategy_weights` (which sum to 1) into a score in [0, 1].
 */
import { MAX_NUMBER, type Draw } from '../domain/draw.js';
import type { Machine } from '../domain/machine.js';
import { acValue, DECADE_BANDS, decadeCounts, highCount, lastDigitSum, oddCount, sectionCounts, totalSum } from '../domain/stats.js';
import { assertProbabilityInput, normalizeToSix, type ProbabilityVector } from '../combination/normalize.js';
import { specialCount, type HardConstraints, type Lang } from './constraints.js';

export type StrategyId = 'enhanced_ml_premium' | 'enhanced_ml_balanced' | 'enhanced_ml_creative' | 'neutral';

export interface Localized {
  ko: string;
  en: string;
}

export interface StrategyContext {
  /**
   * How often each number was drawn over the analysis window (index 0 = number 1).
   * Required by 1호기; `windowFrequencies(draws)` builds it.
   */
  frequencies?: ArrayLike<number>;
}

export interface SoftScore {
  /** Σ weight × part, in [0, 1]. */
  total: number;
  /** Each preference's score in [0, 1], keyed as in `strategy_weights`. */
  parts: Record<string, number>;
}

/** A strategy bound to one probability vector and context: what set generation uses. */
export interface StrategyPlan {
  strategy: MachineStrategy;
  /** The reweighted vector, sum 6. */
  probabilities: ProbabilityVector;
  /** Numbers whose probability the reweighting multiplied (sorted). */
  boosted: number[];
  softScore(numbers: readonly number[]): SoftScore;
}

export interface MachineStrategy {
  readonly id: StrategyId;
  /** The machine it serves; null for the neutral strategy. */
  readonly machine: Machine | null;
  readonly persona: Localized;
  /** The design's strategy_weights; empty for neutral. */
  readonly weights: Readonly<Record<string, number>>;
  /** Labels for the weight keys. */
  readonly preferenceLabels: Readonly<Record<string, Localized>>;
  readonly constraints: HardConstraints;
  /** One line on the reweighting, or null when there is none. */
  readonly reweighting: Localized | null;
  plan(probabilities: ArrayLike<number>, context?: StrategyContext): StrategyPlan;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

function weighted(weights: Readonly<Record<string, number>>, parts: Record<string, number>): SoftScore {
  let total = 0;
  for (const k of Object.keys(weights)) total += weights[k] * parts[k];
  return { total: clamp01(total), parts };
}

/** 1 when the six are spread 2/2/2 over 1–15, 16–30, 31–45; 0 when all sit in one section. */
export function sectionBalance(numbers: readonly number[]): number {
  const dev = sectionCounts(numbers).reduce((a, c) => a + Math.abs(c - 2), 0);
  return clamp01(1 - dev / 8);
}

/** 1 when the five gaps between consecutive sorted numbers are equal; falls with their coefficient of variation. */
export function gapEvenness(numbers: readonly number[]): number {
  const s = [...numbers].sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < s.length; i++) gaps.push(s[i] - s[i - 1]);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
  return clamp01(1 - sd / mean);
}

const INV_PHI = (Math.sqrt(5) - 1) / 2; // 1/φ ≈ 0.618

/**
 * Golden-ratio preference: how close the 4th smallest number cuts the set's span
 * at 1/φ, i.e. (a₄ − a₁)/(a₆ − a₁) ≈ 0.618. (Six evenly spaced numbers give 0.6.)
 * 1 at exactly 1/φ, falling linearly to 0 at distance 0.382.
 */
export function goldenRatioScore(numbers: readonly number[]): number {
  const s = [...numbers].sort((a, b) => a - b);
  const span = s[5] - s[0];
  if (span <= 0) return 0;
  const r = (s[3] - s[0]) / span;
  return clamp01(1 - Math.abs(r - INV_PHI) / (1 - INV_PHI));
}

/** Per-number draw counts over `draws` (index 0 = number 1). */
export function windowFrequencies(draws: readonly Draw[]): Float64Array {
  const f = new Float64Array(MAX_NUMBER);
  for (const d of draws) for (const n of d.numbers) f[n - 1]++;
  return f;
}

/** How many numbers make "the top 30%": round(0.3 × 45) = 14. */
export const TOP_FREQUENCY_COUNT = Math.round(0.3 * MAX_NUMBER);

/** The TOP_FREQUENCY_COUNT most frequent numbers; ties go to the lower number. Sorted ascending. */
export function topFrequencyNumbers(frequencies: ArrayLike<number>, count = TOP_FREQUENCY_COUNT): number[] {
  assertProbabilityInput(frequencies, 'frequencies');
  return Array.from({ length: MAX_NUMBER }, (_, i) => i + 1)
    .sort((a, b) => frequencies[b - 1] - frequencies[a - 1] || a - b)
    .slice(0, count)
    .sort((a, b) => a - b);
}

function multiply(probabilities: ArrayLike<number>, numbers: readonly number[], factor: number): ProbabilityVector {
  const v = Float64Array.from(normalizeToSix(probabilities));
  for (const n of numbers) v[n - 1] *= factor;
  return normalizeToSix(v);
}

const ODD_NUMBERS = Array.from({ length: MAX_NUMBER }, (_, i) => i + 1).filter((n) => n % 2 === 1);

export const PREMIUM_BOOST = 1.15;
export const ODD_BOOST = 1.12;

/** 1호기 신중한 전략가. */
export const premiumStrategy: MachineStrategy = {
  id: 'enhanced_ml_premium',
  machine: 1,
  persona: { ko: '신중한 전략가', en: 'Careful Strategist' },
  weights: Object.freeze({ high_frequency_numbers: 0.35, ac_complexity: 0.25, balanced_distribution: 0.2, conservative_range: 0.2 }),
  preferenceLabels: {
    high_frequency_numbers: { ko: '고빈도 번호', en: 'high-frequency numbers' },
    ac_complexity: { ko: 'AC 복잡도', en: 'AC complexity' },
    balanced_distribution: { ko: '균형 분포', en: 'balanced distribution' },
    conservative_range: { ko: '보수적 범위', en: 'conservative range' },
  },
  // The design's "AC > 15" cannot happen (the standard AC value is at most 10); 7 stands in.
  constraints: { minAc: 7, totalSum: [120, 180] },
  reweighting: {
    ko: `분석 구간 빈도 상위 30% 번호(${TOP_FREQUENCY_COUNT}개) ×${PREMIUM_BOOST}`,
    en: `top 30% most frequent numbers of the analysis window (${TOP_FREQUENCY_COUNT}) ×${PREMIUM_BOOST}`,
  },
  plan(probabilities, context = {}) {
    if (!context.frequencies) throw new Error('1호기 (enhanced_ml_premium) needs the analysis window frequencies (context.frequencies) to find its top-30% numbers');
    const hot = topFrequencyNumbers(context.frequencies);
    const hotSet = new Set(hot);
    const weights = this.weights;
    return {
      strategy: this,
      probabilities: multiply(probabilities, hot, PREMIUM_BOOST),
      boosted: hot,
      softScore: (numbers) =>
        weighted(weights, {
          // Share of the set among the window's most frequent numbers.
          high_frequency_numbers: numbers.filter((n) => hotSet.has(n)).length / numbers.length,
          ac_complexity: acValue(numbers) / 10,
          balanced_distribution: sectionBalance(numbers),
          // 1 at the centre (150) of the allowed 120–180 band, 0 at its edges.
          conservative_range: clamp01(1 - Math.abs(totalSum(numbers) - 150) / 30),
        }),
    };
  },
};

/** 2호기 완벽주의 조율사. */
export const balancedStrategy: MachineStrategy = {
  id: 'enhanced_ml_balanced',
  machine: 2,
  persona: { ko: '완벽주의 조율사', en: 'Perfectionist Harmonizer' },
  weights: Object.freeze({ balance_optimization: 0.4, last_digit_harmony: 0.3, even_distribution: 0.2, golden_ratio: 0.1 }),
  preferenceLabels: {
    balance_optimization: { ko: '홀짝·고저 균형', en: 'odd/even and high/low balance' },
    last_digit_harmony: { ko: '끝수합 조화', en: 'last-digit harmony' },
    even_distribution: { ko: '고른 간격', en: 'even spacing' },
    golden_ratio: { ko: '황금비', en: 'golden ratio' },
  },
  constraints: { oddCount: [2, 4], lastDigitSum: [15, 25], sectionCounts: [2, 2, 2] },
  reweighting: null,
  plan(probabilities) {
    const weights = this.weights;
    return {
      strategy: this,
      probabilities: normalizeToSix(probabilities),
      boosted: [],
      softScore: (numbers) =>
        weighted(weights, {
          // Mean closeness to 3:3 of odd:even and of high:low (23–45 high).
          balance_optimization: (2 - Math.abs(oddCount(numbers) - 3) / 3 - Math.abs(highCount(numbers) - 3) / 3) / 2,
          // 1 at a last-digit sum of 20 (centre of 15–25), 0 at its edges.
          last_digit_harmony: clamp01(1 - Math.abs(lastDigitSum(numbers) - 20) / 5),
          even_distribution: gapEvenness(numbers),
          golden_ratio: goldenRatioScore(numbers),
        }),
    };
  },
};

/** 3호기 창조적 도전자. */
export const creativeStrategy: MachineStrategy = {
  id: 'enhanced_ml_creative',
  machine: 3,
  persona: { ko: '창조적 도전자', en: 'Creative Challenger' },
  weights: Object.freeze({ odd_number_preference: 0.32, diversity_bonus: 0.28, creative_combinations: 0.25, challenge_patterns: 0.15 }),
  preferenceLabels: {
    odd_number_preference: { ko: '홀수 선호', en: 'odd numbers' },
    diversity_bonus: { ko: '다양성', en: 'diversity' },
    creative_combinations: { ko: '소수·피보나치', en: 'primes and Fibonacci' },
    challenge_patterns: { ko: '넓은 범위', en: 'wide span' },
  },
  constraints: { oddCount: [4, 6], maxConsecutivePairs: 1, minSpecial: 2 },
  reweighting: { ko: `홀수 ×${ODD_BOOST}`, en: `odd numbers ×${ODD_BOOST}` },
  plan(probabilities) {
    const weights = this.weights;
    return {
      strategy: this,
      probabilities: multiply(probabilities, ODD_NUMBERS, ODD_BOOST),
      boosted: [...ODD_NUMBERS],
      softScore: (numbers) => {
        const s = [...numbers].sort((a, b) => a - b);
        const lastDigits = new Set(numbers.map((n) => n % 10)).size;
        const bands = decadeCounts(numbers).filter((c) => c > 0).length;
        return weighted(weights, {
          odd_number_preference: oddCount(numbers) / numbers.length,
          // Distinct last digits (of 6) and decade bands touched (of 5), averaged.
          diversity_bonus: (lastDigits / numbers.length + bands / DECADE_BANDS.length) / 2,
          creative_combinations: specialCount(numbers) / numbers.length,
          // Span from smallest to largest, relative to the widest possible (44).
          challenge_patterns: (s[s.length - 1] - s[0]) / (MAX_NUMBER - 1),
        });
      },
    };
  },
};

/** No machine rules: the model's vector as is, no constraints, no preferences. */
export const neutralStrategy: MachineStrategy = {
  id: 'neutral',
  machine: null,
  persona: { ko: '중립 (호기별 전략 없음)', en: 'neutral (no machine strategy)' },
  weights: Object.freeze({}),
  preferenceLabels: {},
  constraints: {},
  reweighting: null,
  plan(probabilities) {
    return { strategy: this, probabilities: normalizeToSix(probabilities), boosted: [], softScore: () => ({ total: 0, parts: {} }) };
  },
};

export const MACHINE_STRATEGIES: readonly MachineStrategy[] = [premiumStrategy, balancedStrategy, creativeStrategy];

/** The strategy of machine 1, 2 or 3; the neutral strategy for 'all', null or any other machine. */
export function strategyFor(machine: Machine | 'all' | null): MachineStrategy {
  return MACHINE_STRATEGIES.find((s) => s.machine === machine) ?? neutralStrategy;
}

/** Looks a strategy up by its id. */
export function strategyById(id: StrategyId): MachineStrategy {
  const s = [...MACHINE_STRATEGIES, neutralStrategy].find((x) => x.id === id);
  if (!s) throw new Error(`unknown strategy ${id}`);
  return s;
}

export function localize(text: Localized, lang: Lang): string {
  return text[lang];
}
