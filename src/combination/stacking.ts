/**
 * Stacking (the design's "스태킹"): a meta-model that learns how much to trust
 * each family from their past OUT-OF-SAMPLE predictions.
 *
 * Members — two, named (by default 'transformer' and 'ensemble'); pT and pE below are
 * their vectors.
 *
 * Meta-model — one logistic regression shared by all 45 numbers. Each scored draw
 * gives 45 rows, one per number n:
 *
 *   x = [ logit pT(n) − logit(6/45),  logit pE(n) − logit(6/45),  1 ],   y = 1 if n was drawn
 *
 *   P(n drawn) = σ(a·x₁ + b·x₂ + c)
 *
 * Centring the logits on chance means a = b = 0 is "ignore both models, predict
 * chance", and the L2 penalty on a and b (not on c) shrinks towards exactly that:
 * with little or noisy evidence, stacking falls back to chance rather than trusting
 * a member blindly. a and b are the learned trust in each family on the log-odds
 * scale; a negative value means a family's deviations from chance were
 * anti-informative out of sample. The output is renormalised to sum 6.
 *
 * Fitting — penalised maximum likelihood by Newton's method (IRLS) on the 3×3
 * system, with step halving if a step does not lower the objective. The objective
 * is strictly convex (the penalty makes it so even when the features are
 * collinear), so the result is unique and fully deterministic: no randomness.
 *
 * No leakage — `fit` REFUSES any record whose models were trained on data that
 * include the target draw (trainedThroughRound ≥ targetRound). Stacking may only
 * ever learn from walk-forward predictions made before the draw happened.
 */
import { MAX_NUMBER, NUMBERS_PER_DRAW } from '../domain/draw.js';
import { presentMembers, type Combined, type Combiner, type CombinerRecord, type MemberVectors } from './combiner.js';
import { assertProbabilityInput, CHANCE_PROBABILITY, logit, normalizeToSix, sigmoid } from './normalize.js';

/** The two members stacking weighs, by default. */
export const STACKING_MEMBERS: readonly [string, string] = ['transformer', 'ensemble'];

export interface StackingParams {
  /** L2 penalty on the two member coefficients (default 1). */
  l2: number;
  /** Newton iterations at most (default 100). */
  maxIter: number;
  /** Stop when no coefficient moves more than this (default 1e-10). */
  tol: number;
  /** Fewest records `fit` accepts (default 10). */
  minRecords: number;
}

export const DEFAULT_STACKING_PARAMS: Readonly<StackingParams> = Object.freeze({ l2: 1, maxIter: 100, tol: 1e-10, minRecords: 10 });

/** The weight on each member's centred logit, by member name, and the intercept. */
export interface StackingCoefficients {
  members: Record<string, number>;
  intercept: number;
}

export interface StackingState extends StackingCoefficients {
  /** Records it was fitted on. */
  records: number;
  /** Latest target round among them. */
  lastTargetRound: number;
  iterations: number;
}

/**
 * Saved form (format 1): the state holds each member's coefficient under its name
 * (`transformer`, `ensemble` by default), then intercept, records, lastTargetRound, iterations.
 * `members` is written only when they are not the default pair.
 */
export interface StackingJSON {
  className: 'StackingCombiner';
  formatVersion: 1;
  members?: [string, string];
  params: StackingParams;
  state: { [key: string]: number } | null;
}

/** Asked to combine with stacking before it was trained. The API maps it to 409. */
export class NotTrainedError extends Error {
  readonly code = 'STACKING_NOT_TRAINED';
  constructor() {
    super(
      'stacking is not trained yet: run `hogi train --stacking` to fit its meta-model on walk-forward (out-of-sample) predictions, or use weighted_voting or blending meanwhile',
    );
    this.name = 'NotTrainedError';
  }
}

/** `fit` was given predictions made by models that had already seen the target draw. */
export class StackingLeakageError extends Error {
  readonly code = 'STACKING_IN_SAMPLE';
  readonly offendingRounds: readonly number[];
  constructor(offending: readonly { targetRound: number; trainedThrough: ReadonlyArray<readonly [string, number]> }[]) {
    const shown = offending
      .slice(0, 5)
      .map((o) => `round ${o.targetRound} (${o.trainedThrough.map(([m, r], i) => `${m}${i === 0 ? ' trained' : ''} through ${r}`).join(', ')})`)
      .join('; ');
    const more = offending.length > 5 ? `; … and ${offending.length - 5} more` : '';
    super(
      `stacking refuses in-sample predictions: ${offending.length} record(s) come from models trained on data including the target draw: ${shown}${more}. ` +
        'Train the meta-model only on walk-forward predictions whose models were trained through an earlier round than the target.',
    );
    this.name = 'StackingLeakageError';
    this.offendingRounds = offending.map((o) => o.targetRound);
  }
}

const CHANCE_LOGIT = logit(CHANCE_PROBABILITY);

function validateDrawn(drawn: readonly number[], round: number): Uint8Array {
  const y = new Uint8Array(MAX_NUMBER);
  if (!Array.isArray(drawn) || drawn.length !== NUMBERS_PER_DRAW) throw new Error(`stacking record for round ${round}: expected ${NUMBERS_PER_DRAW} drawn numbers`);
  for (const n of drawn) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_NUMBER || y[n - 1]) throw new Error(`stacking record for round ${round}: drawn numbers must be ${NUMBERS_PER_DRAW} distinct integers in 1..${MAX_NUMBER}`);
    y[n - 1] = 1;
  }
  return y;
}

/** Solves the 3×3 system H·x = g (H symmetric positive definite) by Gaussian elimination. */
function solve3(H: number[][], g: number[]): number[] {
  const a = H.map((row, i) => [...row, g[i]]);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    const piv = a[c][c];
    if (Math.abs(piv) < 1e-300) throw new Error('stacking: singular Newton system');
    for (let r = c + 1; r < 3; r++) {
      const f = a[r][c] / piv;
      for (let k = c; k < 4; k++) a[r][k] -= f * a[c][k];
    }
  }
  const x = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let s = a[r][3];
    for (let k = r + 1; k < 3; k++) s -= a[r][k] * x[k];
    x[r] = s / a[r][r];
  }
  return x;
}

export class StackingCombiner implements Combiner {
  readonly className = 'StackingCombiner';
  readonly method = 'stacking';
  readonly members: readonly [string, string];
  private readonly params: StackingParams;
  private state: StackingState | null = null;

  constructor(params: Partial<StackingParams> = {}, members: readonly [string, string] = STACKING_MEMBERS) {
    if (members[0] === members[1] || members.includes('intercept')) throw new Error(`stacking needs two distinct member names other than "intercept", got ${members.join(', ')}`);
    this.params = { ...DEFAULT_STACKING_PARAMS, ...params };
    this.members = [members[0], members[1]];
  }

  getParams(): StackingParams {
    return { ...this.params };
  }

  get isTrained(): boolean {
    return this.state !== null;
  }

  /** The fitted coefficients; throws NotTrainedError before `fit`. */
  coefficients(): StackingCoefficients {
    if (!this.state) throw new NotTrainedError();
    return { members: { ...this.state.members }, intercept: this.state.intercept };
  }

  /** Summary of the fit (records, last target round, iterations); null before `fit`. */
  trainingSummary(): StackingState | null {
    return this.state ? { ...this.state, members: { ...this.state.members } } : null;
  }

  /**
   * Fits the meta-model on walk-forward records. Throws StackingLeakageError if
   * any record is in-sample, and a plain Error for malformed records or too few.
   * Leaves the previous fit in place if it throws.
   */
  fit(records: readonly CombinerRecord[]): this {
    const { l2, maxIter, tol, minRecords } = this.params;
    const [ma, mb] = this.members;
    if (!(l2 > 0) || !Number.isFinite(l2)) throw new Error(`stacking l2 must be a positive number, got ${l2}`);
    const offending: { targetRound: number; trainedThrough: Array<[string, number]> }[] = [];
    for (const r of records) {
      const a = r.members?.[ma];
      const b = r.members?.[mb];
      if (!Number.isInteger(r.targetRound) || !a || !b || !Number.isInteger(a.trainedThroughRound) || !Number.isInteger(b.trainedThroughRound)) {
        throw new Error(
          `stacking record needs integer targetRound and members.{${ma}, ${mb}}.trainedThroughRound, got ${JSON.stringify({ targetRound: r.targetRound, [ma]: a?.trainedThroughRound, [mb]: b?.trainedThroughRound })}`,
        );
      }
      if (a.trainedThroughRound >= r.targetRound || b.trainedThroughRound >= r.targetRound) {
        offending.push({ targetRound: r.targetRound, trainedThrough: [[ma, a.trainedThroughRound], [mb, b.trainedThroughRound]] });
      }
    }
    if (offending.length) throw new StackingLeakageError(offending);
    if (records.length < minRecords) {
      throw new Error(`stacking needs at least ${minRecords} scored walk-forward predictions to fit, got ${records.length}`);
    }

    const n = records.length * MAX_NUMBER;
    const x1 = new Float64Array(n);
    const x2 = new Float64Array(n);
    const y = new Uint8Array(n);
    let lastTargetRound = -Infinity;
    records.forEach((r, k) => {
      assertProbabilityInput(r.members[ma].vector, `stacking record for round ${r.targetRound}: ${ma}`);
      assertProbabilityInput(r.members[mb].vector, `stacking record for round ${r.targetRound}: ${mb}`);
      const yy = validateDrawn(r.drawn, r.targetRound);
      const pT = normalizeToSix(r.members[ma].vector);
      const pE = normalizeToSix(r.members[mb].vector);
      for (let i = 0; i < MAX_NUMBER; i++) {
        x1[k * MAX_NUMBER + i] = logit(pT[i]) - CHANCE_LOGIT;
        x2[k * MAX_NUMBER + i] = logit(pE[i]) - CHANCE_LOGIT;
        y[k * MAX_NUMBER + i] = yy[i];
      }
      lastTargetRound = Math.max(lastTargetRound, r.targetRound);
    });

    // Penalised negative log-likelihood; β = [a, b, c].
    const objective = (b: number[]): number => {
      let s = 0.5 * l2 * (b[0] * b[0] + b[1] * b[1]);
      for (let i = 0; i < n; i++) {
        const z = b[0] * x1[i] + b[1] * x2[i] + b[2];
        // log(1 + e^z) − y·z, stable for large |z|.
        s += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
      }
      return s;
    };

    let beta = [0, 0, CHANCE_LOGIT];
    let f = objective(beta);
    let iterations = 0;
    for (; iterations < maxIter; iterations++) {
      const g = [l2 * beta[0], l2 * beta[1], 0];
      const H = [
        [l2, 0, 0],
        [0, l2, 0],
        [0, 0, 1e-12],
      ];
      for (let i = 0; i < n; i++) {
        const mu = sigmoid(beta[0] * x1[i] + beta[1] * x2[i] + beta[2]);
        const r = mu - y[i];
        const w = mu * (1 - mu);
        const u = x1[i];
        const v = x2[i];
        g[0] += r * u;
        g[1] += r * v;
        g[2] += r;
        H[0][0] += w * u * u;
        H[0][1] += w * u * v;
        H[0][2] += w * u;
        H[1][1] += w * v * v;
        H[1][2] += w * v;
        H[2][2] += w;
      }
      H[1][0] = H[0][1];
      H[2][0] = H[0][2];
      H[2][1] = H[1][2];
      const step = solve3(H, g);
      let t = 1;
      let next = beta.map((v, k) => v - step[k]);
      let fNext = objective(next);
      for (let h = 0; h < 30 && !(fNext <= f); h++) {
        t /= 2;
        next = beta.map((v, k) => v - t * step[k]);
        fNext = objective(next);
      }
      const moved = Math.max(...next.map((v, k) => Math.abs(v - beta[k])));
      beta = next;
      f = fNext;
      if (moved < tol) {
        iterations++;
        break;
      }
    }
    if (!beta.every(Number.isFinite)) throw new Error('stacking fit diverged (non-finite coefficients)');
    this.state = { members: { [ma]: beta[0], [mb]: beta[1] }, intercept: beta[2], records: records.length, lastTargetRound, iterations };
    return this;
  }

  /** The stacked 45-number vector (sum 6) of both members' vectors. Throws NotTrainedError before `fit`. */
  combine(vectors: MemberVectors): Combined {
    if (!this.state) throw new NotTrainedError();
    const [ma, mb] = presentMembers(this.members, vectors, 2, 'stacking');
    const a = normalizeToSix(vectors[ma] as ArrayLike<number>);
    const b = normalizeToSix(vectors[mb] as ArrayLike<number>);
    const ca = this.state.members[ma];
    const cb = this.state.members[mb];
    const intercept = this.state.intercept;
    const q = new Float64Array(MAX_NUMBER);
    for (let i = 0; i < MAX_NUMBER; i++) {
      q[i] = sigmoid(ca * (logit(a[i]) - CHANCE_LOGIT) + cb * (logit(b[i]) - CHANCE_LOGIT) + intercept);
    }
    return { probabilities: normalizeToSix(q), weights: null };
  }

  toJSON(): StackingJSON {
    const [ma, mb] = this.members;
    const s = this.state;
    const state = s ? { [ma]: s.members[ma], [mb]: s.members[mb], intercept: s.intercept, records: s.records, lastTargetRound: s.lastTargetRound, iterations: s.iterations } : null;
    const isDefault = ma === STACKING_MEMBERS[0] && mb === STACKING_MEMBERS[1];
    return { className: 'StackingCombiner', formatVersion: 1, ...(isDefault ? {} : { members: [ma, mb] }), params: this.getParams(), state };
  }

  static fromJSON(json: unknown): StackingCombiner {
    const j = json as Partial<StackingJSON> | null;
    if (!j || typeof j !== 'object' || j.className !== 'StackingCombiner') throw new Error('not a StackingCombiner manifest (className mismatch)');
    if (j.formatVersion !== 1) throw new Error(`unsupported StackingCombiner formatVersion ${String(j.formatVersion)}`);
    const p = j.params;
    if (!p || ![p.l2, p.maxIter, p.tol, p.minRecords].every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new Error('StackingCombiner manifest has invalid params');
    }
    const m = j.members;
    if (m !== undefined && !(Array.isArray(m) && m.length === 2 && m.every((x) => typeof x === 'string'))) throw new Error('StackingCombiner manifest: members must be two member names');
    const out = new StackingCombiner({ l2: p.l2, maxIter: p.maxIter, tol: p.tol, minRecords: p.minRecords }, m ? [m[0], m[1]] : STACKING_MEMBERS);
    const s = j.state;
    if (s !== null && s !== undefined) {
      const [ma, mb] = out.members;
      const keys = [ma, mb, 'intercept', 'records', 'lastTargetRound', 'iterations'];
      for (const k of keys) if (typeof s[k] !== 'number' || !Number.isFinite(s[k])) throw new Error(`StackingCombiner manifest: state.${k} must be a finite number, got ${JSON.stringify(s[k])}`);
      out.state = { members: { [ma]: s[ma], [mb]: s[mb] }, intercept: s.intercept, records: s.records, lastTargetRound: s.lastTargetRound, iterations: s.iterations };
    }
    return out;
  }
}
