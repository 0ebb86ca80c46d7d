import { describe, expect, it } from 'vitest';
import { Random } from '../../src/domain/random.js';
import { normalizeToSix } from '../../src/combination/normalize.js';
import {
  balancedStrategy,
  creativeStrategy,
  goldenRatioScore,
  MACHINE_STRATEGIES,
  neutralStrategy,
  premiumStrategy,
  sectionBalance,
  strategyFor,
  topFrequencyNumbers,
  windowFrequencies,
} from '../../src/strategies/machineStrategies.js';
import type { Draw } from '../../src/domain/draw.js';

const sum = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0);

function vector(seed: number): Float64Array {
  const r = new Random(seed);
  return normalizeToSix(Array.from({ length: 45 }, () => 0.6 + 0.8 * r.nextFloat()));
}

describe('machine strategies', () => {
  it('routes machines 1, 2, 3 to their personas and anything else to the neutral strategy', () => {
    expect(strategyFor(1).id).toBe('enhanced_ml_premium');
    expect(strategyFor(1).persona.ko).toBe('신중한 전략가');
    expect(strategyFor(2).id).toBe('enhanced_ml_balanced');
    expect(strategyFor(2).persona.ko).toBe('완벽주의 조율사');
    expect(strategyFor(3).id).toBe('enhanced_ml_creative');
    expect(strategyFor(3).persona.ko).toBe('창조적 도전자');
    for (const m of ['all', null, 4, 0] as const) expect(strategyFor(m)).toBe(neutralStrategy);
  });

  it('uses the design strategy_weights, each set summing to 1', () => {
    expect(premiumStrategy.weights).toEqual({ high_frequency_numbers: 0.35, ac_complexity: 0.25, balanced_distribution: 0.2, conservative_range: 0.2 });
    expect(balancedStrategy.weights).toEqual({ balance_optimization: 0.4, last_digit_harmony: 0.3, even_distribution: 0.2, golden_ratio: 0.1 });
    expect(creativeStrategy.weights).toEqual({ odd_number_preference: 0.32, diversity_bonus: 0.28, creative_combinations: 0.25, challenge_patterns: 0.15 });
    for (const s of MACHINE_STRATEGIES) expect(sum(Object.values(s.weights))).toBeCloseTo(1, 12);
  });

  it('1호기 multiplies the 14 most frequent numbers of the window by 1.15, then renormalises', () => {
    const p = vector(1);
    const freq = Array.from({ length: 45 }, (_, i) => i + 1); // 32..45 are the top 14
    const plan = premiumStrategy.plan(p, { frequencies: freq });
    expect(plan.boosted).toEqual(Array.from({ length: 14 }, (_, i) => 32 + i));
    expect(sum(plan.probabilities)).toBeCloseTo(6, 12);
    const ratio = (n: number) => plan.probabilities[n - 1] / p[n - 1];
    for (let n = 1; n <= 45; n++) expect(ratio(n) / ratio(1)).toBeCloseTo(n >= 32 ? 1.15 : 1, 10);
    expect(() => premiumStrategy.plan(p)).toThrow(/frequencies/);
  });

  it('3호기 multiplies odd numbers by 1.12; 2호기 and neutral leave the vector as is', () => {
    const p = vector(2);
    const plan = creativeStrategy.plan(p);
    expect(sum(plan.probabilities)).toBeCloseTo(6, 12);
    const ratio = (n: number) => plan.probabilities[n - 1] / p[n - 1];
    for (let n = 1; n <= 45; n++) expect(ratio(n) / ratio(2)).toBeCloseTo(n % 2 === 1 ? 1.12 : 1, 10);
    for (const s of [balancedStrategy, neutralStrategy]) {
      const q = s.plan(p).probabilities;
      for (let i = 0; i < 45; i++) expect(q[i]).toBeCloseTo(p[i], 12);
    }
  });

  it('breaks frequency ties toward the lower number and counts window frequencies', () => {
    expect(topFrequencyNumbers(new Array(45).fill(3))).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    const draws = [
      { numbers: [1, 2, 3, 4, 5, 6] },
      { numbers: [1, 7, 8, 9, 10, 11] },
    ] as unknown as Draw[];
    const f = windowFrequencies(draws);
    expect(f[0]).toBe(2);
    expect(f[1]).toBe(1);
    expect(f[44]).toBe(0);
  });

  it('scores soft preferences in [0, 1] from known shapes', () => {
    expect(sectionBalance([1, 2, 16, 17, 31, 32])).toBe(1);
    expect(sectionBalance([1, 2, 3, 4, 5, 6])).toBe(0);
    // 4th number cutting the span at exactly 1/φ scores 1: span 0..100 scaled to 1..45 is not integer, so check closeness.
    expect(goldenRatioScore([1, 5, 10, 28, 35, 45])).toBeGreaterThan(0.95); // (28−1)/44 = 0.614
    expect(goldenRatioScore([1, 2, 3, 4, 5, 45])).toBeLessThan(0.2);
    const r = new Random(4);
    const freq = Array.from({ length: 45 }, () => r.nextInt(10));
    for (const s of [...MACHINE_STRATEGIES, neutralStrategy]) {
      const plan = s.plan(vector(3), { frequencies: freq });
      for (let k = 0; k < 50; k++) {
        const set = Array.from(r.sampleIndices(45, 6), (i) => i + 1).sort((a, b) => a - b);
        const sc = plan.softScore(set);
        expect(sc.total).toBeGreaterThanOrEqual(0);
        expect(sc.total).toBeLessThanOrEqual(1);
        for (const [k2, v] of Object.entries(sc.parts)) {
          expect(v, `${s.id}.${k2}`).toBeGreaterThanOrEqual(0);
          expect(v, `${s.id}.${k2}`).toBeLessThanOrEqual(1);
        }
        expect(Object.keys(sc.parts).sort()).toEqual(Object.keys(s.weights).sort());
      }
    }
  });

  it('prefers, for 1호기, a set with more of the frequent numbers and a higher AC, all else equal', () => {
    const freq = Array.from({ length: 45 }, (_, i) => i + 1);
    const plan = premiumStrategy.plan(vector(5), { frequencies: freq });
    // Same section spread and sum band; the second uses more top-frequency numbers (32..45).
    const a = plan.softScore([3, 9, 18, 26, 31, 44]);
    const b = plan.softScore([3, 9, 18, 26, 33, 44]);
    expect(b.parts.high_frequency_numbers).toBeGreaterThan(a.parts.high_frequency_numbers);
  });
});
