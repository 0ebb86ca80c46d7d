/**
 * The feature-based (tabular) lottery models: named regressors on the (draw, number) feature
 * rows of src/features, combined by a weighted voting regressor and normalised to 45
 * probabilities summing to 6 (see ensemble.ts for the normalisation). The voting ensemble
 * has three members (rf, gbm, mlp); the single families (LotteryRandomForest, …) have one.
 *
 * Each member regresses the 0/1 target "number n is drawn at t". `fit` first scores the
 * members on a time-ordered holdout (the most recent `validationFraction` of the targets,
 * members fitted on the earlier ones), then (with `refitOnAll`) refits on everything.
 * Member i is seeded with seed + i.
 */
import { MAX_NUMBER, sortByRound, type Draw } from '../domain/draw.js';
import type { Machine } from '../domain/machine.js';
import { DEFAULT_MIN_HISTORY, buildPredictionRows, buildTrainingSet, featureNames, type FeatureOptions } from '../features/index.js';
import { asJson, fieldReader, isRecord, shapeProblems, weightsUnder, type FieldReader } from './artifacts.js';
import type { FittedMember, Member } from './members.js';
import { scoreProbabilities } from './metrics.js';
import type { MlpEpochInfo } from './mlp.js';
import type { ArtifactManifest, FitOptions, Json, Matrix, ModelArtifacts, ModelManifest, NumberProbabilities, PersistableModel, Regressor, TrainedRounds } from './types.js';
import { VotingRegressor, votingToProbabilities } from './voting.js';

/** What every tabular model's params hold besides its members' own sections. */
export interface TabularParams {
  /** Train on one machine's draws only (features computed on that machine's sequence), or on all draws. */
  machine: Machine | 'all';
  /** The one seed; member i gets seed + i. */
  seed: number;
  features: FeatureOptions;
  /** Share of the draws (the most recent ones) held out to measure the validation metrics. */
  validationFraction: number;
  /** After validating, refit the members on all draws (true) or keep the ones fitted without the holdout. */
  refitOnAll: boolean;
  /** ε of the normalisation. */
  clipMin: number;
}

export interface MemberScores {
  logLoss: number;
  brier: number;
}

/** Scores on the time-ordered holdout (the last draws of the training history). */
export interface TabularValidation {
  draws: number;
  fromRound: number;
  toRound: number;
  /** Draws the holdout models were trained on (those before `fromRound`). */
  trainDraws: number;
  logLoss: number;
  brier: number;
  uniformLogLoss: number;
  uniformBrier: number;
  /** Each member alone, normalised the same way. */
  members: Record<string, MemberScores>;
}

/** A member's progress within a fit (the ensemble's training bar reads these). */
export type MemberProgress =
  | { phase: 'holdout' | 'final'; member: string; status: 'start' | 'done' }
  | { phase: 'holdout' | 'final'; member: string; status: 'epoch'; epoch: MlpEpochInfo };

export interface TabularFitOptions extends FitOptions {
  onMemberProgress?: (p: MemberProgress) => void;
}

export interface TabularPredictOptions {
  /** Machine of the predicted draw; required when `features.targetMachine` is on. */
  nextMachine?: Machine | null;
}

/** A member as the model uses it: its name, factory and voting weight (0: not trained). */
interface MemberSpec {
  name: string;
  factory: Member[1];
  weight: number;
}

interface Fitted {
  members: Map<string, FittedMember>;
  voting: VotingRegressor;
  trainedRounds: TrainedRounds;
  validation: TabularValidation | null;
}

/** A fitted member as a voting member (already fitted: its `fit` does nothing). */
function asRegressor(f: FittedMember): Regressor {
  const r: Regressor = {
    fit() {
      return this;
    },
    predict: (X) => f.predict(X),
  };
  return r;
}

function sliceRows(X: Matrix, from: number, to: number): Matrix {
  return { data: X.data.subarray(from * X.cols, to * X.cols), rows: to - from, cols: X.cols };
}

/** Problems with the shared part of the params (empty when fine). */
export function tabularParamProblems(p: TabularParams): string[] {
  const out: string[] = [];
  if (p.machine !== 'all' && !(Number.isInteger(p.machine) && p.machine >= 1)) out.push(`machine must be a positive integer or 'all', got ${String(p.machine)}`);
  if (!Number.isInteger(p.seed)) out.push(`seed must be an integer, got ${p.seed}`);
  if (!(p.validationFraction > 0 && p.validationFraction < 0.5)) out.push(`validationFraction must be in (0, 0.5), got ${p.validationFraction}`);
  if (!(p.clipMin > 0 && p.clipMin < 6 / 45)) out.push(`clipMin must be in (0, 6/45), got ${p.clipMin}`);
  const f = p.features;
  if (typeof f !== 'object' || f === null) out.push('features must be an object');
  else {
    if (f.minHistory !== undefined && !(Number.isInteger(f.minHistory) && f.minHistory >= 1)) out.push(`features.minHistory must be a positive integer, got ${String(f.minHistory)}`);
    if (f.targetMachine !== undefined && typeof f.targetMachine !== 'boolean') out.push(`features.targetMachine must be true or false, got ${String(f.targetMachine)}`);
  }
  return out;
}

/** Shape problems of saved params against a template of the family's params (union-typed keys checked later). */
export function savedParamProblems(saved: unknown, template: TabularParams): string[] {
  return shapeProblems(saved, template, 'manifest.params', ['machine', 'batchSize', 'maxFeatures', 'features']);
}

const copy = <P>(p: P): P => structuredClone(p);

/**
 * The tabular family's machinery; a subclass names its class, its members and checks its params.
 */
export abstract class TabularLotteryModel<P extends TabularParams> implements PersistableModel<P> {
  abstract readonly className: string;
  protected abstract readonly formatVersion: number;
  /** How messages name the family ('ensemble', 'random forest', …). */
  protected abstract readonly label: string;
  protected readonly params: P;
  private fitted: Fitted | null = null;

  constructor(params: P) {
    this.params = copy(params);
  }

  /** The members in seed order, each with its voting weight. */
  protected abstract members(): readonly MemberSpec[];
  /** Problems with the family's own params (beyond tabularParamProblems). */
  protected abstract memberParamProblems(): string[];
  abstract clone(): TabularLotteryModel<P>;

  getParams(): P {
    return copy(this.params);
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  /** Holdout scores of the last fit (null when the history was too short for a holdout). */
  get validationMetrics(): TabularValidation | null {
    return this.requireFitted().validation;
  }

  get trainedRounds(): TrainedRounds {
    return { ...this.requireFitted().trainedRounds };
  }

  protected checkParams(): void {
    const problems = [...tabularParamProblems(this.params), ...this.memberParamProblems()];
    const active = this.members().filter((m) => m.weight > 0);
    for (const m of this.members()) if (!(Number.isFinite(m.weight) && m.weight >= 0)) problems.push(`weight of ${m.name} must be ≥ 0`);
    if (active.length === 0) problems.push(`at least one ${this.label} member needs a positive weight`);
    if (problems.length) throw new Error(problems.join('; '));
  }

  fitSteps(): number {
    return 2 * this.members().filter((m) => m.weight > 0).length;
  }

  /** The draws this model trains and predicts from: one machine's, or all, by round. */
  private sequence(history: readonly Draw[]): Draw[] {
    const m = this.params.machine;
    return sortByRound(m === 'all' ? history : history.filter((d) => d.machine === m));
  }

  private async fitMembers(X: Matrix, y: Float32Array, phase: 'holdout' | 'final', report: (p: MemberProgress) => void, signal?: AbortSignal): Promise<Map<string, FittedMember>> {
    const out = new Map<string, FittedMember>();
    try {
      for (const [i, m] of this.members().entries()) {
        if (!(m.weight > 0)) continue;
        if (signal?.aborted) throw new Error(`${this.className} training was stopped`);
        report({ phase, member: m.name, status: 'start' });
        out.set(m.name, await m.factory.fit(X, y, this.params.seed + i, { onEpoch: (epoch) => report({ phase, member: m.name, status: 'epoch', epoch }) }));
        report({ phase, member: m.name, status: 'done' });
      }
    } catch (e) {
      for (const f of out.values()) f.dispose();
      throw e;
    }
    return out;
  }

  private voting(members: ReadonlyMap<string, FittedMember>): VotingRegressor {
    const specs = this.members();
    return new VotingRegressor(
      specs.map((m) => {
        const f = members.get(m.name);
        return [m.name, f ? asRegressor(f) : 'drop'] as const;
      }),
      specs.map((m) => m.weight),
    );
  }

  /**
   * Learn from `history` (the draws before the target; only this machine's when `machine` is
   * a number). Measures the validation metrics on the most recent `validationFraction` of the
   * draws with members fitted on the earlier ones, then (with `refitOnAll`) refits on everything.
   */
  async fit(history: readonly Draw[], options: TabularFitOptions = {}): Promise<this> {
    const p = this.params;
    this.checkParams();
    const seq = this.sequence(history);
    const set = buildTrainingSet(seq, p.features);
    const targets = set.X.rows / MAX_NUMBER;
    if (targets < 2) {
      const minHistory = p.features.minHistory ?? DEFAULT_MIN_HISTORY;
      throw new Error(
        `too few draws to train the ${this.label}${p.machine === 'all' ? '' : ` for machine ${p.machine}`}: ${seq.length} draws, need at least ${minHistory + 2}`,
      );
    }
    this.dispose();
    const total = this.fitSteps();
    let step = 0;
    const report = (m: MemberProgress) => {
      options.onMemberProgress?.(m);
      if (m.status === 'done') step++;
      options.onProgress?.({
        step,
        total,
        loss: m.status === 'epoch' ? m.epoch.trainLoss : null,
        valLoss: m.status === 'epoch' ? m.epoch.validationLoss : null,
        detail: `${m.phase} ${m.member}${m.status === 'epoch' ? ` epoch ${m.epoch.epoch}` : ''}`,
      });
    };
    const nVal = Math.max(1, Math.round(targets * p.validationFraction));
    const nTrainDraws = targets - nVal;
    const split = nTrainDraws * MAX_NUMBER;

    let validation: TabularValidation | null = null;
    let holdoutMembers: Map<string, FittedMember> | null = null;
    if (nTrainDraws >= 2) {
      holdoutMembers = await this.fitMembers(sliceRows(set.X, 0, split), set.y.subarray(0, split), 'holdout', report, options.signal);
      const Xv = sliceRows(set.X, split, set.X.rows);
      const voting = this.voting(holdoutMembers);
      const memberPreds = voting.memberPredictions(Xv);
      const combined = voting.predict(Xv);
      const drawn: number[][] = [];
      for (let k = 0; k < nVal; k++) {
        const nums: number[] = [];
        for (let n = 0; n < MAX_NUMBER; n++) if (set.y[split + k * MAX_NUMBER + n] === 1) nums.push(n + 1);
        drawn.push(nums);
      }
      const perDraw = (raw: Float32Array) => drawn.map((_, k) => votingToProbabilities(raw.subarray(k * MAX_NUMBER, (k + 1) * MAX_NUMBER), p.clipMin));
      const scores = scoreProbabilities(perDraw(combined), drawn);
      const members: Record<string, MemberScores> = {};
      for (const [name, raw] of Object.entries(memberPreds)) {
        const s = scoreProbabilities(perDraw(raw), drawn);
        members[name] = { logLoss: s.logLoss, brier: s.brier };
      }
      validation = {
        draws: nVal,
        fromRound: set.rounds[split],
        toRound: set.rounds[set.X.rows - 1],
        trainDraws: nTrainDraws,
        logLoss: scores.logLoss,
        brier: scores.brier,
        uniformLogLoss: scores.uniformLogLoss,
        uniformBrier: scores.uniformBrier,
        members,
      };
    }
    let members: Map<string, FittedMember>;
    if (p.refitOnAll || !holdoutMembers) {
      for (const m of holdoutMembers?.values() ?? []) m.dispose();
      members = await this.fitMembers(set.X, set.y, 'final', report, options.signal);
    } else {
      members = holdoutMembers;
    }
    this.fitted = {
      members,
      voting: this.voting(members),
      trainedRounds: { from: seq[0].round, to: seq[seq.length - 1].round, count: seq.length },
      validation,
    };
    return this;
  }

  /** The 45 probabilities (sum 6) for the draw right after `history`. */
  predict(history: readonly Draw[], options: TabularPredictOptions = {}): NumberProbabilities {
    const f = this.requireFitted();
    return votingToProbabilities(f.voting.predict(this.predictionRows(history, options)), this.params.clipMin);
  }

  /** The raw (un-normalised) voting output and each member's, for the draw after `history`. */
  rawPredictions(history: readonly Draw[], options: TabularPredictOptions = {}): { voting: Float32Array; members: Record<string, Float32Array> } {
    const f = this.requireFitted();
    const rows = this.predictionRows(history, options);
    return { voting: f.voting.predict(rows), members: f.voting.memberPredictions(rows) };
  }

  private predictionRows(history: readonly Draw[], options: TabularPredictOptions): Matrix {
    const seq = this.sequence(history);
    const minHistory = this.params.features.minHistory ?? DEFAULT_MIN_HISTORY;
    if (seq.length < minHistory) {
      const whose = this.params.machine === 'all' ? '' : ` of machine ${this.params.machine}`;
      throw new Error(`a prediction needs at least ${minHistory} earlier draws${whose} in the history, got ${seq.length}`);
    }
    return buildPredictionRows(seq, { ...this.params.features, nextMachine: options.nextMachine });
  }

  toArtifacts(): ModelArtifacts<ModelManifest> {
    const f = this.requireFitted();
    const weights: Record<string, Float32Array> = {};
    const members: { [name: string]: Json } = {};
    for (const m of this.members()) {
      const fm = f.members.get(m.name);
      if (!fm) {
        members[m.name] = null;
        continue;
      }
      const saved = fm.save();
      members[m.name] = saved.manifest;
      for (const [k, v] of Object.entries(saved.weights)) weights[`${m.name}/${k}`] = v;
    }
    return {
      manifest: {
        className: this.className,
        formatVersion: this.formatVersion,
        params: asJson(this.params, 'params'),
        featureNames: featureNames(this.params.features),
        trainedRounds: { ...f.trainedRounds },
        validationMetrics: asJson(f.validation, 'validationMetrics'),
        members,
      },
      weights,
    };
  }

  /** Fills a fresh model (made from the validated params) with the saved members and records. */
  protected restore(manifest: ArtifactManifest, weights: Record<string, Float32Array>): this {
    const r = fieldReader(this.className);
    try {
      this.checkParams();
    } catch (e) {
      r.fail('manifest.params', `are not usable: ${(e as Error).message}`);
    }
    if (JSON.stringify(manifest.featureNames) !== JSON.stringify(featureNames(this.params.features))) {
      r.fail('manifest.featureNames', 'differ from the feature columns this build computes; retrain the model');
    }
    const saved = isRecord(manifest.members) ? manifest.members : r.record(manifest.members, 'manifest.members');
    const members = new Map<string, FittedMember>();
    for (const m of this.members()) {
      if (!(m.weight > 0)) continue;
      const s = saved[m.name];
      if (s === null || s === undefined) r.fail(`manifest.members.${m.name}`, 'is missing');
      try {
        members.set(m.name, m.factory.load({ manifest: asJson(s, m.name), weights: weightsUnder(weights, m.name) }));
      } catch (e) {
        for (const f of members.values()) f.dispose();
        r.fail(`manifest.members.${m.name}`, `cannot be loaded: ${(e as Error).message}`);
      }
    }
    const trainedRounds = r.trainedRounds(manifest.trainedRounds, 'manifest.trainedRounds') ?? r.fail('manifest.trainedRounds', 'is missing');
    this.fitted = { members, voting: this.voting(members), trainedRounds, validation: readValidation(manifest.validationMetrics, r) };
    return this;
  }

  /** Approximate bytes of the fitted members (tree node arrays, MLP weights). */
  memoryBytes(): number {
    if (!this.fitted) return 0;
    let n = 0;
    for (const m of this.fitted.members.values()) n += m.memoryBytes();
    return n;
  }

  /** Release the members' tfjs variables; the model is then unfitted. */
  dispose(): void {
    for (const m of this.fitted?.members.values() ?? []) m.dispose();
    this.fitted = null;
  }

  private requireFitted(): Fitted {
    if (!this.fitted) throw new Error(`${this.className} is not fitted: call fit(history) before predict, validationMetrics or toArtifacts`);
    return this.fitted;
  }
}

function readValidation(v: unknown, r: FieldReader): TabularValidation | null {
  if (v === null || v === undefined) return null;
  const o = r.record(v, 'manifest.validationMetrics');
  const f = (k: string) => `manifest.validationMetrics.${k}`;
  const ms = r.record(o.members ?? {}, f('members'));
  const members: Record<string, MemberScores> = {};
  for (const [name, s] of Object.entries(ms)) {
    const x = r.record(s, f(`members.${name}`));
    members[name] = { logLoss: r.number(x.logLoss, f(`members.${name}.logLoss`)), brier: r.number(x.brier, f(`members.${name}.brier`)) };
  }
  return {
    draws: r.integer(o.draws, f('draws'), 0),
    fromRound: r.integer(o.fromRound, f('fromRound')),
    toRound: r.integer(o.toRound, f('toRound')),
    trainDraws: r.integer(o.trainDraws, f('trainDraws'), 0),
    logLoss: r.number(o.logLoss, f('logLoss')),
    brier: r.number(o.brier, f('brier')),
    uniformLogLoss: r.number(o.uniformLogLoss, f('uniformLogLoss')),
    uniformBrier: r.number(o.uniformBrier, f('uniformBrier')),
    members,
  };
}
