/**
 * Blending (the design's "블렌딩"): weights that follow each family's recent
 * performance on draws that have since happened.
 *
 * Performance measure — per-draw log-likelihood. For a scored draw, a model's
 * score is the log-probability its 45 per-number probabilities give to what
 * actually happened, treating each number as a drawn / not drawn event:
 *
 *   LL = Σₙ [ yₙ·ln pₙ + (1 − yₙ)·ln(1 − pₙ) ]        (yₙ = 1 for the six drawn)
 *
 * i.e. −45 × the binary log-loss of src/models/metrics.ts (same clipping, so it is
 * always finite). Higher is better; chance scores ≈ −17.67 on every draw.
 *
 * Weights — over the last `window` (50) scored draws, each model's mean LL is
 * turned into a weight proportional to exp(mean LL):
 *
 *   w_T = exp(m_T) / (exp(m_T) + exp(m_E)),   w_E = 1 − w_T
 *
 * so w_T / w_E is the geometric-mean per-draw likelihood ratio of the two models.
 * This is well-behaved: both weights are positive and sum to 1 for any finite
 * scores (a weight only underflows to 0 past a mean gap of ~700 nats per draw,
 * far beyond anything two real models produce); they depend only on the difference m_T − m_E (adding a constant
 * to every score changes nothing); equal performance gives 0.5/0.5; and one bad
 * draw moves the weights by at most its 1/window share of the mean. Using the
 * mean rather than the sum of LL keeps the weights from collapsing to 0/1 after a
 * few dozen draws of small, noisy differences (lottery models differ by
 * hundredths of a nat per draw).
 *
 * Until `minScored` (10) draws are scored the weights stay 0.5/0.5.
 */
import { MAX_NUMBER } from '../domain/draw.js';
import { binaryLogLoss } from '../models/metrics.js';
import { presentMembers, type Combined, type Combiner, type CombinerRecord, type MemberVectors } from './combiner.js';
import { normalizeToSix, type ProbabilityVector } from './normalize.js';

/** One scored draw: each member's per-draw log-likelihood (see `drawLogLikelihood`), by member name. */
export type BlendingScore = Readonly<Record<string, number>>;

export interface BlendingWeights {
  /** The two members' weights by name; they sum to 1. */
  weights: Record<string, number>;
  /** How many scored draws the weights rest on (0 while below `minScored`). */
  basedOn: number;
}

export interface BlendingOptions {
  /** Most recent scored draws used (default 50). */
  window?: number;
  /** Below this many scored draws the weights are 0.5/0.5 (default 10). */
  minScored?: number;
}

export const BLENDING_WINDOW = 50;
export const BLENDING_MIN_SCORED = 10;
/** The two members blending weighs against each other, by default. */
export const BLENDING_MEMBERS: readonly [string, string] = ['transformer', 'ensemble'];

/** A model's per-draw log-likelihood of the actual draw; the blending score. */
export function drawLogLikelihood(probabilities: ArrayLike<number>, drawn: readonly number[]): number {
  return -MAX_NUMBER * binaryLogLoss(probabilities, drawn);
}

/**
 * Weights of members [a, b] from the scored history, oldest first; only the last `window`
 * entries count. Throws on a non-finite score.
 */
export function blendingWeights(history: readonly BlendingScore[], members: readonly [string, string] = BLENDING_MEMBERS, options: BlendingOptions = {}): BlendingWeights {
  const [a, b] = members;
  const window = options.window ?? BLENDING_WINDOW;
  const minScored = options.minScored ?? BLENDING_MIN_SCORED;
  if (!Number.isInteger(window) || window < 1) throw new Error(`blending window must be a positive integer, got ${window}`);
  if (!Number.isInteger(minScored) || minScored < 1) throw new Error(`blending minScored must be a positive integer, got ${minScored}`);
  if (history.length < minScored) return { weights: { [a]: 0.5, [b]: 0.5 }, basedOn: 0 };
  const recent = history.slice(Math.max(0, history.length - window));
  let sumA = 0;
  let sumB = 0;
  for (const h of recent) {
    if (!Number.isFinite(h[a]) || !Number.isFinite(h[b])) {
      throw new Error(`blending scores must be finite, got ${a} ${h[a]}, ${b} ${h[b]}`);
    }
    sumA += h[a];
    sumB += h[b];
  }
  const d = (sumA - sumB) / recent.length;
  // Logistic of the mean difference = exp(m_a) / (exp(m_a) + exp(m_b)), computed stably.
  const wA = d >= 0 ? 1 / (1 + Math.exp(-d)) : Math.exp(d) / (1 + Math.exp(d));
  return { weights: { [a]: wA, [b]: 1 - wA }, basedOn: recent.length };
}

/** Weighted average of the two normalised vectors, normalised to sum 6. */
export function blend(first: ArrayLike<number>, second: ArrayLike<number>, a: number, b: number): ProbabilityVector {
  if (!Number.isFinite(a) || !Number.isFinite(b) || a < 0 || b < 0 || !(a + b > 0)) {
    throw new Error(`blend weights must be finite, non-negative and not both 0, got ${a} and ${b}`);
  }
  const pA = normalizeToSix(first);
  const pB = normalizeToSix(second);
  const mix = new Float64Array(MAX_NUMBER);
  for (let i = 0; i < MAX_NUMBER; i++) mix[i] = (a * pA[i] + b * pB[i]) / (a + b);
  return normalizeToSix(mix);
}

export interface BlendingJSON {
  className: 'BlendingCombiner';
  formatVersion: 1;
  members: [string, string];
  window: number;
  minScored: number;
  weights: Record<string, number>;
  basedOn: number;
}

/**
 * Blending as a Combiner: `fit` scores each record's member vectors against the draw
 * (per-draw log-likelihood) and sets the weights from the last `window` of them;
 * `fitScores` does the same from scores already computed (the stored forecasts' scores).
 */
export class BlendingCombiner implements Combiner {
  readonly method = 'blending';
  readonly members: readonly [string, string];
  private readonly window: number;
  private readonly minScored: number;
  private state: BlendingWeights;

  constructor(options: BlendingOptions & { members?: readonly [string, string] } = {}) {
    this.members = options.members ?? BLENDING_MEMBERS;
    this.window = options.window ?? BLENDING_WINDOW;
    this.minScored = options.minScored ?? BLENDING_MIN_SCORED;
    this.state = blendingWeights([], this.members, { window: this.window, minScored: this.minScored });
  }

  /** The current weights and how many scored draws they rest on. */
  get current(): BlendingWeights {
    return { weights: { ...this.state.weights }, basedOn: this.state.basedOn };
  }

  fit(records: readonly CombinerRecord[]): this {
    const sorted = [...records].sort((x, y) => x.targetRound - y.targetRound);
    return this.fitScores(
      sorted.map((r) => {
        const score: Record<string, number> = {};
        for (const m of this.members) {
          const v = r.members[m];
          if (!v) throw new Error(`blending record for round ${r.targetRound} has no ${m} vector`);
          score[m] = drawLogLikelihood(v.vector, r.drawn);
        }
        return score;
      }),
    );
  }

  fitScores(history: readonly BlendingScore[]): this {
    this.state = blendingWeights(history, this.members, { window: this.window, minScored: this.minScored });
    return this;
  }

  combine(vectors: MemberVectors): Combined {
    const [a, b] = presentMembers(this.members, vectors, 2, 'blending') as [string, string];
    const wa = this.state.weights[a];
    const wb = this.state.weights[b];
    return { probabilities: blend(vectors[a] as ArrayLike<number>, vectors[b] as ArrayLike<number>, wa, wb), weights: { [a]: wa, [b]: wb } };
  }

  toJSON(): BlendingJSON {
    return { className: 'BlendingCombiner', formatVersion: 1, members: [...this.members], window: this.window, minScored: this.minScored, weights: { ...this.state.weights }, basedOn: this.state.basedOn };
  }

  static fromJSON(json: unknown): BlendingCombiner {
    if (typeof json !== 'object' || json === null || !('className' in json) || json.className !== 'BlendingCombiner' || !('formatVersion' in json) || json.formatVersion !== 1) {
      throw new Error('not a BlendingCombiner of format 1 (className / formatVersion)');
    }
    const field = (k: string): unknown => (k in json ? (json as Record<string, unknown>)[k] : undefined); // json is an object: read its fields by name
    const members = field('members');
    if (!Array.isArray(members) || members.length !== 2 || !members.every((m) => typeof m === 'string')) throw new Error('BlendingCombiner: members must be two member names');
    const num = (k: string) => {
      const v = field(k);
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`BlendingCombiner: ${k} must be a finite number, got ${JSON.stringify(v)}`);
      return v;
    };
    const out = new BlendingCombiner({ members: [members[0], members[1]], window: num('window'), minScored: num('minScored') });
    const w = field('weights');
    if (typeof w !== 'object' || w === null) throw new Error('BlendingCombiner: weights must be an object');
    const weights: Record<string, number> = {};
    for (const m of out.members) {
      const v = (w as Record<string, unknown>)[m]; // w is an object (checked just above)
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`BlendingCombiner: weights.${m} must be a finite number ≥ 0, got ${JSON.stringify(v)}`);
      weights[m] = v;
    }
    out.state = { weights, basedOn: num('basedOn') };
    return out;
  }
}
