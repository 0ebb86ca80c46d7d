/**
 * Features of a six-number combination that describe how many other players hold it
 * (its popularity), for the prize-sharing model in models/popularity.
 *
 * Every feature is *decomposable*: the linear predictor of a combination c = {c1 < … < c6} is
 *
 *   η(c) = Σ_i unary[c_i] + Σ_{i<j} pair[c_i][c_j] + spread · (c6 − c1) / 44
 *
 * so all 8,145,060 combinations can be scored in one pass of nested loops with incremental
 * partial sums (models/popularity/enumerate.ts). Unary features may depend on the draws before
 * the round being scored (previous draw, recently drawn numbers): that is the `PopularityContext`,
 * built only from earlier draws. Pair and spread features are fixed.
 *
 * Sources for the choice (see docs/popularity.md): players favour numbers ≤ 31 (dates), small
 * numbers, multiples of 5/7, patterns on the 7-column slip, runs of consecutive numbers, and last
 * week's or recently drawn numbers (Haigh 1997; Roger & Broihanne 2006; Baker & McHale;
 * Suetens, Galbo-Jørgensen & Tyran 2016).
 */

export const BALLS = 45;
export const PICKS = 6;
/** The Korean Lotto 6/45 slip has 7 columns: 1–7 on the first row, 8–14 on the second, … */
export const SLIP_COLUMNS = 7;

/** Numbers of one past draw (main six and bonus). */
export interface DrawNumbers {
  numbers: readonly number[];
  bonus: number;
}

/** Windows (in draws) over which "recently drawn" counts are taken. */
export const HOT_WINDOWS = [4, 8, 16] as const;

/** What the unary features of round r may use: only draws before r. */
export interface PopularityContext {
  /** The draw just before the scored round; null when there is none. */
  previous: DrawNumbers | null;
  /** hot[w][x]: how often x was drawn in the last HOT_WINDOWS[w] draws, divided by the window. */
  hot: Float64Array[];
}

/** Context for the round after `before` (the draws so far, oldest first). Only the last 16 are read. */
export function popularityContext(before: readonly DrawNumbers[]): PopularityContext {
  const previous = before.length > 0 ? before[before.length - 1] : null;
  const hot = HOT_WINDOWS.map((w) => {
    const out = new Float64Array(BALLS + 1);
    const from = Math.max(0, before.length - w);
    for (let i = from; i < before.length; i++) for (const x of before[i].numbers) out[x] += 1 / w;
    return out;
  });
  return { previous, hot };
}

const row = (x: number) => Math.floor((x - 1) / SLIP_COLUMNS);
const col = (x: number) => (x - 1) % SLIP_COLUMNS;

/** Names of the per-number features, in order. The first 45 are the number indicators. */
export const UNARY_FEATURES: readonly string[] = [
  ...Array.from({ length: BALLS }, (_, i) => `number_${i + 1}`),
  'le31',
  'le12',
  'le9',
  'sum',
  'ge40',
  'mult5',
  'mult7',
  'mult10',
  'slip_diagonal',
  'slip_antidiagonal',
  'slip_edge',
  'in_previous',
  'previous_bonus',
  ...HOT_WINDOWS.map((w) => `hot_${w}`),
];

/** Names of the pair features (counted over all pairs of the six numbers). */
export const PAIR_FEATURES: readonly string[] = ['consecutive', 'same_last_digit', 'same_slip_row', 'same_slip_column', 'same_slip_diagonal'];

/** All feature names: unary sums, pair counts, then the spread. */
export const COMBINATION_FEATURES: readonly string[] = [...UNARY_FEATURES, ...PAIR_FEATURES, 'spread'];

export const N_UNARY = UNARY_FEATURES.length;
export const N_PAIR = PAIR_FEATURES.length;
export const N_FEATURES = COMBINATION_FEATURES.length;

/** unary[x] (x = 1..45; index 0 unused): the per-number feature vector of x in this context. */
export function unaryFeatures(ctx: PopularityContext): Float64Array[] {
  const prev = new Set(ctx.previous?.numbers ?? []);
  const out: Float64Array[] = [new Float64Array(N_UNARY)];
  for (let x = 1; x <= BALLS; x++) {
    const f = new Float64Array(N_UNARY);
    f[x - 1] = 1;
    let j = BALLS;
    f[j++] = x <= 31 ? 1 : 0;
    f[j++] = x <= 12 ? 1 : 0;
    f[j++] = x <= 9 ? 1 : 0;
    f[j++] = x / BALLS;
    f[j++] = x >= 40 ? 1 : 0;
    f[j++] = x % 5 === 0 ? 1 : 0;
    f[j++] = x % 7 === 0 ? 1 : 0;
    f[j++] = x % 10 === 0 ? 1 : 0;
    f[j++] = row(x) === col(x) ? 1 : 0;
    f[j++] = row(x) + col(x) === SLIP_COLUMNS - 1 ? 1 : 0;
    f[j++] = row(x) === 0 || row(x) === row(BALLS) || col(x) === 0 || col(x) === SLIP_COLUMNS - 1 ? 1 : 0;
    f[j++] = prev.has(x) ? 1 : 0;
    f[j++] = ctx.previous !== null && ctx.previous.bonus === x ? 1 : 0;
    for (const h of ctx.hot) f[j++] = h[x];
    out.push(f);
  }
  return out;
}

/** The pair feature vector of a < b. */
export function pairFeatures(a: number, b: number): Float64Array {
  const f = new Float64Array(N_PAIR);
  f[0] = Math.abs(b - a) === 1 ? 1 : 0;
  f[1] = a % 10 === b % 10 ? 1 : 0;
  f[2] = row(a) === row(b) ? 1 : 0;
  f[3] = col(a) === col(b) ? 1 : 0;
  // Same diagonal line on the slip (either direction).
  f[4] = row(a) - col(a) === row(b) - col(b) || row(a) + col(a) === row(b) + col(b) ? 1 : 0;
  return f;
}

/** Pair features of every (a, b), a, b in 1..45: table[(a * 46 + b) * N_PAIR + p]. */
export const PAIR_TABLE: Float64Array = (() => {
  const t = new Float64Array(46 * 46 * N_PAIR);
  for (let a = 1; a <= BALLS; a++)
    for (let b = 1; b <= BALLS; b++) if (a !== b) t.set(pairFeatures(Math.min(a, b), Math.max(a, b)), (a * 46 + b) * N_PAIR);
  return t;
})();

/** The full feature vector of a combination (any order; it is sorted here) given unary features. */
export function combinationFeatures(combination: readonly number[], unary: readonly Float64Array[]): Float64Array {
  const c = [...combination].sort((a, b) => a - b);
  const f = new Float64Array(N_FEATURES);
  for (const x of c) {
    const u = unary[x];
    for (let j = 0; j < N_UNARY; j++) f[j] += u[j];
  }
  for (let i = 0; i < c.length; i++)
    for (let k = i + 1; k < c.length; k++) {
      const base = (c[i] * 46 + c[k]) * N_PAIR;
      for (let p = 0; p < N_PAIR; p++) f[N_UNARY + p] += PAIR_TABLE[base + p];
    }
  f[N_FEATURES - 1] = (c[c.length - 1] - c[0]) / (BALLS - 1);
  return f;
}

/** A clear error for anything that is not six distinct whole numbers in 1..45. */
export function checkCombination(numbers: readonly unknown[], what = 'numbers'): number[] {
  if (numbers.length !== PICKS) throw new RangeError(`${what}: expected 6 numbers, got ${numbers.length}`);
  const seen = new Set<number>();
  for (const v of numbers) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > BALLS) throw new RangeError(`${what}: ${String(v)} is not a whole number from 1 to 45`);
    if (seen.has(v)) throw new RangeError(`${what}: ${v} appears twice`);
    seen.add(v);
  }
  return [...seen].sort((a, b) => a - b);
}
