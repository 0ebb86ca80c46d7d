/**
 * Test statistics for "are these fair, independent 6-of-45 draws without
 * replacement?". Draws come flat (draw d = numbers[6d .. 6d+5]).
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW } from '../draw.js';
import { chiSquareUpperTail, standardNormalCdf } from '../inference/distributions.js';

const N = MAX_NUMBER;
const K = NUMBERS_PER_DRAW;

export function drawCount(numbers: Uint8Array): number {
  return numbers.length / K;
}

/** How often each number 1..45 was drawn (index n − 1). */
export function numberCounts(numbers: Uint8Array): Int32Array {
  const c = new Int32Array(N);
  for (let i = 0; i < numbers.length; i++) c[numbers[i] - 1]++;
  return c;
}

/**
 * Pearson's X² on the 45 number counts, scaled by (N−1)/(N−k) = 44/39: Genest,
 * Lockhart & Stephens (2002) show that with k numbers drawn without replacement the
 * plain X² is (N−k)/(N−1) times a χ²(N−1) variable, so the scaled value is χ²(44).
 */
export function frequencyChiSquare(numbers: Uint8Array): { raw: number; statistic: number; df: number; pValue: number } {
  const d = drawCount(numbers);
  const e = (d * K) / N;
  const c = numberCounts(numbers);
  let raw = 0;
  for (let i = 0; i < N; i++) raw += (c[i] - e) ** 2 / e;
  const statistic = (raw * (N - 1)) / (N - K);
  return { raw, statistic, df: N - 1, pValue: chiSquareUpperTail(statistic, N - 1) };
}

/**
 * Pearson's X² over the 990 pairs (each draw holds 15), expected d/66 each. No
 * asymptotic df is claimed. Computed as Σ O²/E − 15d (the O and E both sum to 15d),
 * with Σ O² kept while counting.
 */
export function pairsChiSquare(numbers: Uint8Array, scratch = new Int32Array(N * N)): number {
  scratch.fill(0);
  const d = drawCount(numbers);
  let sumSq = 0;
  for (let r = 0; r < d; r++) {
    const o = r * K;
    for (let i = 0; i < K; i++) {
      const a = numbers[o + i] - 1;
      for (let j = i + 1; j < K; j++) {
        const b = numbers[o + j] - 1;
        const idx = a < b ? a * N + b : b * N + a;
        sumSq += 2 * scratch[idx] + 1;
        scratch[idx]++;
      }
    }
  }
  const e = (d * 15) / 990;
  return sumSq / e - d * 15;
}

/** Upper bounds of the gap bins; the last bin is open (21+). Chosen so that each bin has 6-16% of the mass. */
export const GAP_BIN_UPPER = [1, 2, 3, 5, 7, 10, 14, 20, Infinity] as const;

/** P(gap in each bin) for a geometric gap with p = 6/45 (gap g ≥ 1 draws). */
export function gapBinProbabilities(): number[] {
  const p = K / N;
  const cdf = (g: number): number => (g === Infinity ? 1 : 1 - (1 - p) ** g);
  let prev = 0;
  return GAP_BIN_UPPER.map((u) => {
    const v = cdf(u) - cdf(prev);
    prev = u;
    return v;
  });
}

/**
 * Gap test pooled over the 45 numbers: every completed gap (draws between two
 * appearances of a number) goes into a bin, and X² compares the bin counts with the
 * geometric(6/45) shares. The open gaps at the window's ends are dropped, which
 * biases completed gaps slightly short, and the 45 numbers share draws; both are why
 * its p-value is calibrated by simulating fair draws of the same length.
 */
export function gapChiSquare(numbers: Uint8Array, probs: readonly number[] = gapBinProbabilities()): { statistic: number; gaps: number; observed: number[] } {
  const last = new Int32Array(N + 1).fill(-1);
  const bins = GAP_BIN_UPPER.length;
  const observed = new Array<number>(bins).fill(0);
  const d = drawCount(numbers);
  for (let r = 0; r < d; r++) {
    for (let i = 0; i < K; i++) {
      const n = numbers[r * K + i];
      if (last[n] >= 0) {
        const g = r - last[n];
        let b = 0;
        while (g > GAP_BIN_UPPER[b]) b++;
        observed[b]++;
      }
      last[n] = r;
    }
  }
  let gaps = 0;
  for (const o of observed) gaps += o;
  let statistic = 0;
  if (gaps > 0) for (let b = 0; b < bins; b++) statistic += (observed[b] - gaps * probs[b]) ** 2 / (gaps * probs[b]);
  return { statistic, gaps, observed };
}

/** Sum of each draw. */
export function drawSums(numbers: Uint8Array): Float64Array {
  const d = drawCount(numbers);
  const s = new Float64Array(d);
  for (let r = 0; r < d; r++) for (let i = 0; i < K; i++) s[r] += numbers[r * K + i];
  return s;
}

/** A fair draw's sum is symmetric about 6·46/2 = 138, which is therefore its median. */
export const FAIR_SUM_MEDIAN = (K * (N + 1)) / 2;

export interface RunsTest {
  runs: number;
  above: number;
  below: number;
  expectedRuns: number;
  z: number;
  /** Two-sided normal p-value. */
  pValue: number;
}

/**
 * Wald–Wolfowitz runs test above/below `median` (values equal to it are dropped):
 * too few runs means clustering, too many means alternation. Normal approximation
 * without continuity correction; fine at hundreds of draws.
 */
export function runsTest(values: ArrayLike<number>, median: number): RunsTest {
  const signs: boolean[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== median) signs.push(values[i] > median);
  const n1 = signs.filter((s) => s).length;
  const n2 = signs.length - n1;
  let runs = signs.length > 0 ? 1 : 0;
  for (let i = 1; i < signs.length; i++) if (signs[i] !== signs[i - 1]) runs++;
  const n = n1 + n2;
  if (n1 === 0 || n2 === 0) return { runs, above: n1, below: n2, expectedRuns: Number.NaN, z: Number.NaN, pValue: Number.NaN };
  const expectedRuns = (2 * n1 * n2) / n + 1;
  const variance = (2 * n1 * n2 * (2 * n1 * n2 - n)) / (n * n * (n - 1));
  const z = (runs - expectedRuns) / Math.sqrt(variance);
  return { runs, above: n1, below: n2, expectedRuns, z, pValue: Math.min(1, 2 * (1 - standardNormalCdf(Math.abs(z)))) };
}

export interface LjungBox {
  lags: number;
  statistic: number;
  autocorrelations: number[];
  pValue: number;
}

/** Ljung–Box Q = n(n+2) Σₖ r_k²/(n−k) over lags 1..h, referred to χ²(h). */
export function ljungBox(values: ArrayLike<number>, lags: number): LjungBox {
  const n = values.length;
  if (!Number.isInteger(lags) || lags < 1 || lags >= n) throw new Error(`Ljung–Box needs 1 ≤ lags < n, got lags=${lags}, n=${n}`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let denom = 0;
  for (let i = 0; i < n; i++) denom += (values[i] - mean) ** 2;
  const autocorrelations: number[] = [];
  let q = 0;
  for (let k = 1; k <= lags; k++) {
    let num = 0;
    for (let t = k; t < n; t++) num += (values[t] - mean) * (values[t - k] - mean);
    const r = denom > 0 ? num / denom : 0;
    autocorrelations.push(r);
    q += (r * r) / (n - k);
  }
  const statistic = n * (n + 2) * q;
  return { lags, statistic, autocorrelations, pValue: chiSquareUpperTail(statistic, lags) };
}

/**
 * Pearson's X² for homogeneity of a groups × 45 table built from the draws and their
 * group labels (0..groups−1). Columns that are empty overall are skipped.
 */
export function groupNumberChiSquare(numbers: Uint8Array, labels: ArrayLike<number>, groups: number, scratch = new Int32Array(groups * N)): number {
  scratch.fill(0);
  const d = drawCount(numbers);
  const rowTotals = new Float64Array(groups);
  for (let r = 0; r < d; r++) {
    const g = labels[r];
    rowTotals[g] += K;
    for (let i = 0; i < K; i++) scratch[g * N + numbers[r * K + i] - 1]++;
  }
  const total = d * K;
  let x2 = 0;
  for (let j = 0; j < N; j++) {
    let col = 0;
    for (let g = 0; g < groups; g++) col += scratch[g * N + j];
    if (col === 0) continue;
    for (let g = 0; g < groups; g++) {
      const e = (rowTotals[g] * col) / total;
      if (e > 0) x2 += (scratch[g * N + j] - e) ** 2 / e;
    }
  }
  return x2;
}
