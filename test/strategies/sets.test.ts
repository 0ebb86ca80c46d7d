import { describe, expect, it } from 'vitest';
import { Random } from '../../src/domain/random.js';
import { ValidationError } from '../../src/domain/problems.js';
import { normalizeToSix } from '../../src/combination/normalize.js';
import { MACHINE_STRATEGIES, neutralStrategy, strategyFor, windowFrequencies, type MachineStrategy } from '../../src/strategies/machineStrategies.js';
import { PercentileTable } from '../../src/strategies/percentile.js';
import { differentiation, generateSets, InfeasibleRequestError, type GenerateSetsOptions } from '../../src/strategies/sets.js';
import { loadHistoryDraws } from '../helpers/history.js';

// Independent statements of the rules, written from the issue text.
const PRIME_OR_FIB = new Set([2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 1, 8, 21, 34]);
function ac(set: number[]): number {
  const d = new Set<number>();
  for (const a of set) for (const b of set) if (a < b) d.add(b - a);
  return d.size - 5;
}
function ruleViolations(machine: number | null, set: number[]): string[] {
  const bad: string[] = [];
  const odd = set.filter((n) => n % 2 === 1).length;
  const total = set.reduce((a, b) => a + b, 0);
  if (machine === 1) {
    if (ac(set) < 7) bad.push('AC < 7');
    if (total < 120 || total > 180) bad.push('sum outside 120–180');
  }
  if (machine === 2) {
    if (odd < 2 || odd > 4) bad.push('odd count outside 2–4');
    const lds = set.reduce((a, n) => a + (n % 10), 0);
    if (lds < 15 || lds > 25) bad.push('last-digit sum outside 15–25');
    const inSec = (lo: number, hi: number) => set.filter((n) => n >= lo && n <= hi).length;
    if (inSec(1, 15) !== 2 || inSec(16, 30) !== 2 || inSec(31, 45) !== 2) bad.push('not 2/2/2 by section');
  }
  if (machine === 3) {
    if (odd < 4) bad.push('fewer than 4 odd');
    const pairs = set.filter((n) => set.includes(n + 1)).length;
    if (pairs > 1) bad.push('more than 1 consecutive pair');
    if (set.filter((n) => PRIME_OR_FIB.has(n)).length < 2) bad.push('fewer than 2 special');
  }
  return bad;
}

function shape(set: number[]): void {
  expect(set).toHaveLength(6);
  expect(new Set(set).size).toBe(6);
  expect([...set].sort((a, b) => a - b)).toEqual(set);
  for (const n of set) expect(n >= 1 && n <= 45 && Number.isInteger(n)).toBe(true);
}

const shared = (a: number[], b: number[]) => a.filter((n) => b.includes(n)).length;

function randomVector(r: Random, spread: number): Float64Array {
  return normalizeToSix(Array.from({ length: 45 }, () => Math.exp(spread * r.nextNormal())));
}

function randomFrequencies(r: Random): number[] {
  return Array.from({ length: 45 }, () => r.nextInt(12));
}

function infeasible(o: Partial<GenerateSetsOptions> & { strategy: MachineStrategy }): InfeasibleRequestError {
  const p = normalizeToSix(new Array(45).fill(1));
  try {
    generateSets({ probabilities: p, count: 1, seed: 1, context: { frequencies: new Array(45).fill(1) }, ...o });
  } catch (e) {
    if (e instanceof InfeasibleRequestError) return e;
    throw e;
  }
  throw new Error('expected InfeasibleRequestError');
}

describe('generateSets', () => {
  it('every set meets its machine rules, include/exclude and the overlap limit, over many seeds and vectors', () => {
    const r = new Random(2024);
    let checked = 0;
    for (let trial = 0; trial < 24; trial++) {
      const p = randomVector(r, 0.1 + r.nextFloat());
      const table = PercentileTable.fromProbabilities(p);
      const frequencies = randomFrequencies(r);
      for (const strategy of [...MACHINE_STRATEGIES, neutralStrategy]) {
        // Small random include/exclude that some trials use.
        const include = trial % 3 === 0 ? [] : Array.from(r.sampleIndices(45, 1 + r.nextInt(2)), (i) => i + 1);
        const exclude = Array.from(r.sampleIndices(45, r.nextInt(8)), (i) => i + 1).filter((n) => !include.includes(n));
        const maxShared = 2 + r.nextInt(2);
        const count = 1 + r.nextInt(8);
        let res;
        try {
          res = generateSets({ probabilities: p, strategy, context: { frequencies }, count, seed: trial, include, exclude, maxShared, percentileTable: table });
        } catch (e) {
          // Fixed numbers can genuinely make a machine's rules impossible; then it must say so.
          expect(e).toBeInstanceOf(InfeasibleRequestError);
          continue;
        }
        expect(res.sets).toHaveLength(count);
        res.sets.forEach((s, i) => {
          shape(s.numbers);
          expect(ruleViolations(strategy.machine, s.numbers), `${strategy.id} ${s.numbers}`).toEqual([]);
          for (const n of include) expect(s.numbers).toContain(n);
          for (const n of exclude) expect(s.numbers).not.toContain(n);
          for (let j = 0; j < i; j++) expect(shared(s.numbers, res.sets[j].numbers)).toBeLessThanOrEqual(maxShared);
          expect(s.confidenceScore).toBeGreaterThanOrEqual(0);
          expect(s.confidenceScore).toBeLessThanOrEqual(1);
          expect(s.confidenceScore).toBe(table.percentile(s.numbers));
          expect(s.expectedMatches).toBeCloseTo(s.numbers.reduce((a, n) => a + p[n - 1], 0), 12);
          expect(s.chanceExpectedMatches).toBeCloseTo(0.8, 12);
          expect(s.setNumber).toBe(i + 1);
          checked++;
        });
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('gives the same sets for the same seed and different sets for different seeds', () => {
    const r = new Random(7);
    const p = randomVector(r, 0.5);
    const frequencies = randomFrequencies(r);
    for (const strategy of [...MACHINE_STRATEGIES, neutralStrategy]) {
      const run = (seed: number) => generateSets({ probabilities: p, strategy, context: { frequencies }, count: 5, seed }).sets.map((s) => s.numbers);
      expect(run(42)).toEqual(run(42));
      expect(run(42)).not.toEqual(run(43));
      expect(run(1)).not.toEqual(run(2));
    }
  });

  it('gives the same sets with a cached strategy plan as without, and refuses a plan made by another strategy', () => {
    const r = new Random(11);
    const p = randomVector(r, 0.5);
    const frequencies = randomFrequencies(r);
    for (const strategy of MACHINE_STRATEGIES) {
      const plan = strategy.plan(p, { frequencies });
      const base: GenerateSetsOptions = { probabilities: p, strategy, context: { frequencies }, count: 5, seed: 9 };
      expect(generateSets({ ...base, plan }).sets).toEqual(generateSets(base).sets);
      const other = MACHINE_STRATEGIES.find((s) => s !== strategy) as MachineStrategy;
      expect(() => generateSets({ ...base, plan: other.plan(p, { frequencies }) })).toThrow(/plan was made by/);
    }
  });

  it('samples from the distribution rather than always taking the most likely numbers', () => {
    // Numbers 1..6 are three times as likely as the others.
    const p = normalizeToSix(Array.from({ length: 45 }, (_, i) => (i < 6 ? 3 : 1)));
    const table = PercentileTable.fromProbabilities(p);
    const hits = new Array(46).fill(0);
    const distinct = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const s = generateSets({ probabilities: p, strategy: neutralStrategy, count: 1, seed, percentileTable: table }).sets[0].numbers;
      distinct.add(s.join(','));
      for (const n of s) hits[n]++;
    }
    expect(distinct.size).toBeGreaterThan(150);
    const favoured = hits.slice(1, 7).reduce((a, b) => a + b, 0) / 6;
    const others = hits.slice(7).reduce((a, b) => a + b, 0) / 39;
    expect(favoured).toBeGreaterThan(2 * others);
  });

  it('works with 1호기 frequencies from the real machine-1 history', () => {
    const draws = loadHistoryDraws().filter((d) => d.machine === 1).slice(-50);
    const p = normalizeToSix(new Array(45).fill(1));
    const res = generateSets({ probabilities: p, strategy: strategyFor(1), context: { frequencies: windowFrequencies(draws) }, count: 20, seed: 9 });
    expect(res.sets).toHaveLength(20);
    for (const s of res.sets) expect(ruleViolations(1, s.numbers)).toEqual([]);
  });

  it('explains each set in Korean by default and in English on request', () => {
    const r = new Random(8);
    const p = randomVector(r, 0.4);
    const ko = generateSets({ probabilities: p, strategy: strategyFor(3), count: 2, seed: 5 }).sets[0];
    const text = ko.explanation.join('\n');
    expect(text).toContain('3호기');
    expect(text).toContain('창조적 도전자');
    expect(text).toContain('홀수 ×1.12');
    expect(text).toContain('백분위');
    expect(text).toContain(`${(Math.floor(ko.confidenceScore * 1000) / 10).toFixed(1)}%`);
    expect(text).toContain(`기대 적중 수 ${ko.expectedMatches.toFixed(3)}`);
    expect(text).toContain('0.8');
    const en = generateSets({ probabilities: p, strategy: strategyFor(3), count: 2, seed: 5, lang: 'en' }).sets[0];
    expect(en.numbers).toEqual(ko.numbers);
    const etext = en.explanation.join('\n');
    expect(etext).toContain('Creative Challenger');
    expect(etext).toMatch(/not a chance of winning/);
    expect(etext).toContain('chance 0.8');
  });

  it('refuses impossible requests with a reason that names the rule', () => {
    const c3 = strategyFor(3);
    let e = infeasible({ strategy: c3, include: [2, 4, 6, 8, 10], lang: 'en' });
    expect(e.code).toBe('IMPOSSIBLE_CONSTRAINTS');
    expect(e.message).toMatch(/at least 4 odd numbers.*fixed 5 even/);
    e = infeasible({ strategy: c3, exclude: Array.from({ length: 23 }, (_, i) => 2 * i + 1), lang: 'en' });
    expect(e.message).toMatch(/odd/);
    expect(e.message).toMatch(/only 0 odd/);
    e = infeasible({ strategy: c3, include: [1, 2, 3], lang: 'en' });
    expect(e.message).toMatch(/consecutive pair.*1-2, 2-3/);
    e = infeasible({ strategy: strategyFor(2), include: [1, 2, 3], lang: 'en' });
    expect(e.message).toMatch(/exactly 2 numbers in 1–15.*fixed 3/);
    e = infeasible({ strategy: strategyFor(1), include: [1, 2, 3, 4, 5], lang: 'en' });
    expect(e.message).toMatch(/total sum|AC value/);
    // Korean by default.
    e = infeasible({ strategy: c3, include: [2, 4, 6, 8, 10] });
    expect(e.message).toContain('홀수');
    expect(e.reasons[0].en).toMatch(/odd/);
  });

  it('says so clearly when fewer distinct sets exist than requested, or returns them with allowFewer', () => {
    const p = normalizeToSix(new Array(45).fill(1));
    const exclude = Array.from({ length: 39 }, (_, i) => i + 7); // only 1..6 remain
    let err: unknown;
    try {
      generateSets({ probabilities: p, strategy: neutralStrategy, count: 2, seed: 1, exclude, lang: 'en' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InfeasibleRequestError);
    expect((err as InfeasibleRequestError).code).toBe('TOO_FEW_DISTINCT_SETS');
    expect((err as InfeasibleRequestError).found).toBe(1);
    expect((err as Error).message).toMatch(/only 1 of the 2 requested sets.*at most 3 numbers/);
    // Ten numbers left: some sets fit pairwise overlap ≤ 3, but not 20 of them.
    const ten = Array.from({ length: 35 }, (_, i) => i + 11);
    const res = generateSets({ probabilities: p, strategy: neutralStrategy, count: 20, seed: 3, exclude: ten, allowFewer: true });
    expect(res.sets.length).toBeGreaterThan(1);
    expect(res.sets.length).toBeLessThan(20);
    expect(res.shortfall?.en).toMatch(/requested/);
    for (let i = 0; i < res.sets.length; i++) for (let j = 0; j < i; j++) expect(shared(res.sets[i].numbers, res.sets[j].numbers)).toBeLessThanOrEqual(3);
  });

  it('refuses several sets when the fixed numbers alone exceed the overlap limit', () => {
    const e = infeasible({ strategy: neutralStrategy, include: [1, 2, 3, 4], count: 2, lang: 'en' });
    expect(e.code).toBe('IMPOSSIBLE_CONSTRAINTS');
    expect(e.message).toMatch(/fixed 4 numbers.*limit of 3/);
    // One set, or a higher limit, is fine.
    const p = normalizeToSix(new Array(45).fill(1));
    expect(generateSets({ probabilities: p, strategy: neutralStrategy, include: [1, 2, 3, 4], count: 1, seed: 1 }).sets).toHaveLength(1);
    expect(generateSets({ probabilities: p, strategy: neutralStrategy, include: [1, 2, 3, 4], count: 3, seed: 1, maxShared: 5 }).sets).toHaveLength(3);
  });

  it('rejects malformed requests with every problem listed', () => {
    const p = normalizeToSix(new Array(45).fill(1));
    const base = { probabilities: p, strategy: neutralStrategy, seed: 1 };
    let err: unknown;
    try {
      generateSets({ ...base, count: 21, include: [1, 2, 3, 4, 5, 6], exclude: [1, 46] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const fields = (err as ValidationError).problems.map((x) => x.field).sort();
    expect(fields).toEqual(['count', 'exclude', 'exclude', 'include']);
    expect(() => generateSets({ ...base, count: 0 })).toThrow(ValidationError);
    expect(() => generateSets({ ...base, count: 1, include: [3, 3] })).toThrow(ValidationError);
    expect(() => generateSets({ ...base, count: 1, exclude: Array.from({ length: 40 }, (_, i) => i + 1) })).toThrow(ValidationError);
    expect(() => generateSets({ ...base, count: 1, probabilities: new Array(45).fill(1) })).toThrow(/sum to 6/);
    const other = PercentileTable.fromProbabilities(normalizeToSix(Array.from({ length: 45 }, (_, i) => i + 1)));
    expect(() => generateSets({ ...base, count: 1, percentileTable: other })).toThrow(/different probability vector/);
  });
});

describe('differentiation', () => {
  it('is 1 when no number is shared and 0 when the machines use the same numbers', () => {
    expect(differentiation({ 1: [[1, 2, 3, 4, 5, 6]], 2: [[7, 8, 9, 10, 11, 12]] }).score).toBe(1);
    const same = differentiation({ 1: [[1, 2, 3, 4, 5, 6]], 2: [[6, 5, 4, 3, 2, 1]], 3: [[1, 2, 3, 4, 5, 6]] });
    expect(same.score).toBe(0);
    expect(same.sharedNumbers).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('counts the share of distinct numbers that only one machine uses', () => {
    // Machine 1: 1..6 and 7..12; machine 2: 10..15; machine 3: 40..45 and 1.
    const d = differentiation(
      new Map<number, number[][]>([
        [1, [[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]],
        [2, [[10, 11, 12, 13, 14, 15]]],
        [3, [[1, 40, 41, 42, 43, 44]]],
      ]),
    );
    // Distinct: 1..15 and 40..44 = 20; shared: 1, 10, 11, 12 = 4.
    expect(d.distinctNumbers).toBe(20);
    expect(d.sharedNumbers).toEqual([1, 10, 11, 12]);
    expect(d.score).toBeCloseTo(1 - 4 / 20, 15);
    expect(d.perMachine).toEqual([
      { machine: '1', distinct: 12, exclusive: 8 },
      { machine: '2', distinct: 6, exclusive: 3 },
      { machine: '3', distinct: 6, exclusive: 5 },
    ]);
  });

  it('needs at least two machines with sets', () => {
    expect(() => differentiation({ 1: [[1, 2, 3, 4, 5, 6]] })).toThrow(/two machines/);
    expect(() => differentiation({ 1: [[1, 2, 3, 4, 5, 6]], 2: [] })).toThrow(/two machines/);
  });
});
