/**
 * PopularityModel: how many other players hold a combination, per prize tier.
 *
 * For round r and tier k, uniform play gives E_k(r) = G(r)·p_k winners. The model fits, per tier,
 *
 *   winners_k(r) ~ NB( E_k(r) · exp(level_k(r) + b_k + η_k(c_r)) )
 *
 * where c_r is the winning combination, η_k the decomposable linear predictor of
 * features/popularity.ts, and level_k(r) a causal level: the median realized log ratio of the
 * (up to) 52 rounds before r. The level absorbs slow drift (the 2,000-won game of the first
 * rounds, changes in who plays) so the coefficients describe only which combinations are popular.
 * Rows are weighted by recency (half-life per tier) because preferences drift too.
 *
 * For tier 1 the manual/auto split (from round 262) adds a second kind of row: auto tickets are
 * uniform, so manual+semi-auto winners over auto winners measures the manual players' popularity
 * of c_r without any estimate of G. Those rows share η_1 and have their own intercept and level.
 *
 * Tiers marked in `floor` (4 and 5 by default) fit a uniform floor as well:
 * winners ~ NB( E · exp(level) · (A_k + exp(b_k + η_k(c))) ), the auto tickets (uniform) beside the
 * manual ones (popularity-weighted). Fitted on all rounds through 1238, A/(A + mean manual weight)
 * is 0.89 (tier 4) and 0.85 (tier 5): most tickets behave as uniform.
 *
 * The reported ratio is normalised to mean 1 over all combinations, as the true co-winner ratio
 * is: ratio_k(c) = exp(η_k(c)) / mean_c' exp(η_k(c')), or with a floor
 * (A_k + exp(b_k + η_k(c))) / (A_k + mean_c' exp(b_k + η_k(c'))). The mean is taken over a seeded sample of
 * uniform combinations (exactly, by enumeration, in enumerate.ts when all are scored).
 *
 * Same shape as the shared model contract: plain params, `fit` (the only thing that sets learned
 * state), `getParams`/`clone`, `toArtifacts`/`fromArtifacts(unknown)` that validates. No I/O, no clock.
 */
import { Random } from '../../domain/random.js';
import { TIERS, realizedRatio, uniformWinners, type PrizeRound, type Tier } from '../../domain/prizeRound.js';
import {
  BALLS,
  COMBINATION_FEATURES,
  N_FEATURES,
  N_PAIR,
  N_UNARY,
  PAIR_TABLE,
  checkCombination,
  combinationFeatures,
  popularityContext,
  unaryFeatures,
  type DrawNumbers,
} from '../../features/popularity.js';
import { fitNegativeBinomial, fitNegativeBinomialWithFloor } from './glm.js';

export const POPULARITY_CLASS_NAME = 'PopularityModel';
/** 2: tiers carry logFloor and params carry floor (the uniform-floor tiers). */
const ARTIFACT_VERSION = 2;

export interface PopularityParams {
  /** L2 penalty on the feature coefficients. */
  ridge: number;
  /** Recency half-life in rounds, per tier 1..5. */
  halfLife: number[];
  /** Rounds in the causal level (median realized log ratio). */
  levelWindow: number;
  /** Use the tier-1 manual/auto split as extra rows. */
  firstSplitControl: boolean;
  /** Uniform combinations sampled to normalise the ratio to mean 1. */
  normalizationSamples: number;
  seed: number;
  maxIter: number;
  /**
   * Borrowing strength for the sparse tiers: anchor[k-1] = a means tier k's predictor is
   * γ·η_a + δ, with γ free and δ (its own feature coefficients) penalised by `anchorRidge`.
   * Tier 1 and 2 counts are small (Poisson noise dominates), tier 4's are large and measure the
   * same popularity through the 4-subsets; tier 3 gains a little too. null: the tier is fitted on its own.
   */
  anchor: Array<number | null>;
  anchorRidge: number;
  /**
   * Per tier 1..5: fit a uniform floor (auto tickets) beside the popularity-weighted manual ones.
   * Meant for the tiers fitted on their own (their counts are large enough to measure it); the
   * anchored tiers borrow the anchor's log-linear coefficients either way.
   */
  floor: boolean[];
}

export const DEFAULT_POPULARITY_PARAMS: PopularityParams = {
  ridge: 3,
  halfLife: [300, 300, 300, 100, 100],
  levelWindow: 52,
  firstSplitControl: true,
  normalizationSamples: 20_000,
  seed: 20_260_101,
  maxIter: 30,
  anchor: [4, 4, 4, null, null],
  anchorRidge: 3000,
  floor: [false, false, false, true, true],
};

/** Learned state of one tier. */
export interface TierFit {
  /** Coefficients of COMBINATION_FEATURES. */
  coef: number[];
  intercept: number;
  alpha: number;
  rows: number;
  /** log A of the uniform floor (same units as exp(intercept + η)); null: log-linear tier. */
  logFloor: number | null;
}

export interface FitOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface PopularityArtifacts {
  manifest: {
    className: typeof POPULARITY_CLASS_NAME;
    version: number;
    params: PopularityParams;
    features: string[];
    trainedThrough: number;
    tiers: TierFit[];
  };
}

/** A fitted model bound to the draws before one round: scores combinations for that round. */
export interface RoundScorer {
  /** Per-number contribution to η for tiers 1..5: unary[t][x]. */
  readonly unary: Float64Array[];
  /** Pair contribution: pair[t][a * 46 + b]. */
  readonly pair: Float64Array[];
  /** Coefficient of (c6 − c1) / 44, per tier. */
  readonly spread: number[];
  /** log mean exp(η) over uniform combinations, per tier. */
  readonly logZ: number[];
  /** Causal level + log of an average combination's weight (intercept + logZ, or with a floor log(A + e^(intercept + logZ))), per tier. */
  readonly logScale: number[];
  /**
   * log A per tier, null for a log-linear tier. Only for log-linear tiers is ratio = exp(η − logZ),
   * the form enumerate.ts scores from unary/pair/spread/logZ.
   */
  readonly logFloor: Array<number | null>;
  /** η_k(c) for k = 1..5 (unnormalised). */
  eta(combination: readonly number[]): number[];
  /** ratio_k(c), mean 1 over combinations. */
  ratio(combination: readonly number[]): number[];
  /** What winners_k / E_k is expected to be for c this round (ratio times the current level). */
  expectedRealized(combination: readonly number[]): number[];
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Causal level: median log((winners + 0.5) / E) of the up to `window` rounds with data before each round. */
export function causalLevels(history: readonly PrizeRound[], tier: Tier, window: number): number[] {
  const out: number[] = [];
  const past: number[] = [];
  for (const r of history) {
    out.push(median(past.slice(-window)));
    const w = r.winners[tier - 1];
    if (w !== null && r.totalSales > 0) past.push(Math.log((w + 0.5) / uniformWinners(r, tier)));
  }
  return out;
}

/** The causal level for the round after `history`: median realized log ratio of its last `window` rounds with data. */
export function levelAfter(history: readonly PrizeRound[], tier: Tier, window: number): number {
  const past: number[] = [];
  for (let i = history.length - 1; i >= 0 && past.length < window; i--) {
    const r = history[i];
    const w = r.winners[tier - 1];
    if (w !== null && r.totalSales > 0) past.push(Math.log((w + 0.5) / uniformWinners(r, tier)));
  }
  return median(past);
}

const toDraw = (r: PrizeRound): DrawNumbers => ({ numbers: r.numbers, bonus: r.bonus });

export class PopularityModel {
  readonly params: PopularityParams;
  private fitted: { tiers: TierFit[]; trainedThrough: number } | null = null;

  constructor(params: Partial<PopularityParams> = {}) {
    this.params = {
      ...DEFAULT_POPULARITY_PARAMS,
      ...params,
      halfLife: [...(params.halfLife ?? DEFAULT_POPULARITY_PARAMS.halfLife)],
      anchor: [...(params.anchor ?? DEFAULT_POPULARITY_PARAMS.anchor)],
      floor: [...(params.floor ?? DEFAULT_POPULARITY_PARAMS.floor)],
    };
  }

  static readonly className = POPULARITY_CLASS_NAME;

  getParams(): PopularityParams {
    return { ...this.params, halfLife: [...this.params.halfLife], anchor: [...this.params.anchor], floor: [...this.params.floor] };
  }

  clone(): PopularityModel {
    return new PopularityModel(this.getParams());
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  get trainedThrough(): number {
    return this.require().trainedThrough;
  }

  get tiers(): readonly TierFit[] {
    return this.require().tiers;
  }

  private require(): { tiers: TierFit[]; trainedThrough: number } {
    if (!this.fitted) throw new Error('PopularityModel is not fitted: call fit(history) first');
    return this.fitted;
  }

  /** Learn from `history` (consecutive rounds, oldest first). Uses nothing else. */
  fit(history: readonly PrizeRound[], options: FitOptions = {}): this {
    checkParams(this.params);
    if (history.length < 20) throw new RangeError(`PopularityModel.fit needs at least 20 rounds of prize history, got ${history.length}`);
    const p = this.params;
    const last = history[history.length - 1].round;
    const draws = history.map(toDraw);
    const feats: Float64Array[] = history.map((r, i) => combinationFeatures(r.numbers, unaryFeatures(popularityContext(draws.slice(Math.max(0, i - 16), i)))));
    const tiers: TierFit[] = new Array<TierFit>(TIERS.length);
    // What anchored tiers borrow: the anchor tier's log-linear coefficients (also when it has a floor).
    const logLinear: number[][] = new Array<number[]>(TIERS.length);
    const order = [...TIERS].sort((a, b) => (p.anchor[a - 1] === null ? 0 : 1) - (p.anchor[b - 1] === null ? 0 : 1));
    for (const tier of order) {
      const anchorTier = p.anchor[tier - 1];
      const anchor = anchorTier === null ? null : { coef: logLinear[anchorTier - 1] };
      if (options.signal?.aborted) throw new Error('PopularityModel.fit aborted');
      const level = causalLevels(history, tier, p.levelWindow);
      const decay = (round: number) => Math.pow(0.5, (last - round) / p.halfLife[tier - 1]);
      const rows: Array<{ f: Float64Array; y: number; o: number; w: number; control: boolean }> = [];
      history.forEach((r, i) => {
        const w = r.winners[tier - 1];
        if (w === null || !(r.totalSales > 0) || i === 0) return;
        rows.push({ f: feats[i], y: w, o: Math.log(uniformWinners(r, tier)) + level[i], w: decay(r.round), control: false });
      });
      if (tier === 1 && p.firstSplitControl) {
        const past: number[] = [];
        history.forEach((r, i) => {
          const s = r.firstSplit;
          if (!s || s.auto + s.manual + s.semiAuto === 0) return;
          const manual = s.manual + s.semiAuto;
          const lvl = median(past.slice(-p.levelWindow));
          past.push(Math.log((manual + 0.5) / (s.auto + 0.5)));
          if (i === 0) return;
          rows.push({ f: feats[i], y: manual, o: Math.log(s.auto + 0.5) + lvl, w: decay(r.round), control: true });
        });
      }
      if (rows.length < 10) throw new RangeError(`PopularityModel.fit: tier ${tier} has only ${rows.length} rounds with winner counts`);
      const cols = N_FEATURES + 3;
      const x = new Float64Array(rows.length * cols);
      rows.forEach((row, i) => {
        x.set(row.f, i * cols);
        x[i * cols + N_FEATURES + (row.control ? 1 : 0)] = 1;
        if (anchor) x[i * cols + N_FEATURES + 2] = anchor.coef.reduce((s, b, j) => s + b * row.f[j], 0);
      });
      const ridgeByColumn = new Float64Array(cols).fill(anchor ? p.anchorRidge : p.ridge);
      const hasControl = rows.some((r) => r.control);
      const hasMain = rows.some((r) => !r.control);
      const data = {
        x,
        rows: rows.length,
        cols,
        y: Float64Array.from(rows, (r) => r.y),
        offset: Float64Array.from(rows, (r) => r.o),
        weight: Float64Array.from(rows, (r) => r.w),
      };
      const glmOptions = {
        ridge: p.ridge,
        ridgeByColumn,
        unpenalised: [...(hasMain ? [N_FEATURES] : []), ...(hasControl ? [N_FEATURES + 1] : []), ...(anchor ? [N_FEATURES + 2] : [])],
        maxIter: p.maxIter,
      };
      const fit = fitNegativeBinomial(data, glmOptions);
      // A column with no rows (no control rows) gets only the ridge and stays 0.
      const compose = (beta: Float64Array) => {
        const gamma = anchor ? beta[N_FEATURES + 2] : 0;
        return Array.from(beta.subarray(0, N_FEATURES), (d, j) => d + gamma * (anchor ? anchor.coef[j] : 0));
      };
      logLinear[tier - 1] = compose(fit.beta);
      if (p.floor[tier - 1] && !hasControl) {
        // Start from the log-linear fit with half of each mean weight moved to the floor.
        const start = Float64Array.from(fit.beta);
        start[N_FEATURES] += Math.log(0.5);
        const mix = fitNegativeBinomialWithFloor(data, glmOptions, start, start[N_FEATURES], fit.alpha);
        tiers[tier - 1] = { coef: compose(mix.beta), intercept: mix.beta[N_FEATURES], alpha: mix.alpha, rows: rows.length, logFloor: mix.logFloor };
      } else tiers[tier - 1] = { coef: logLinear[tier - 1], intercept: fit.beta[N_FEATURES], alpha: fit.alpha, rows: rows.length, logFloor: null };
      options.onProgress?.(order.indexOf(tier) + 1, TIERS.length);
    }
    this.fitted = { tiers, trainedThrough: last };
    return this;
  }

  /**
   * Bind the model to the round after `before` (rounds oldest first; the last 16 draws give the
   * context, the last `levelWindow` prize rounds the level). Everything it uses precedes that round.
   */
  scorer(before: readonly PrizeRound[]): RoundScorer {
    const { tiers } = this.require();
    const ctx = popularityContext(before.slice(-16).map(toDraw));
    const uf = unaryFeatures(ctx);
    const unary: Float64Array[] = [];
    const pair: Float64Array[] = [];
    const spread: number[] = [];
    for (const t of tiers) {
      const u = new Float64Array(BALLS + 1);
      for (let n = 1; n <= BALLS; n++) {
        let s = 0;
        for (let j = 0; j < N_UNARY; j++) s += uf[n][j] * t.coef[j];
        u[n] = s;
      }
      const pr = new Float64Array(46 * 46);
      for (let a = 1; a <= BALLS; a++)
        for (let b = 1; b <= BALLS; b++) {
          let s = 0;
          for (let q = 0; q < N_PAIR; q++) s += PAIR_TABLE[(a * 46 + b) * N_PAIR + q] * t.coef[N_UNARY + q];
          pr[a * 46 + b] = s;
        }
      unary.push(u);
      pair.push(pr);
      spread.push(t.coef[N_FEATURES - 1] / (BALLS - 1));
    }
    const etaOf = (c: readonly number[], k: number): number => {
      const u = unary[k];
      const pr = pair[k];
      let s = 0;
      for (let i = 0; i < c.length; i++) {
        s += u[c[i]];
        for (let j = i + 1; j < c.length; j++) s += pr[c[i] * 46 + c[j]];
      }
      return s + spread[k] * (c[c.length - 1] - c[0]);
    };
    // Seeded uniform sample of combinations for the normalising constant.
    const rng = new Random(this.params.seed);
    const logZ = tiers.map(() => 0);
    const sums = tiers.map(() => 0);
    const sample = new Int32Array(6);
    const n = this.params.normalizationSamples;
    const shift = tiers.map((_, k) => etaOf([1, 2, 3, 4, 5, 6], k));
    for (let s = 0; s < n; s++) {
      const idx = rng.sampleIndices(BALLS, 6);
      for (let i = 0; i < 6; i++) sample[i] = idx[i] + 1;
      sample.sort();
      const c = Array.from(sample);
      for (let k = 0; k < tiers.length; k++) sums[k] += Math.exp(etaOf(c, k) - shift[k]);
    }
    for (let k = 0; k < tiers.length; k++) logZ[k] = Math.log(sums[k] / n) + shift[k];
    const levels = TIERS.map((tier) => levelAfter(before, tier, this.params.levelWindow));
    // log of (A + mean manual weight): the floor tiers' normaliser; log-linear tiers have intercept + logZ.
    const logMean = tiers.map((t, k) => (t.logFloor === null ? t.intercept + logZ[k] : Math.log(Math.exp(t.logFloor) + Math.exp(t.intercept + logZ[k]))));
    const logScale = tiers.map((_, k) => levels[k] + logMean[k]);
    const ratioOf = (e: number, k: number): number => {
      const t = tiers[k];
      return t.logFloor === null ? Math.exp(e - logZ[k]) : (Math.exp(t.logFloor) + Math.exp(t.intercept + e)) / Math.exp(logMean[k]);
    };
    const eta = (combination: readonly number[]) => {
      const c = checkCombination(combination);
      return tiers.map((_, k) => etaOf(c, k));
    };
    return {
      unary,
      pair,
      spread,
      logZ,
      logScale,
      logFloor: tiers.map((t) => t.logFloor),
      eta,
      ratio: (c) => eta(c).map((e, k) => ratioOf(e, k)),
      expectedRealized: (c) => eta(c).map((e, k) => ratioOf(e, k) * Math.exp(logScale[k])),
    };
  }

  toArtifacts(): PopularityArtifacts {
    const f = this.require();
    return {
      manifest: {
        className: POPULARITY_CLASS_NAME,
        version: ARTIFACT_VERSION,
        params: this.getParams(),
        features: [...COMBINATION_FEATURES],
        trainedThrough: f.trainedThrough,
        tiers: f.tiers.map((t) => ({ ...t, coef: [...t.coef] })),
      },
    };
  }

  /** Rebuild a fitted model from `toArtifacts()` output; anything else is refused with the field named. */
  static fromArtifacts(input: unknown): PopularityModel {
    const fail = (field: string, expected: string): never => {
      throw new TypeError(`PopularityModel artifacts: ${field}: expected ${expected}`);
    };
    const obj = (v: unknown, field: string): Record<string, unknown> =>
      typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(field, 'an object');
    const num = (v: unknown, field: string): number => (typeof v === 'number' && Number.isFinite(v) ? v : fail(field, 'a finite number'));
    const m = obj(obj(input, 'artifacts').manifest, 'manifest');
    if (m.className !== POPULARITY_CLASS_NAME) fail('manifest.className', `"${POPULARITY_CLASS_NAME}"`);
    if (m.version !== ARTIFACT_VERSION) fail('manifest.version', String(ARTIFACT_VERSION));
    const feats = m.features;
    if (!Array.isArray(feats) || feats.length !== N_FEATURES || feats.some((f, i) => f !== COMBINATION_FEATURES[i]))
      fail('manifest.features', `the ${N_FEATURES} features of this version, in order`);
    const pr = obj(m.params, 'manifest.params');
    const params: PopularityParams = {
      ridge: num(pr.ridge, 'manifest.params.ridge'),
      halfLife: Array.isArray(pr.halfLife) ? pr.halfLife.map((v, i) => num(v, `manifest.params.halfLife[${i}]`)) : fail('manifest.params.halfLife', 'an array'),
      levelWindow: num(pr.levelWindow, 'manifest.params.levelWindow'),
      firstSplitControl: typeof pr.firstSplitControl === 'boolean' ? pr.firstSplitControl : fail('manifest.params.firstSplitControl', 'a boolean'),
      normalizationSamples: num(pr.normalizationSamples, 'manifest.params.normalizationSamples'),
      seed: num(pr.seed, 'manifest.params.seed'),
      maxIter: num(pr.maxIter, 'manifest.params.maxIter'),
      anchor: Array.isArray(pr.anchor) ? pr.anchor.map((v, i) => (v === null ? null : num(v, `manifest.params.anchor[${i}]`))) : fail('manifest.params.anchor', 'an array'),
      anchorRidge: num(pr.anchorRidge, 'manifest.params.anchorRidge'),
      floor: Array.isArray(pr.floor) ? pr.floor.map((v, i) => (typeof v === 'boolean' ? v : fail(`manifest.params.floor[${i}]`, 'a boolean'))) : fail('manifest.params.floor', 'an array'),
    };
    checkParams(params);
    const tiersIn = m.tiers;
    if (!Array.isArray(tiersIn) || tiersIn.length !== TIERS.length) fail('manifest.tiers', 'an array of 5 tiers');
    const tiers = (tiersIn as unknown[]).map((t, i): TierFit => {
      const o = obj(t, `manifest.tiers[${i}]`);
      const coef = o.coef;
      if (!Array.isArray(coef) || coef.length !== N_FEATURES) fail(`manifest.tiers[${i}].coef`, `${N_FEATURES} numbers`);
      return {
        coef: (coef as unknown[]).map((v, j) => num(v, `manifest.tiers[${i}].coef[${j}]`)),
        intercept: num(o.intercept, `manifest.tiers[${i}].intercept`),
        alpha: num(o.alpha, `manifest.tiers[${i}].alpha`),
        rows: num(o.rows, `manifest.tiers[${i}].rows`),
        logFloor: o.logFloor === null ? null : num(o.logFloor, `manifest.tiers[${i}].logFloor`),
      };
    });
    const model = new PopularityModel(params);
    model.fitted = { tiers, trainedThrough: num(m.trainedThrough, 'manifest.trainedThrough') };
    return model;
  }
}

function checkParams(p: PopularityParams): void {
  const bad = (field: string, expected: string, v: unknown) => {
    throw new RangeError(`PopularityModel params: ${field}: expected ${expected}, found ${JSON.stringify(v)}`);
  };
  if (!(p.ridge > 0)) bad('ridge', 'a positive number', p.ridge);
  if (p.halfLife.length !== 5 || p.halfLife.some((h) => !(h > 0))) bad('halfLife', '5 positive numbers', p.halfLife);
  if (!Number.isInteger(p.levelWindow) || p.levelWindow < 1) bad('levelWindow', 'a whole number ≥ 1', p.levelWindow);
  if (!Number.isInteger(p.normalizationSamples) || p.normalizationSamples < 100) bad('normalizationSamples', 'a whole number ≥ 100', p.normalizationSamples);
  if (!Number.isInteger(p.maxIter) || p.maxIter < 1) bad('maxIter', 'a whole number ≥ 1', p.maxIter);
  if (!Number.isFinite(p.seed)) bad('seed', 'a finite number', p.seed);
  if (p.anchor.length !== 5) bad('anchor', '5 entries (a tier 1..5 or null)', p.anchor);
  p.anchor.forEach((a, i) => {
    if (a !== null && (!Number.isInteger(a) || a < 1 || a > 5 || p.anchor[a - 1] !== null || a === i + 1)) bad(`anchor[${i}]`, 'null or a tier 1..5 that is fitted on its own', a);
  });
  if (!(p.anchorRidge > 0)) bad('anchorRidge', 'a positive number', p.anchorRidge);
  if (p.floor.length !== 5 || p.floor.some((f) => typeof f !== 'boolean')) bad('floor', '5 booleans', p.floor);
}

/** realized ratio helper re-exported for callers that score rounds. */
export { realizedRatio };
