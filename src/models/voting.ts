/**
 * The voting regressor (scikit-learn's VotingRegressor) over named members, and the
 * normalisation of its 45 raw outputs into probabilities (see ensemble.ts).
 */
import { MAX_NUMBER } from '../domain/draw.js';
import { calibrateToSix } from './probabilities.js';
import type { Matrix, NumberProbabilities, Regressor } from './types.js';

// ---------------------------------------------------------------------------
// Voting regressor
// ---------------------------------------------------------------------------

/** A named member; 'drop' switches it off (as scikit-learn's VotingRegressor). */
export type VotingMember = readonly [name: string, model: Regressor | 'drop'];

/**
 * Weighted average of the members' predictions. Weights are renormalised over the
 * members that are switched on, so dropping one keeps the output on the same scale.
 */
export class VotingRegressor implements Regressor {
  private readonly members: Array<[string, Regressor | 'drop']>;
  private readonly weights: number[];

  /** `weights` default to equal weights; given as an array (member order) or by name. */
  constructor(members: readonly VotingMember[], weights?: readonly number[] | Readonly<Record<string, number>>) {
    const names = members.map(([n]) => n);
    if (new Set(names).size !== names.length) throw new Error(`voting member names must be unique, got ${names.join(', ')}`);
    this.members = members.map(([n, m]) => [n, m]);
    let w: number[];
    if (weights === undefined) w = members.map(() => 1);
    else if (Array.isArray(weights)) w = [...(weights as readonly number[])];
    else {
      const byName = weights as Readonly<Record<string, number>>;
      for (const k of Object.keys(byName)) if (!names.includes(k)) throw new Error(`weight given for unknown member "${k}"`);
      w = names.map((n) => byName[n] ?? 0);
    }
    if (w.length !== members.length) throw new Error(`${members.length} members but ${w.length} weights`);
    for (const x of w) if (!(Number.isFinite(x) && x >= 0)) throw new Error(`voting weights must be finite and ≥ 0, got ${x}`);
    this.weights = w;
  }

  /** Switch a member off ('drop') or replace it. */
  setMember(name: string, model: Regressor | 'drop'): this {
    const m = this.members.find(([n]) => n === name);
    if (!m) throw new Error(`no voting member named "${name}"`);
    m[1] = model;
    return this;
  }

  /** Members that take part, with their renormalised weights (summing to 1). */
  activeMembers(): Array<{ name: string; model: Regressor; weight: number }> {
    const active = this.members.flatMap(([name, model], i) => (model === 'drop' || this.weights[i] === 0 ? [] : [{ name, model, weight: this.weights[i] }]));
    const total = active.reduce((s, a) => s + a.weight, 0);
    if (active.length === 0 || !(total > 0)) throw new Error('the voting regressor has no member with a positive weight switched on');
    return active.map((a) => ({ ...a, weight: a.weight / total }));
  }

  async fit(X: Matrix, y: Float32Array): Promise<this> {
    for (const { model } of this.activeMembers()) await model.fit(X, y);
    return this;
  }

  predict(X: Matrix): Float32Array {
    return combine(this.activeMembers().map(({ model, weight }) => ({ weight, prediction: model.predict(X) })), X.rows);
  }

  /** Each active member's own prediction, by name. */
  memberPredictions(X: Matrix): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const { name, model } of this.activeMembers()) out[name] = model.predict(X);
    return out;
  }
}

function combine(parts: Array<{ weight: number; prediction: Float32Array }>, rows: number): Float32Array {
  const acc = new Float64Array(rows);
  for (const { weight, prediction } of parts) for (let r = 0; r < rows; r++) acc[r] += weight * prediction[r];
  return Float32Array.from(acc);
}

// ---------------------------------------------------------------------------
// Normalisation of the voting output
// ---------------------------------------------------------------------------

export const DEFAULT_CLIP_MIN = 1e-4;

/** Raw 45 voting outputs → probabilities in [ε, 1] summing to 6 (see the module comment). */
export function votingToProbabilities(raw: ArrayLike<number>, clipMin: number = DEFAULT_CLIP_MIN): NumberProbabilities {
  if (raw.length !== MAX_NUMBER) throw new Error(`expected ${MAX_NUMBER} voting outputs, got ${raw.length}`);
  const clipped = new Float64Array(MAX_NUMBER);
  for (let i = 0; i < MAX_NUMBER; i++) {
    const v = raw[i];
    if (Number.isNaN(v)) throw new Error(`voting output for number ${i + 1} is NaN`);
    clipped[i] = Math.min(1, Math.max(clipMin, v));
  }
  return calibrateToSix(clipped);
}
