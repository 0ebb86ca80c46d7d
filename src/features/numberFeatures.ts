/**
 * Feature rows for the statistical ensemble.
 *
 * Target formulation: one sample per (draw t, number n), target 1 when n is among
 * the six numbers of draw t, else 0. A row for (t, n) is computed only from the
 * draws before t, so 45 rows describe one upcoming draw and the regressor's output
 * for a row estimates P(n is drawn at t).
 *
 * Training rows and prediction rows are written by the same function
 * (`writeTargetRows`) from the same running state, so there is no train/serve skew:
 * the prediction rows for the draw after `history` equal the training rows that
 * `buildTrainingSet` would build for that draw once it is known.
 *
 * All per-number statistics are kept incrementally (prefix counts, last/first seen,
 * per-draw statistic prefix sums), so the full history (~56,000 rows) takes a few ms.
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW, sortByRound, type Draw } from '../domain/draw.js';
import type { Machine } from '../domain/machine.js';
import { DECADE_BANDS, HIGH_MIN, SECTIONS, acValue, highCount, lastDigitSum, oddCount, totalSum } from '../domain/stats.js';

/** Dense row-major matrix; structurally the same as the models layer's `Matrix`. */
export interface FeatureMatrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

export interface FeatureOptions {
  /**
   * A draw becomes a training target only when at least this many draws precede it,
   * and a prediction needs a history at least this long. Default 10 (so the 10-draw
   * context averages are always full).
   */
  minHistory?: number;
  /**
   * Add the machine (호기) of the target draw as one-hot columns for machines 1..3
   * (all zero when unknown). The machine of draw t is announced on the draw day, so a
   * prediction with this option needs the caller to supply it (`nextMachine`). Default false.
   */
  targetMachine?: boolean;
}

export interface PredictionRowOptions extends FeatureOptions {
  /** Machine of the draw being predicted; used only with `targetMachine`. */
  nextMachine?: Machine | null;
}

export interface TrainingSet {
  X: FeatureMatrix;
  /** 1 when the row's number was drawn in the row's draw, else 0. */
  y: Float32Array;
  /** Round of the target draw of each row (45 consecutive rows per draw). */
  rounds: Int32Array;
  /** Number (1..45) of each row. */
  numbers: Uint8Array;
  featureNames: string[];
}

/** Windows (in draws) for the per-number recent frequencies. */
export const FREQUENCY_WINDOWS: readonly number[] = [5, 10, 25, 50, 100];
/** Window for the averages of the draw-level statistics. */
export const CONTEXT_WINDOW = 10;
export const DEFAULT_MIN_HISTORY = 10;
/** Machines with their own one-hot column when `targetMachine` is on. */
export const TARGET_MACHINES: readonly Machine[] = [1, 2, 3];

const P_CHANCE = NUMBERS_PER_DRAW / MAX_NUMBER;
/** Expected draws between two appearances under chance, (1 − p)/p = 6.5: the mean gap before a number has two appearances. */
const CHANCE_MEAN_GAP = (1 - P_CHANCE) / P_CHANCE;

const DRAW_STATS = ['odd_count', 'high_count', 'ac', 'last_digit_sum', 'total_sum'] as const;

/** Column names in row order. */
export function featureNames(opts: FeatureOptions = {}): string[] {
  const names = [
    ...FREQUENCY_WINDOWS.map((w) => `freq_last_${w}`),
    'freq_all',
    'gap',
    'mean_gap',
    'gap_ratio',
    'number',
    'is_odd',
    'is_high',
    'section',
    'decade',
    'in_prev',
    'neighbours_in_prev',
    'bonus_prev',
    ...DRAW_STATS.map((s) => `prev_${s}`),
    ...DRAW_STATS.map((s) => `mean${CONTEXT_WINDOW}_${s}`),
  ];
  if (opts.targetMachine) names.push(...TARGET_MACHINES.map((m) => `target_machine_${m}`));
  return names;
}

function resolveMinHistory(opts: FeatureOptions): number {
  const m = opts.minHistory ?? DEFAULT_MIN_HISTORY;
  if (!Number.isInteger(m) || m < 1) throw new Error(`minHistory must be an integer ≥ 1, got ${m}`);
  return m;
}

/** Sorted copy; rejects repeated rounds, which would make "the draws before t" ambiguous. */
function orderedDraws(draws: readonly Draw[]): Draw[] {
  const sorted = sortByRound(draws);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].round === sorted[i - 1].round) throw new Error(`round ${sorted[i].round} appears twice in the history`);
  }
  return sorted;
}

const SECTION_OF = new Uint8Array(MAX_NUMBER + 1);
const DECADE_OF = new Uint8Array(MAX_NUMBER + 1);
for (let n = 1; n <= MAX_NUMBER; n++) {
  SECTION_OF[n] = SECTIONS.findIndex(([lo, hi]) => n >= lo && n <= hi);
  DECADE_OF[n] = DECADE_BANDS.findIndex(([lo, hi]) => n >= lo && n <= hi);
}

/**
 * Running state after the first `seen` draws of a sequence. Everything a row for the
 * next draw needs is read from here; draws beyond `seen` are never consulted.
 */
class HistoryState {
  seen = 0;
  /** cum[i * 46 + n] = appearances of n among draws [0, i). */
  readonly cum: Int32Array;
  readonly lastSeen = new Int32Array(MAX_NUMBER + 1).fill(-1);
  readonly firstSeen = new Int32Array(MAX_NUMBER + 1).fill(-1);
  /** statCum[i * 5 + s] = Σ of draw statistic s over draws [0, i). */
  readonly statCum: Float64Array;
  readonly prevStats = new Float64Array(DRAW_STATS.length);
  readonly prevMask = new Uint8Array(MAX_NUMBER + 2);
  prevBonus = 0;

  constructor(capacity: number) {
    this.cum = new Int32Array((capacity + 1) * (MAX_NUMBER + 1));
    this.statCum = new Float64Array((capacity + 1) * DRAW_STATS.length);
  }

  add(draw: Draw): void {
    const i = this.seen;
    const base = i * (MAX_NUMBER + 1);
    const next = base + MAX_NUMBER + 1;
    this.cum.copyWithin(next, base, next);
    this.prevMask.fill(0);
    for (const n of draw.numbers) {
      this.cum[next + n]++;
      if (this.firstSeen[n] < 0) this.firstSeen[n] = i;
      this.lastSeen[n] = i;
      this.prevMask[n] = 1;
    }
    this.prevBonus = draw.bonus;
    const nums = draw.numbers;
    this.prevStats[0] = oddCount(nums);
    this.prevStats[1] = highCount(nums);
    this.prevStats[2] = acValue(nums);
    this.prevStats[3] = lastDigitSum(nums);
    this.prevStats[4] = totalSum(nums);
    const sb = i * DRAW_STATS.length;
    for (let s = 0; s < DRAW_STATS.length; s++) this.statCum[sb + DRAW_STATS.length + s] = this.statCum[sb + s] + this.prevStats[s];
    this.seen = i + 1;
  }
}

/**
 * Write the 45 rows for the draw at position `state.seen` (the draw right after the
 * state's history) into `out` from row `rowOffset`. The single code path for both
 * training and prediction rows.
 */
function writeTargetRows(state: HistoryState, targetMachine: Machine | null, opts: FeatureOptions, out: Float32Array, cols: number, rowOffset: number): void {
  const i = state.seen;
  if (i < 1) throw new Error('feature rows need at least one earlier draw');
  const W = MAX_NUMBER + 1;
  const cumNow = i * W;
  const S = DRAW_STATS.length;
  const ctxFrom = Math.max(0, i - CONTEXT_WINDOW);
  const ctxLen = i - ctxFrom;
  const ctxMeans = new Float64Array(S);
  for (let s = 0; s < S; s++) ctxMeans[s] = (state.statCum[i * S + s] - state.statCum[ctxFrom * S + s]) / ctxLen;

  for (let n = 1; n <= MAX_NUMBER; n++) {
    let c = (rowOffset + n - 1) * cols;
    for (const w of FREQUENCY_WINDOWS) {
      const from = Math.max(0, i - w);
      out[c++] = (state.cum[cumNow + n] - state.cum[from * W + n]) / (i - from);
    }
    const count = state.cum[cumNow + n];
    out[c++] = count / i;
    // Draws since n last appeared (0: in the previous draw); never seen counts as seen just before the first draw.
    const gap = state.lastSeen[n] < 0 ? i : i - 1 - state.lastSeen[n];
    // Mean number of draws between consecutive appearances; the chance value until there are two.
    const meanGap = count >= 2 ? (state.lastSeen[n] - state.firstSeen[n]) / (count - 1) - 1 : CHANCE_MEAN_GAP;
    out[c++] = gap;
    out[c++] = meanGap;
    out[c++] = (gap + 1) / (meanGap + 1);
    out[c++] = n;
    out[c++] = n % 2;
    out[c++] = n >= HIGH_MIN ? 1 : 0;
    out[c++] = SECTION_OF[n];
    out[c++] = DECADE_OF[n];
    out[c++] = state.prevMask[n];
    out[c++] = state.prevMask[n - 1] + state.prevMask[n + 1];
    out[c++] = state.prevBonus === n ? 1 : 0;
    for (let s = 0; s < S; s++) out[c++] = state.prevStats[s];
    for (let s = 0; s < S; s++) out[c++] = ctxMeans[s];
    if (opts.targetMachine) for (const m of TARGET_MACHINES) out[c++] = targetMachine === m ? 1 : 0;
  }
}

/**
 * Training rows for every draw of `draws` that has at least `minHistory` draws before
 * it. `draws` is one sequence (e.g. one machine's draws, or all); it is sorted by round.
 */
export function buildTrainingSet(draws: readonly Draw[], opts: FeatureOptions = {}): TrainingSet {
  const minHistory = resolveMinHistory(opts);
  const seq = orderedDraws(draws);
  const names = featureNames(opts);
  const cols = names.length;
  const targets = Math.max(0, seq.length - minHistory);
  const rows = targets * MAX_NUMBER;
  const data = new Float32Array(rows * cols);
  const y = new Float32Array(rows);
  const rounds = new Int32Array(rows);
  const numbers = new Uint8Array(rows);
  const state = new HistoryState(seq.length);
  let row = 0;
  for (let i = 0; i < seq.length; i++) {
    const draw = seq[i];
    if (i >= minHistory) {
      writeTargetRows(state, draw.machine, opts, data, cols, row);
      for (let n = 1; n <= MAX_NUMBER; n++) {
        rounds[row + n - 1] = draw.round;
        numbers[row + n - 1] = n;
      }
      for (const n of draw.numbers) y[row + n - 1] = 1;
      row += MAX_NUMBER;
    }
    state.add(draw);
  }
  return { X: { data, rows, cols }, y, rounds, numbers, featureNames: names };
}

/**
 * The 45 rows (number 1..45 in order) for the draw right after `history`, built by the
 * same code as the training rows. Throws when the history is shorter than `minHistory`,
 * or when `targetMachine` is on and `nextMachine` is not given.
 */
export function buildPredictionRows(history: readonly Draw[], opts: PredictionRowOptions = {}): FeatureMatrix {
  const minHistory = resolveMinHistory(opts);
  const seq = orderedDraws(history);
  if (seq.length < minHistory) {
    throw new Error(`a prediction needs at least ${minHistory} earlier draws in its history, got ${seq.length}`);
  }
  if (opts.targetMachine && opts.nextMachine === undefined) {
    throw new Error('these features include the machine of the predicted draw: pass nextMachine (or null when unknown)');
  }
  const cols = featureNames(opts).length;
  const state = new HistoryState(seq.length);
  for (const d of seq) state.add(d);
  const data = new Float32Array(MAX_NUMBER * cols);
  writeTargetRows(state, opts.nextMachine ?? null, opts, data, cols, 0);
  return { data, rows: MAX_NUMBER, cols };
}
