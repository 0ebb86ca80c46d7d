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
import { BlendingCombiner, BLENDING_WINDOW } from '../../combination/blending.js';
import type { CombinationMethod, Combiner } from '../../combination/combiner.js';
import type { ProbabilityVector } from '../../combination/normalize.js';
import { NotTrainedError } from '../../combination/stacking.js';
import { DEFAULT_VOTING_WEIGHTS as FAMILY_VOTING_WEIGHTS, WeightedVotingCombiner } from '../../combination/weightedVoting.js';
import type { PredictionsRepo } from '../../data/predictionsRepo.js';
import type { Machine } from '../../domain/machine.js';
import type { Localized } from '../../strategies/machineStrategies.js';
import { windowFrequencies } from '../../strategies/machineStrategies.js';
import { PercentileTable } from '../../strategies/percentile.js';
import type { ModelFamily } from '../../models/families.js';
import { frequencyBaseline, machineWindow } from './baseline.js';
import type { CombinationSnapshot, FamilyStatus, FamilyVector } from './snapshot.js';

export type Algorithm = 'basic' | 'enhanced' | 'premium';
export type { CombinationMethod };
/** What actually produced the vector. */
export type MethodUsed = CombinationMethod | 'frequency_baseline';

/**
 * The two combined families, in the order answers list them (the Transformer, then the
 * ensemble). Below the API they are named by family, in answers and in what is stored; the
 * design's wire names are spelled, and mapped in and out, only in src/api/wireNames.ts.
 */
export const MEMBER_ORDER: readonly ModelFamily[] = Object.freeze(['transformer', 'ensemble']);
export type MemberWeights = Partial<Record<ModelFamily, number>>;
/** The design's default voting weights (transformer 0.55, ensemble 0.45). */
export const DEFAULT_VOTING_WEIGHTS: Readonly<Record<ModelFamily, number>> = FAMILY_VOTING_WEIGHTS;
export const BASELINE_NAME = 'frequency_baseline';

export interface CombinationSpec {
  /** 'basic' uses the baseline; otherwise `method` combines the families. */
  algorithm: Algorithm;
  method: CombinationMethod;
  /** Families the request allows (the ensemble endpoint's `models`). */
  members: readonly ModelFamily[];
  window: number;
  votingWeights: Readonly<Record<ModelFamily, number>>;
}

/** One family's part in a response. */
export interface ModelUse {
  name: ModelFamily;
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
  /** Families combined (member order), or [frequency_baseline]. */
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

/** Blending fitted on `machine`'s scored forecasts (both families, draws on this machine). */
export function machineBlending(repo: BlendingHistorySource, machine: Machine): BlendingCombiner {
  return new BlendingCombiner().fitScores(repo.blendingHistory(machine, BLENDING_WINDOW).map((h) => ({ transformer: h.transformer, ensemble: h.ensemble })));
}

/** A method's combiner for one machine, and what the answer reports beside its vector. */
interface MethodUse {
  combiner: Combiner;
  stackingCoefficients: MachineCombination['stackingCoefficients'];
  blendingScoredDraws: number | null;
}

/** Combination method → its combiner for this request (the lookup that replaces a chain of ifs). */
const METHODS: Readonly<Record<CombinationMethod, (snapshot: CombinationSnapshot, machine: Machine, spec: CombinationSpec, repo: BlendingHistorySource) => MethodUse>> = {
  weighted_voting: (_s, _m, spec) => {
    // Mixed in member order (transformer, then ensemble), as always.
    const weights = { ...DEFAULT_VOTING_WEIGHTS, ...spec.votingWeights };
    return { combiner: new WeightedVotingCombiner(Object.fromEntries(MEMBER_ORDER.map((f) => [f, weights[f]]))), stackingCoefficients: null, blendingScoredDraws: null };
  },
  stacking: (snapshot) => {
    const combiner = snapshot.stacking.combiner;
    if (!combiner) throw new NotTrainedError();
    const k = combiner.coefficients();
    return { combiner, stackingCoefficients: { transformer: k.members.transformer, ensemble: k.members.ensemble, intercept: k.intercept }, blendingScoredDraws: null };
  },
  blending: (_s, machine, _spec, repo) => {
    const combiner = machineBlending(repo, machine);
    return { combiner, stackingCoefficients: null, blendingScoredDraws: combiner.current.basedOn };
  },
};

/** Combine one machine's cached vectors as `spec` asks. Throws NotTrainedError for untrained stacking. */
export function combineMachine(snapshot: CombinationSnapshot, machine: Machine, spec: CombinationSpec, repo: BlendingHistorySource): MachineCombination {
  const mv = snapshot.machines.get(machine);
  if (!mv) throw new Error(`no vectors for machine ${machine}`);
  const { frequencies, draws: windowDraws } = windowParts(snapshot, machine, spec.window);
  const strategyFeatures = machine === 1 ? ['window_frequency'] : [];

  const models: ModelUse[] = MEMBER_ORDER.map((name) => {
    const v = mv[name];
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

  const requested = spec.members.map((f) => mv[f]);
  const present = requested.filter((v) => v.status === 'ok' && v.vector);
  const notes = requested.filter((v) => v.status !== 'ok').map(statusNote);
  if (present.length === 0) {
    notes.push(tr(`두 모델 모두 사용할 수 없어 최근 ${spec.window}회 빈도 기준선을 사용`, `neither model family answered: used the frequency baseline over the last ${spec.window} draws`));
    return useBaseline(true, notes);
  }
  const fallback = present.length < requested.length;
  const vectors: Partial<Record<ModelFamily, ProbabilityVector>> = {};
  for (const v of present) if (v.vector) vectors[v.family] = v.vector;
  const names = MEMBER_ORDER.filter((f) => vectors[f] !== undefined);
  const featuresUsed = [...new Set([...present.flatMap((v) => v.model?.features ?? []), ...strategyFeatures])];

  let method: CombinationMethod = spec.method;
  if (spec.method !== 'weighted_voting' && names.length < 2) {
    // Stacking and blending weigh two families against each other; with one left, it is used alone.
    const only = FAMILY_LABEL[names[0]];
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
    const use = METHODS[method](snapshot, machine, spec, repo);
    const c = use.combiner.combine(vectors);
    const weights = c.weights ? memberWeights(c.weights) : null;
    return { probabilities: c.probabilities, weights, stackingCoefficients: use.stackingCoefficients, blendingScoredDraws: use.blendingScoredDraws, table: PercentileTable.fromProbabilities(c.probabilities) };
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

/** The combiner's weights, in member order (the order answers list them in). */
function memberWeights(byFamily: Readonly<Record<string, number>>): MemberWeights {
  const out: MemberWeights = {};
  for (const f of MEMBER_ORDER) if (byFamily[f] !== undefined) out[f] = byFamily[f];
  return out;
}
