/**
 * The design's wire names of the two model families, and the one place in src/ that spells
 * them: pytorch_transformer (the Transformer), sklearn_ensemble (the RF/GB/MLP ensemble) and
 * enhanced_predictor (the design's class name of the scikit-learn ensemble, accepted in
 * requests as sklearn_ensemble). Everything below the API names the families by
 * `ModelFamily`; requests are mapped in here and answers mapped out here (the API's routes and
 * the CLI, which prints the API's shape).
 *
 * Stored predictions and backtest rows made before issue 11 hold the wire names; later ones
 * hold family names. The outbound maps pass a name that is already a wire name through, so
 * both answer the same.
 */
import type { Problem } from '../domain/problems.js';
import type { ModelFamily } from '../models/families.js';
import type { BacktestRound } from '../service/backtest/service.js';
import { STACKING_NEEDS_BOTH, type MachineMetadata, type PredictionMetadata } from '../service/predictions/service.js';
import type { ModelUse } from '../service/combining/combine.js';

/** The names an answer gives the two families. */
export const WIRE_MEMBER_NAMES = ['pytorch_transformer', 'sklearn_ensemble'] as const;
export type WireMemberName = (typeof WIRE_MEMBER_NAMES)[number];
/** The names a request may give them (the ensemble endpoint's `models`). */
export const WIRE_MODEL_NAMES = [...WIRE_MEMBER_NAMES, 'enhanced_predictor'] as const;
export type WireModelName = (typeof WIRE_MODEL_NAMES)[number];
export const DEFAULT_WIRE_MODELS: readonly WireMemberName[] = WIRE_MEMBER_NAMES;

const WIRE_OF: Readonly<Record<ModelFamily, WireMemberName>> = Object.freeze({ transformer: 'pytorch_transformer', ensemble: 'sklearn_ensemble' });
const FAMILY_OF: Readonly<Record<WireModelName, ModelFamily>> = Object.freeze({
  pytorch_transformer: 'transformer',
  sklearn_ensemble: 'ensemble',
  enhanced_predictor: 'ensemble',
});

/** A request's model names as families (the schema has already refused any other name). */
export function familiesFromWire(models: readonly WireModelName[]): ModelFamily[] {
  return models.map((m) => FAMILY_OF[m]);
}

/** A family's wire name; any other name (frequency_baseline, or a wire name of an older stored answer) as it is. */
export function wireName(name: string): string {
  return Object.hasOwn(WIRE_OF, name) ? WIRE_OF[name as ModelFamily] : name; // hasOwn has just shown it is a family
}

export type WireWeights = Partial<Record<WireMemberName, number>>;

/** Family-keyed weights (or wire-keyed ones of an older row) under the wire names, order kept. */
export function weightsToWire(w: Readonly<Record<string, number>> | null): WireWeights | null {
  if (w === null) return null;
  return Object.fromEntries(Object.entries(w).map(([k, v]) => [wireName(k), v])) as WireWeights; // keys are the two families' wire names
}

export type ModelUseOnWire = Omit<ModelUse, 'name'> & { name: WireMemberName };
export type MachineMetadataOnWire = Omit<MachineMetadata, 'weights' | 'models'> & { weights: WireWeights | null; models: ModelUseOnWire[] };
export type PredictionMetadataOnWire = Omit<PredictionMetadata, 'weights' | 'machines'> & { weights: WireWeights | null; machines: MachineMetadataOnWire[] };
/** A prediction answer (made, cached or stored) as the API and the CLI give it. */
export type PredictionOnWire<R extends { metadata: PredictionMetadata }> = Omit<R, 'metadata'> & { metadata: PredictionMetadataOnWire };

function machineToWire(m: MachineMetadata): MachineMetadataOnWire {
  return {
    ...m,
    models_used: m.models_used.map(wireName),
    models: m.models.map((u) => ({ ...u, name: wireName(u.name) as WireMemberName })), // a ModelUse names one of the two families
    weights: weightsToWire(m.weights),
  };
}

/** A prediction answer with the families under their wire names (field order kept). */
export function predictionToWire<R extends { metadata: PredictionMetadata }>(r: R): PredictionOnWire<R> {
  const md = r.metadata;
  return {
    ...r,
    metadata: { ...md, models_used: md.models_used.map(wireName), weights: weightsToWire(md.weights), machines: md.machines.map(machineToWire) },
  };
}

/** A page of backtest rounds with each method's detail weights under the wire names. */
export function backtestRoundsToWire(rounds: readonly BacktestRound[]): BacktestRound[] {
  return rounds.map((g) => ({
    ...g,
    methods: g.methods.map((m) => {
      const w = m.detail?.weights;
      if (!m.detail || w === null || typeof w !== 'object') return m;
      return { ...m, detail: { ...m.detail, weights: weightsToWire(w as Record<string, number>) } }; // detail.weights is the combination's weights object
    }),
  }));
}

/**
 * The service's problems in the API's words: its "stacking needs both families" problem names
 * the families and the request's models as the request spelled them.
 */
export function problemsToWire(problems: readonly Problem[], requested: readonly WireModelName[] | undefined): Problem[] {
  return problems.map((p) =>
    p.field === 'models' && p.expected === STACKING_NEEDS_BOTH
      ? { ...p, expected: `both ${WIRE_MEMBER_NAMES.join(' and ')}: stacking combines the two`, found: (requested ?? []).join(', ') }
      : p,
  );
}
