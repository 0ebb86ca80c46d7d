/**
 * Result aggregation per request: from the cached family vectors of one machine to the one
 * vector its sets are drawn from, with its percentile table, the weights used, and an honest
 * account of what was used and what fell back.
 *
 * - `basic`: the frequency baseline over the analysis window (no models).
 * - `weighted_voting`: the present families' vectors, weighted 0.55 / 0.45 by default.
 * - `stacking`: the trained meta-model over both vectors (NotTrainedError until trained).
 * - `blending`: weights from each family's per-draw log-likelihood on the last 50 scored
 *   draws of this machine (0.5 / 0.5 until 10 are scored).
 * A family that is absent, failed or timed out is left out (the other is used alone); with
 * neither, the frequency baseline is used. Every result is memoised on the snapshot.
 */
import { blend, blendingWeights, BLENDING_WINDOW } from '../../combination/blending.js';
import type { ProbabilityVector } from '../../combination/normalize.js';
import { NotTrainedError } from '../../combination/stacking.js';
import { DEFAULT_VOTING_WEIGHTS, MEMBER_NAMES, weightedVoting, type MemberName, type MemberWeights } from '../../combination/weightedVoting.js';
import type { PredictionsRepo } from '../../data/predictionsRepo.js';
import type { Machine } from '../../domain/machine.js';
import type { Localized } from '../../strategies/machineStrategies.js';
import { windowFrequencies } from '../../strategies/machineStrategies.js';
import { PercentileTable } from '../../strategies/percentile.js';
import type { ModelFamily } from '../../models/families.js';
import { frequencyBaseline, machineWindow } from './baseline.js';
import type { CombinationSnapshot, FamilyStatus, FamilyVector } from './snapshot.js';

export type Algorithm = 'basic' | 'enhanced' | 'premium';
export type CombinationMethod = 'weighted_voting' | 'stacking' | 'blending';
/** What actually produced the vector. */
export type MethodUsed = CombinationMethod | 'frequency_baseline';

export const FAMILY_OF: Readonly<Record<MemberName, ModelFamily>> = { pytorch_transformer: 'transformer', sklearn_ensemble: 'ensemble' };
export const MEMBER_OF: Readonly<Record<ModelFamily, MemberName>> = { transformer: 'pytorch_transformer', ensemble: 'sklearn_ensemble' };
export const BASELINE_NAME = 'frequency_baseline';

export interface CombinationSpec {
  /** 'basic' uses the baseline; otherwise `method` combines the families. */
  algorithm: Algorithm;
  method: CombinationMethod;
  /** Families the request allows (the ensemble endpoint's `models`). */
  members: readonly MemberName[];
  window: number;
  votingWeights: Readonly<Record<MemberName, number>>;
}

/** One family's part in a response. */
export interface ModelUse {
  name: MemberName;
  /** 'not_requested' when the request left it out. */
  status: FamilyStatus | 'not_requested';
  key: string | null;
  created_at: string | null;
  trained_through_round: number | null;
  /** Whether the vector was computed for this snapshot or read back from its stored forecast. */
  source: 'computed' | 'stored' | null;
  reason: string | null;
}

export interface MachineCombination {
  machine: Machine;
  probabilities: ProbabilityVector;
  table: PercentileTable;
  /** Draw counts per number over the analysis window (the strategies' context). */
  frequencies: Float64Array;
  windowDraws: number;
  methodUsed: MethodUsed;
  /** Weights applied to the families (voting, blending); null for the baseline and stacking. */
  weights: MemberWeights | null;
  stackingCoefficients: { transformer: number; ensemble: number; intercept: number } | null;
  /** Scored draws behind the blending weights (0: default 0.5/0.5). */
  blendingScoredDraws: number | null;
  modelsUsed: string[];
  models: ModelUse[];
  fallback: boolean;
  /** Why something fell back, in both languages. */
  notes: Localized[];
  featuresUsed: string[];
}

const tr = (ko: string, en: string): Localized => ({ ko, en });
const FAMILY_LABEL: Record<ModelFamily, Localized> = { transformer: tr('Transformer', 'Transformer'), ensemble: tr('앙상블', 'ensemble') };

function statusNote(v: FamilyVector): Localized {
  const label = FAMILY_LABEL[v.family];
  const why = v.reason ?? '';
  if (v.status === 'absent') return tr(`${label.ko} 모델 없음: ${why}`, `no ${label.en} model: ${why}`);
  if (v.status === 'timeout') return tr(`${label.ko} 추론 시간 초과: ${why}`, `${label.en} inference timed out: ${why}`);
  return tr(`${label.ko} 추론 실패: ${why}`, `${label.en} inference failed: ${why}`);
}

function windowParts(snapshot: CombinationSnapshot, machine: Machine, window: number): { frequencies: Float64Array; draws: number } {
  return snapshot.memo.get(`freq:${machine}:${window}`, () => {
    const w = machineWindow(snapshot.draws, machine, window);
    return { frequencies: windowFrequencies(w), draws: w.length };
  });
}

function baseline(snapshot: CombinationSnapshot, machine: Machine, window: number): { probabilities: ProbabilityVector; table: PercentileTable } {
  return snapshot.memo.get(`base:${machine}:${window}`, () => {
    const probabilities = frequencyBaseline(machineWindow(snapshot.draws, machine, window));
    return { probabilities, table: PercentileTable.fromProbabilities(probabilities) };
  });
}

/** Where blending reads scored per-draw log-likelihoods: the stored forecasts, or a backtest's own earlier rounds. */
export type BlendingHistorySource = Pick<PredictionsRepo, 'blendingHistory'>;

/** Blending weights for `machine` from its scored forecasts (both families, draws on this machine). */
export function machineBlendingWeights(repo: BlendingHistorySource, machine: Machine) {
  const history = repo.blendingHistory(machine, BLENDING_WINDOW).map((h) => ({ transformerScore: h.transformer, ensembleScore: h.ensemble }));
  return blendingWeights(history);
}

/** Combine one machine's cached vectors as `spec` asks. Throws NotTrainedError for untrained stacking. */
export function combineMachine(snapshot: CombinationSnapshot, machine: Machine, spec: CombinationSpec, repo: BlendingHistorySource): MachineCombination {
  const mv = snapshot.machines.get(machine);
  if (!mv) throw new Error(`no vectors for machine ${machine}`);
  const { frequencies, draws: windowDraws } = windowParts(snapshot, machine, spec.window);
  const strategyFeatures = machine === 1 ? ['window_frequency'] : [];

  const models: ModelUse[] = MEMBER_NAMES.map((name) => {
    const v = mv[FAMILY_OF[name]];
    const requested = spec.algorithm !== 'basic' && spec.members.includes(name);
    return {
      name,
      status: requested ? v.status : 'not_requested',
      key: v.model?.key ?? null,
      created_at: v.model?.createdAt ?? null,
      trained_through_round: v.model?.trainedThroughRound ?? null,
      source: requested ? v.source : null,
      reason: requested ? v.reason : null,
    };
  });

  const useBaseline = (fallback: boolean, notes: Localized[]): MachineCombination => {
    const b = baseline(snapshot, machine, spec.window);
    return {
      machine,
      probabilities: b.probabilities,
      table: b.table,
      frequencies,
      windowDraws,
      methodUsed: 'frequency_baseline',
      weights: null,
      stackingCoefficients: null,
      blendingScoredDraws: null,
      modelsUsed: [BASELINE_NAME],
      models,
      fallback,
      notes,
      featuresUsed: [...new Set(['window_frequency', ...strategyFeatures])],
    };
  };

  if (spec.algorithm === 'basic') return useBaseline(false, []);
  if (spec.method === 'stacking' && !snapshot.stacking.combiner) throw new NotTrainedError();

  const requested = spec.members.map((n) => mv[FAMILY_OF[n]]);
  const present = requested.filter((v) => v.status === 'ok' && v.vector);
  const notes = requested.filter((v) => v.status !== 'ok').map(statusNote);
  if (present.length === 0) {
    notes.push(tr(`두 모델 모두 사용할 수 없어 최근 ${spec.window}회 빈도 기준선을 사용`, `neither model family answered: used the frequency baseline over the last ${spec.window} draws`));
    return useBaseline(true, notes);
  }
  const fallback = present.length < requested.length;
  const vectors: Partial<Record<MemberName, ProbabilityVector>> = {};
  for (const v of present) vectors[MEMBER_OF[v.family]] = v.vector as ProbabilityVector;
  const names = Object.keys(vectors).sort() as MemberName[];
  const featuresUsed = [...new Set([...present.flatMap((v) => v.model?.features ?? []), ...strategyFeatures])];

  let method: MethodUsed = spec.method;
  if (spec.method !== 'weighted_voting' && names.length < 2) {
    // Stacking and blending weigh two families against each other; with one left, it is used alone.
    const only = FAMILY_LABEL[FAMILY_OF[names[0]]];
    notes.push(
      tr(
        `${spec.method === 'stacking' ? '스태킹' : '블렌딩'}에는 두 모델이 모두 필요하여 ${only.ko}만 사용`,
        `${spec.method} needs both families: used the ${only.en} alone`,
      ),
    );
    method = 'weighted_voting';
  }
  const memoKey = `comb:${machine}:${method}:${names.join('+')}:${names.map((n) => spec.votingWeights[n]).join('/')}`;
  const combined = snapshot.memo.get(memoKey, () => {
    if (method === 'stacking') {
      const c = snapshot.stacking.combiner!;
      const probabilities = c.combine(vectors.pytorch_transformer!, vectors.sklearn_ensemble!);
      return { probabilities, weights: null, stackingCoefficients: c.coefficients(), blendingScoredDraws: null, table: PercentileTable.fromProbabilities(probabilities) };
    }
    if (method === 'blending') {
      const w = machineBlendingWeights(repo, machine);
      const probabilities = blend(vectors.pytorch_transformer!, vectors.sklearn_ensemble!, w);
      return {
        probabilities,
        weights: { pytorch_transformer: w.pytorch_transformer, sklearn_ensemble: w.sklearn_ensemble } as MemberWeights,
        stackingCoefficients: null,
        blendingScoredDraws: w.basedOn,
        table: PercentileTable.fromProbabilities(probabilities),
      };
    }
    const v = weightedVoting(vectors, { ...DEFAULT_VOTING_WEIGHTS, ...spec.votingWeights });
    const probabilities = v.probabilities;
    return { probabilities, weights: v.weights, stackingCoefficients: null, blendingScoredDraws: null, table: PercentileTable.fromProbabilities(probabilities) };
  });
  return {
    machine,
    probabilities: combined.probabilities,
    table: combined.table,
    frequencies,
    windowDraws,
    methodUsed: method,
    weights: combined.weights,
    stackingCoefficients: combined.stackingCoefficients,
    blendingScoredDraws: combined.blendingScoredDraws,
    modelsUsed: names,
    models,
    fallback,
    notes,
    featuresUsed,
  };
}
