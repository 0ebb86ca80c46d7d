import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/domain/random.js';
import { binMatrix, binOf, fitAndBin, fitBinMapper } from '../../../src/models/tree/binning.js';
import { makeMatrix } from '../../../src/models/types.js';
import { matrixOf } from './fixtures.js';

const column = (values: number[]) => makeMatrix(values.length, 1, Float32Array.from(values));

describe('tree binning', () => {
  it('puts one bin per distinct value with edges at midpoints when values are few', () => {
    const m = fitBinMapper(column([3, 0, 9, 1, 2, 5, 4, 6, 8, 7, 0, 9]));
    expect(Array.from(m.thresholds[0])).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5]);
    expect(m.nBins[0]).toBe(10);
  });

  it('places edges at the k/maxBins quantiles when there are more distinct values than bins', () => {
    // 1..1000 in random order; linear-interpolated quartiles of n = 1000 sorted values are at
    // positions 0.25·999, 0.5·999, 0.75·999 → 250.75, 500.5, 750.25.
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    new Random(5).shuffle(values);
    const m = fitBinMapper(column(values), 4);
    expect(Array.from(m.thresholds[0])).toEqual([250.75, 500.5, 750.25]);
    // Each bin then holds a quarter of the samples.
    const bins = binMatrix(m, column(values));
    const counts = [0, 0, 0, 0];
    for (const b of bins) counts[b]++;
    expect(counts).toEqual([250, 250, 250, 250]);
  });

  it('merges quantile edges that coincide on a heavily repeated value', () => {
    // 900 zeros and 1..100: deciles 1..8 are all 0 (one edge), decile 9 sits at position
    // 0.9·999 = 899.1 between the last 0 and the first 1 → 0.1.
    const values = [...new Array<number>(900).fill(0), ...Array.from({ length: 100 }, (_, i) => i + 1)];
    const m = fitBinMapper(column(values), 10);
    expect(Array.from(m.thresholds[0]).map((t) => Math.round(t * 1e9) / 1e9)).toEqual([0, 0.1]);
  });

  it('gives a constant feature no edges (a single bin)', () => {
    const m = fitBinMapper(matrixOf([[7, 1], [7, 2], [7, 3]]));
    expect(m.thresholds[0].length).toBe(0);
    expect(m.nBins[0]).toBe(1);
    expect(m.nBins[1]).toBe(3);
  });

  it('maps a value to bin b exactly when it is ≤ edge b and > edge b−1', () => {
    const edges = Float64Array.from([0.5, 1.5, 2.5]);
    const cases: Array<[number, number]> = [[-10, 0], [0.5, 0], [0.5000001, 1], [1, 1], [1.5, 1], [2, 2], [2.5, 2], [2.6, 3], [99, 3]];
    for (const [x, b] of cases) expect(binOf(edges, x), `x=${x}`).toBe(b);
  });

  it('bins new data with the training edges, sending unseen extremes to the end bins', () => {
    const m = fitBinMapper(column([1, 2, 3, 4]));
    const bins = binMatrix(m, column([-5, 1, 2.4, 2.6, 4, 100]));
    expect(Array.from(bins)).toEqual([0, 0, 1, 2, 3, 3]);
  });

  it('never uses more than 255 bins', () => {
    const rng = new Random(9);
    const values = Array.from({ length: 5000 }, () => rng.nextNormal());
    const m = fitBinMapper(column(values));
    expect(m.nBins[0]).toBeLessThanOrEqual(255);
    expect(m.nBins[0]).toBeGreaterThan(250);
    expect(() => fitBinMapper(column(values), 256)).toThrow(/maxBins/);
  });

  it('bins training rows during fitting exactly as binMatrix does afterwards (negatives, zeros, ties)', () => {
    const rng = new Random(13);
    const rows = 3000;
    const X = makeMatrix(rows, 4);
    for (let r = 0; r < rows; r++) {
      X.data[r * 4] = rng.nextNormal() * 1e3; // many distinct values of both signs → quantile edges
      X.data[r * 4 + 1] = rng.nextInt(7) - 3; // few distinct integers incl. 0
      X.data[r * 4 + 2] = rng.nextFloat() < 0.5 ? -0 : 0; // signed zeros are one value
      X.data[r * 4 + 3] = Math.round(rng.nextNormal() * 20) / 4; // ~hundreds of values with ties
    }
    const { mapper, columns } = fitAndBin(X);
    const rowMajor = binMatrix(mapper, X);
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < 4; f++) expect(columns[f * rows + r]).toBe(rowMajor[r * 4 + f]);
    }
    expect(mapper.nBins[1]).toBe(7);
    expect(mapper.nBins[2]).toBe(1);
  });
});
