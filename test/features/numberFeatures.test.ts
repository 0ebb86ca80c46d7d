import { describe, expect, it } from 'vitest';
import type { Draw } from '../../src/domain/draw.js';
import { Random } from '../../src/domain/random.js';
import { windowStats } from '../../src/domain/stats.js';
import { buildPredictionRows, buildTrainingSet, featureNames, type FeatureMatrix } from '../../src/features/index.js';
import { loadHistoryDraws } from '../helpers/history.js';

function draw(round: number, numbers: number[], bonus: number, machine: number | null = null): Draw {
  return { round, date: '2020-01-01', numbers, bonus, machine, firstPrizeEach: null, firstPrizeWinners: null, totalSales: null };
}

/** Value of feature `name` for number `n` in a 45-row block starting at `row0`. */
function cell(X: FeatureMatrix, names: string[], row0: number, n: number, name: string): number {
  const c = names.indexOf(name);
  if (c < 0) throw new Error(`no feature ${name}`);
  return X.data[(row0 + n - 1) * X.cols + c];
}

/** Index of the first differing element, or -1 when equal (fast on large arrays). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function rowsOf(X: FeatureMatrix, from: number, count: number): Float32Array {
  return X.data.slice(from * X.cols, (from + count) * X.cols);
}

/** A different, valid set of six numbers for a draw (seeded). */
function scramble(d: Draw, rnd: Random): Draw {
  const nums = Array.from(rnd.sampleIndices(45, 7)).map((i) => i + 1);
  return { ...d, numbers: nums.slice(0, 6).sort((a, b) => a - b), bonus: nums[6], machine: d.machine === 1 ? 2 : 1 };
}

describe('ensemble feature rows', () => {
  // Hand-made history: the expected values below are counted by hand.
  const tiny = [
    draw(1, [1, 2, 3, 4, 5, 6], 7),
    draw(2, [1, 10, 20, 30, 40, 45], 2),
    draw(3, [2, 3, 10, 11, 12, 13], 1),
    draw(4, [5, 15, 25, 35, 44, 45], 9),
  ];

  it('computes per-number frequency, gap and neighbours from the earlier draws only (hand-counted)', () => {
    const set = buildTrainingSet(tiny, { minHistory: 3 });
    const names = set.featureNames;
    expect(set.X.rows).toBe(45);
    expect(Array.from(set.rounds.slice(0, 2))).toEqual([4, 4]);
    const f = (n: number, name: string) => cell(set.X, names, 0, n, name);
    // Number 1: drawn in rounds 1 and 2 of three earlier draws.
    expect(f(1, 'freq_last_5')).toBeCloseTo(2 / 3, 6);
    expect(f(1, 'freq_all')).toBeCloseTo(2 / 3, 6);
    expect(f(1, 'gap')).toBe(1);
    expect(f(1, 'mean_gap')).toBe(0);
    expect(f(1, 'gap_ratio')).toBe(2);
    expect(f(1, 'in_prev')).toBe(0);
    expect(f(1, 'neighbours_in_prev')).toBe(1); // 2 was in round 3
    expect(f(1, 'bonus_prev')).toBe(1); // round 3's bonus was 1
    // Number 10: rounds 2 and 3.
    expect(f(10, 'gap')).toBe(0);
    expect(f(10, 'in_prev')).toBe(1);
    expect(f(10, 'neighbours_in_prev')).toBe(1); // 11 yes, 9 no
    // Number 44: never seen: gap = all three draws, mean gap falls back to chance (39/6).
    expect(f(44, 'freq_all')).toBe(0);
    expect(f(44, 'gap')).toBe(3);
    expect(f(44, 'mean_gap')).toBeCloseTo(6.5, 6);
    // Static number features.
    expect(f(44, 'number')).toBe(44);
    expect(f(44, 'is_odd')).toBe(0);
    expect(f(23, 'is_high')).toBe(1);
    expect(f(22, 'is_high')).toBe(0);
    expect(f(16, 'section')).toBe(1);
    expect(f(41, 'decade')).toBe(4);
  });

  it('describes the previous draw and the recent average with the design statistics (hand-counted)', () => {
    const set = buildTrainingSet(tiny, { minHistory: 3 });
    const f = (name: string) => cell(set.X, set.featureNames, 0, 7, name);
    // Round 3 = [2,3,10,11,12,13]: odd 3, high 0, distinct differences
    // {1,2,3,7,8,9,10,11} = 8 → AC 8 − 5 = 3, last digits 2+3+0+1+2+3 = 11, sum 51.
    expect(f('prev_odd_count')).toBe(3);
    expect(f('prev_high_count')).toBe(0);
    expect(f('prev_ac')).toBe(3);
    expect(f('prev_last_digit_sum')).toBe(11);
    expect(f('prev_total_sum')).toBe(51);
    // Means over the three earlier draws: odd 3, 2, 3; sums 21, 146, 51.
    expect(f('mean10_odd_count')).toBeCloseTo(8 / 3, 5);
    expect(f('mean10_total_sum')).toBeCloseTo(218 / 3, 4);
  });

  it('labels each row 1 exactly when its number was drawn', () => {
    const set = buildTrainingSet(tiny, { minHistory: 2 });
    expect(set.X.rows).toBe(90);
    const drawn = (row0: number) => Array.from(set.y.slice(row0, row0 + 45)).flatMap((v, i) => (v === 1 ? [i + 1] : []));
    expect(drawn(0)).toEqual([2, 3, 10, 11, 12, 13]);
    expect(drawn(45)).toEqual([5, 15, 25, 35, 44, 45]);
    expect(Array.from(set.numbers.slice(45, 48))).toEqual([1, 2, 3]);
  });

  it('sorts its input by round and rejects a repeated round', () => {
    const a = buildTrainingSet(tiny, { minHistory: 1 });
    const b = buildTrainingSet([...tiny].reverse(), { minHistory: 1 });
    expect(firstDifference(b.X.data, a.X.data)).toBe(-1);
    expect(() => buildTrainingSet([...tiny, tiny[0]])).toThrow(/appears twice/);
  });

  const all = loadHistoryDraws().slice(0, 400);

  it('agrees with the domain window statistics on the real history', () => {
    const set = buildTrainingSet(all, { minHistory: 10 });
    const names = set.featureNames;
    for (const t of [11, 57, 200, 399]) {
      const before = all.filter((d) => d.round < all[t].round);
      const row0 = (t - 10) * 45;
      expect(set.rounds[row0]).toBe(all[t].round);
      const w25 = windowStats(before, { rounds: 25 });
      const full = windowStats(before);
      for (const n of [1, 17, 45]) {
        expect(cell(set.X, names, row0, n, 'freq_last_25')).toBeCloseTo(w25.frequencies[n - 1].share, 6);
        expect(cell(set.X, names, row0, n, 'freq_all')).toBeCloseTo(full.frequencies[n - 1].share, 6);
        expect(cell(set.X, names, row0, n, 'gap')).toBe(full.frequencies[n - 1].gap ?? before.length);
      }
      expect(cell(set.X, names, row0, 1, 'mean10_ac')).toBeCloseTo(windowStats(before, { rounds: 10 }).averages.ac, 5);
    }
  });

  it('never looks ahead: rows for draw t do not move when any draw at or after t changes', () => {
    const rnd = new Random(7);
    for (const opts of [{}, { targetMachine: true }]) {
      const base = buildTrainingSet(all, opts);
      for (const t of [10, 150, 333]) {
        const changed = all.map((d, i) => (i >= t ? scramble(d, rnd) : d));
        const other = buildTrainingSet(changed, opts);
        const rowsUpToT = (t - 10 + 1) * 45; // rows of every draw before t, and of t itself
        const cols = base.X.cols;
        // The machine of t is an input of t's own rows (announced on the draw day), so
        // with targetMachine only the rows before t are compared.
        const comparable = 'targetMachine' in opts ? rowsUpToT - 45 : rowsUpToT;
        expect(firstDifference(other.X.data.subarray(0, comparable * cols), base.X.data.subarray(0, comparable * cols))).toBe(-1);
        expect(firstDifference(other.y.subarray(0, rowsUpToT - 45), base.y.subarray(0, rowsUpToT - 45))).toBe(-1);
        // ...and the scrambled draws really changed later rows.
        expect(firstDifference(other.X.data.subarray(rowsUpToT * cols), base.X.data.subarray(rowsUpToT * cols))).not.toBe(-1);
      }
    }
  });

  it('prediction rows equal the training rows built for the same draw (no train/serve skew)', () => {
    for (const opts of [{}, { targetMachine: true, minHistory: 5 }]) {
      const minHistory = opts.minHistory ?? 10;
      const set = buildTrainingSet(all, opts);
      for (const t of [minHistory, 123, 399]) {
        const history = all.slice(0, t);
        const pred = buildPredictionRows(history, { ...opts, nextMachine: all[t].machine });
        expect(pred.rows).toBe(45);
        expect(pred.cols).toBe(featureNames(opts).length);
        expect(pred.data).toEqual(rowsOf(set.X, (t - minHistory) * 45, 45));
      }
    }
  });

  it('refuses a prediction it cannot build honestly', () => {
    expect(() => buildPredictionRows(all.slice(0, 9))).toThrow(/at least 10 earlier draws/);
    expect(() => buildPredictionRows(all.slice(0, 50), { targetMachine: true })).toThrow(/nextMachine/);
    expect(() => buildTrainingSet(all, { minHistory: 0 })).toThrow(/minHistory/);
  });

  it('adds the target machine as one-hot columns when asked', () => {
    const labelled = all.filter((d) => d.machine !== null).slice(0, 30);
    const set = buildTrainingSet(labelled, { targetMachine: true, minHistory: 5 });
    const names = set.featureNames;
    for (let k = 0; k < 25; k++) {
      const m = labelled[k + 5].machine;
      for (const mm of [1, 2, 3]) expect(cell(set.X, names, k * 45, 9, `target_machine_${mm}`)).toBe(m === mm ? 1 : 0);
    }
  });
});
