/**
 * The statistical family: RandomForest + GradientBoosting + MLP regressors on the
 * (draw, number) feature rows of src/features, combined by a weighted voting regressor
 * (the design's VotingRegressor, weights 0.4 / 0.4 / 0.2).
 *
 * Each member regresses the 0/1 target "number n is drawn at t", so the voting output
 * for the 45 rows of one draw estimates the 45 inclusion probabilities. These raw
 * estimates are not guaranteed to lie in [0, 1] or to sum to 6 (the MLP is linear,
 * the trees average training targets), so they are normalised:
 *   1. clip every value to [ε, 1] (ε = `clipMin`, default 1e-4), so no number is
 *      impossible or more than certain;
 *   2. rescale to sum 6, clipping at 1 and spreading the excess over the others until
 *      nothing exceeds 1 (`calibrateToSix`).
 * The result is what `predict` returns and what the validation metrics score.
 */
import { MAX_NUMBER, sortByRound, type Draw } from '../domain/draw.js';
import type { Machine } from '../domain/machine.js';
import { DEFAULT_MIN_HISTORY, buildPredictionRows, buildTrainingSet, featureNames, type FeatureOptions } from '../features/index.js';
import { ENSEMBLE_CLASS_NAME } from './classNames.js';
import { scoreProbabilities } from './metrics.js';
import { MLPRegressor, type MlpEpochInfo, type MlpParams } from './mlp.js';
import { calibrateToSix } from './probabilities.js';
import { GradientBoostingRegressor, RandomForestRegressor, type GradientBoostingParams, type RandomForestParams } from './tree/index.js';
import type { Json, Matrix, ModelArtifacts, NumberProbabilities, PersistableModel, Regressor } from './types.js';

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

// ---------------------------------------------------------------------------
// LotteryEnsemble
// ---------------------------------------------------------------------------

export type EnsembleMemberName = 'rf' | 'gbm' | 'mlp';
export const ENSEMBLE_MEMBERS: readonly EnsembleMemberName[] = ['rf', 'gbm', 'mlp'];

export interface LotteryEnsembleParams {
  /** Train on one machine's draws only (features computed on that machine's sequence), or on all draws. */
  machine: Machine | 'all';
  /** The one seed; members get seed (rf), seed + 1 (gbm), seed + 2 (mlp). */
  seed: number;
  rf: Omit<RandomForestParams, 'seed'>;
  gbm: Omit<GradientBoostingParams, 'seed'>;
  mlp: Omit<MlpParams, 'seed'>;
  /** Voting weights; 0 switches a member off (it is then not trained at all). */
  weights: Record<EnsembleMemberName, number>;
  features: FeatureOptions;
  /** Share of the draws (the most recent ones) held out to measure the validation metrics. */
  validationFraction: number;
  /** After validating, refit the members on all draws (true) or keep the ones fitted without the holdout. */
  refitOnAll: boolean;
  /** ε of the normalisation. */
  clipMin: number;
}

const REFERENCE: LotteryEnsembleParams = {
  machine: 'all',
  seed: 42,
  // The design: RandomForestRegressor(n_estimators=100, max_depth=10, random_state=42),
  // GradientBoostingRegressor(n_estimators=100, learning_rate=0.1, max_depth=6),
  // MLPRegressor(hidden_layer_sizes=(100, 50), relu, adam, max_iter=500); the rest are
  // scikit-learn's defaults (max_features 1.0, min_samples_leaf 1, subsample 1).
  rf: { nEstimators: 100, maxDepth: 10, minSamplesLeaf: 1, minSamplesSplit: 2, maxFeatures: 'all', maxBins: 255, bootstrap: true },
  gbm: { nEstimators: 100, learningRate: 0.1, maxDepth: 6, minSamplesLeaf: 1, minSamplesSplit: 2, maxFeatures: 'all', maxBins: 255, subsample: 1 },
  mlp: {
    hiddenLayerSizes: [100, 50],
    activation: 'relu',
    solver: 'adam',
    learningRate: 0.001,
    maxIter: 500,
    batchSize: 'auto',
    alpha: 0.0001,
    earlyStopping: true,
    validationFraction: 0.1,
    nIterNoChange: 10,
    tol: 0.0001,
    output: 'linear',
  },
  weights: { rf: 0.4, gbm: 0.4, mlp: 0.2 },
  features: { minHistory: 10, targetMachine: false },
  validationFraction: 0.1,
  refitOnAll: true,
  clipMin: DEFAULT_CLIP_MIN,
};

const SMALL: LotteryEnsembleParams = {
  ...REFERENCE,
  rf: { ...REFERENCE.rf, nEstimators: 20, maxDepth: 6 },
  gbm: { ...REFERENCE.gbm, nEstimators: 20, maxDepth: 4 },
  mlp: { ...REFERENCE.mlp, hiddenLayerSizes: [32, 16], maxIter: 50, batchSize: 500, learningRate: 0.003, nIterNoChange: 5 },
};

export type EnsembleConfigName = 'small' | 'reference';

function copyParams(p: LotteryEnsembleParams): LotteryEnsembleParams {
  return JSON.parse(JSON.stringify(p)) as LotteryEnsembleParams;
}

/** `reference` = the design's values; `small` = quick (tests, smoke runs). Overrides are shallow per section. */
export function ensembleConfig(name: EnsembleConfigName, overrides: Partial<LotteryEnsembleParams> = {}): LotteryEnsembleParams {
  const base = name === 'reference' ? REFERENCE : name === 'small' ? SMALL : null;
  if (!base) throw new Error(`unknown ensemble config "${String(name)}": use small or reference`);
  return copyParams({ ...base, ...overrides });
}

export interface MemberScores {
  logLoss: number;
  brier: number;
}

/** Scores on the time-ordered holdout (the last draws of the training history). */
export interface EnsembleValidation {
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
  members: Partial<Record<EnsembleMemberName, MemberScores>>;
}

export interface TrainedRounds {
  from: number;
  to: number;
  count: number;
}

export type EnsembleProgress =
  | { phase: 'holdout' | 'final'; member: 'rf' | 'gbm'; status: 'start' | 'done' }
  | { phase: 'holdout' | 'final'; member: 'mlp'; status: 'start' | 'done' }
  | { phase: 'holdout' | 'final'; member: 'mlp'; status: 'epoch'; epoch: MlpEpochInfo };

export interface EnsembleFitOptions {
  onProgress?: (p: EnsembleProgress) => void;
}

export interface EnsemblePredictOptions {
  /** Machine of the predicted draw; required when `features.targetMachine` is on. */
  nextMachine?: Machine | null;
}

interface Members {
  rf: RandomForestRegressor | null;
  gbm: GradientBoostingRegressor | null;
  mlp: MLPRegressor | null;
}

interface FittedEnsemble {
  members: Members;
  voting: VotingRegressor;
  trainedRounds: TrainedRounds;
  validation: EnsembleValidation | null;
}

export { ENSEMBLE_CLASS_NAME };
export const ENSEMBLE_FORMAT_VERSION = 1;

function sliceRows(X: Matrix, from: number, to: number): Matrix {
  return { data: X.data.subarray(from * X.cols, to * X.cols), rows: to - from, cols: X.cols };
}

function checkEnsembleParams(p: LotteryEnsembleParams): void {
  if (p.machine !== 'all' && !(Number.isInteger(p.machine) && p.machine >= 1)) throw new Error(`machine must be a positive integer or 'all', got ${String(p.machine)}`);
  if (!Number.isInteger(p.seed)) throw new Error(`seed must be an integer, got ${p.seed}`);
  if (!(p.validationFraction > 0 && p.validationFraction < 0.5)) throw new Error(`validationFraction must be in (0, 0.5), got ${p.validationFraction}`);
  if (!(p.clipMin > 0 && p.clipMin < 6 / 45)) throw new Error(`clipMin must be in (0, 6/45), got ${p.clipMin}`);
  for (const m of ENSEMBLE_MEMBERS) if (!(Number.isFinite(p.weights[m]) && p.weights[m] >= 0)) throw new Error(`weight of ${m} must be ≥ 0`);
  if (!ENSEMBLE_MEMBERS.some((m) => p.weights[m] > 0)) throw new Error('at least one ensemble member needs a positive weight');
}

export class LotteryEnsemble implements PersistableModel<LotteryEnsembleParams> {
  readonly className = ENSEMBLE_CLASS_NAME;
  private readonly params: LotteryEnsembleParams;
  private fitted: FittedEnsemble | null = null;

  constructor(params: LotteryEnsembleParams = ensembleConfig('reference')) {
    this.params = copyParams(params);
  }

  getParams(): LotteryEnsembleParams {
    return copyParams(this.params);
  }

  /** An unfitted copy with the same params. */
  clone(): LotteryEnsemble {
    return new LotteryEnsemble(this.params);
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  /** Holdout scores of the last fit (null when the history was too short for a holdout). */
  get validationMetrics(): EnsembleValidation | null {
    return this.requireFitted().validation;
  }

  get trainedRounds(): TrainedRounds {
    return { ...this.requireFitted().trainedRounds };
  }

  /** The draws this model trains and predicts from: one machine's, or all, by round. */
  private sequence(history: readonly Draw[]): Draw[] {
    const m = this.params.machine;
    return sortByRound(m === 'all' ? history : history.filter((d) => d.machine === m));
  }

  private async fitMembers(X: Matrix, y: Float32Array, phase: 'holdout' | 'final', onProgress?: (p: EnsembleProgress) => void): Promise<Members> {
    const p = this.params;
    const members: Members = { rf: null, gbm: null, mlp: null };
    if (p.weights.rf > 0) {
      onProgress?.({ phase, member: 'rf', status: 'start' });
      members.rf = new RandomForestRegressor({ ...p.rf, seed: p.seed }).fit(X, y);
      onProgress?.({ phase, member: 'rf', status: 'done' });
    }
    if (p.weights.gbm > 0) {
      onProgress?.({ phase, member: 'gbm', status: 'start' });
      members.gbm = new GradientBoostingRegressor({ ...p.gbm, seed: p.seed + 1 }).fit(X, y);
      onProgress?.({ phase, member: 'gbm', status: 'done' });
    }
    if (p.weights.mlp > 0) {
      onProgress?.({ phase, member: 'mlp', status: 'start' });
      const mlp = new MLPRegressor({ ...p.mlp, seed: p.seed + 2 });
      await mlp.fit(X, y, { onEpoch: (epoch) => onProgress?.({ phase, member: 'mlp', status: 'epoch', epoch }) });
      members.mlp = mlp;
      onProgress?.({ phase, member: 'mlp', status: 'done' });
    }
    return members;
  }

  private voting(members: Members): VotingRegressor {
    return new VotingRegressor(
      ENSEMBLE_MEMBERS.map((name) => [name, members[name] ?? 'drop'] as const),
      this.params.weights,
    );
  }

  /**
   * Learn from `history` (the draws before the target; only this machine's when
   * `machine` is a number). Measures the validation metrics on the most recent
   * `validationFraction` of the draws with members fitted on the earlier ones, then
   * (with `refitOnAll`) refits on everything.
   */
  async fit(history: readonly Draw[], options: EnsembleFitOptions = {}): Promise<this> {
    const p = this.params;
    checkEnsembleParams(p);
    const seq = this.sequence(history);
    const set = buildTrainingSet(seq, p.features);
    const targets = set.X.rows / MAX_NUMBER;
    if (targets < 2) {
      const minHistory = p.features.minHistory ?? DEFAULT_MIN_HISTORY;
      throw new Error(
        `too few draws to train the ensemble${p.machine === 'all' ? '' : ` for machine ${p.machine}`}: ${seq.length} draws, need at least ${minHistory + 2}`,
      );
    }
    this.dispose();
    const nVal = Math.max(1, Math.round(targets * p.validationFraction));
    const nTrainDraws = targets - nVal;
    const split = nTrainDraws * MAX_NUMBER;

    let validation: EnsembleValidation | null = null;
    let holdoutMembers: Members | null = null;
    if (nTrainDraws >= 2) {
      holdoutMembers = await this.fitMembers(sliceRows(set.X, 0, split), set.y.subarray(0, split), 'holdout', options.onProgress);
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
      const perDraw = (raw: Float32Array) =>
        drawn.map((_, k) => votingToProbabilities(raw.subarray(k * MAX_NUMBER, (k + 1) * MAX_NUMBER), p.clipMin));
      const scores = scoreProbabilities(perDraw(combined), drawn);
      const members: EnsembleValidation['members'] = {};
      for (const [name, raw] of Object.entries(memberPreds)) {
        const s = scoreProbabilities(perDraw(raw), drawn);
        members[name as EnsembleMemberName] = { logLoss: s.logLoss, brier: s.brier };
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
    let members: Members;
    if (p.refitOnAll || !holdoutMembers) {
      holdoutMembers?.mlp?.dispose();
      members = await this.fitMembers(set.X, set.y, 'final', options.onProgress);
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
  predict(history: readonly Draw[], options: EnsemblePredictOptions = {}): NumberProbabilities {
    const f = this.requireFitted();
    return votingToProbabilities(f.voting.predict(this.predictionRows(history, options)), this.params.clipMin);
  }

  /** The raw (un-normalised) voting output and each member's, for the draw after `history`. */
  rawPredictions(history: readonly Draw[], options: EnsemblePredictOptions = {}): { voting: Float32Array; members: Record<string, Float32Array> } {
    const f = this.requireFitted();
    const rows = this.predictionRows(history, options);
    return { voting: f.voting.predict(rows), members: f.voting.memberPredictions(rows) };
  }

  private predictionRows(history: readonly Draw[], options: EnsemblePredictOptions): Matrix {
    const seq = this.sequence(history);
    const minHistory = this.params.features.minHistory ?? DEFAULT_MIN_HISTORY;
    if (seq.length < minHistory) {
      const whose = this.params.machine === 'all' ? '' : ` of machine ${this.params.machine}`;
      throw new Error(`a prediction needs at least ${minHistory} earlier draws${whose} in the history, got ${seq.length}`);
    }
    return buildPredictionRows(seq, { ...this.params.features, nextMachine: options.nextMachine });
  }

  toArtifacts(): ModelArtifacts {
    const f = this.requireFitted();
    const weights: Record<string, Float32Array> = {};
    let mlp: Json = null;
    if (f.members.mlp) {
      const a = f.members.mlp.toArtifacts();
      mlp = a.manifest;
      for (const [k, v] of Object.entries(a.weights)) weights[`mlp/${k}`] = v;
    }
    return {
      manifest: {
        className: ENSEMBLE_CLASS_NAME,
        formatVersion: ENSEMBLE_FORMAT_VERSION,
        params: this.params as unknown as Json,
        featureNames: featureNames(this.params.features),
        trainedRounds: { ...f.trainedRounds },
        validationMetrics: f.validation as unknown as Json,
        members: {
          rf: (f.members.rf?.toJSON() ?? null) as unknown as Json,
          gbm: (f.members.gbm?.toJSON() ?? null) as unknown as Json,
          mlp,
        },
      },
      weights,
    };
  }

  static fromArtifacts(artifacts: ModelArtifacts): LotteryEnsemble {
    const m = artifacts.manifest;
    const who = `${ENSEMBLE_CLASS_NAME} artefact`;
    if (m.className !== ENSEMBLE_CLASS_NAME) throw new Error(`${who}: className is ${JSON.stringify(m.className)}, expected "${ENSEMBLE_CLASS_NAME}"`);
    if (m.formatVersion !== ENSEMBLE_FORMAT_VERSION) throw new Error(`${who}: format ${m.formatVersion} is not ${ENSEMBLE_FORMAT_VERSION}`);
    if (typeof m.params !== 'object' || m.params === null) throw new Error(`${who}: params missing`);
    const model = new LotteryEnsemble(m.params as unknown as LotteryEnsembleParams);
    const p = model.params;
    checkEnsembleParams(p);
    if (JSON.stringify(m.featureNames) !== JSON.stringify(featureNames(p.features))) {
      throw new Error(`${who}: its feature columns differ from the ones this build computes; retrain the model`);
    }
    const saved = (m.members ?? {}) as Record<string, Json>;
    const need = (name: EnsembleMemberName) => {
      if (p.weights[name] > 0 && (saved[name] === null || saved[name] === undefined)) throw new Error(`${who}: member ${name} is missing`);
      return p.weights[name] > 0;
    };
    const members: Members = {
      rf: need('rf') ? RandomForestRegressor.fromJSON(saved.rf) : null,
      gbm: need('gbm') ? GradientBoostingRegressor.fromJSON(saved.gbm) : null,
      mlp: null,
    };
    if (need('mlp')) {
      const w: Record<string, Float32Array> = {};
      for (const [k, v] of Object.entries(artifacts.weights)) if (k.startsWith('mlp/')) w[k.slice(4)] = v;
      members.mlp = MLPRegressor.fromArtifacts({ manifest: saved.mlp as ModelArtifacts['manifest'], weights: w });
    }
    const tr = m.trainedRounds as unknown as TrainedRounds;
    model.fitted = {
      members,
      voting: model.voting(members),
      trainedRounds: { from: tr.from, to: tr.to, count: tr.count },
      validation: (m.validationMetrics ?? null) as unknown as EnsembleValidation | null,
    };
    return model;
  }

  /** Approximate bytes of the fitted members (tree node arrays, MLP weights). */
  memoryBytes(): number {
    if (!this.fitted) return 0;
    const { rf, gbm, mlp } = this.fitted.members;
    // Per node: feature + left + right (Int32) and threshold + value + gain (Float64).
    const nodeBytes = 3 * 4 + 3 * 8;
    const treeBytes = (trees: readonly { nodeCount: number }[]) => trees.reduce((s, t) => s + t.nodeCount * nodeBytes, 0);
    return (rf ? treeBytes(rf.estimators) : 0) + (gbm ? treeBytes(gbm.estimators) : 0) + (mlp?.memoryBytes() ?? 0);
  }

  /** Release the MLP's tfjs variables; the model is then unfitted. */
  dispose(): void {
    this.fitted?.members.mlp?.dispose();
    this.fitted = null;
  }

  private requireFitted(): FittedEnsemble {
    if (!this.fitted) throw new Error(`${ENSEMBLE_CLASS_NAME} is not fitted: call fit(history) before predict, validationMetrics or toArtifacts`);
    return this.fitted;
  }
}
