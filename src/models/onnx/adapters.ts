/**
 * The one place that reads each family's saved artefacts for the ONNX graph builders: the
 * builders take plain sources (architecture + weights, node arrays, scaler + layers), so a new
 * artefact shape only needs these adapters changed.
 */
import { ENSEMBLE_CLASS_NAME, TRANSFORMER_CLASS_NAME } from '../classNames.js';
import { MLP_CLASS_NAME } from '../mlp.js';
import { GradientBoostingRegressor, RandomForestRegressor } from '../tree/index.js';
import type { TransformerArchitecture } from '../transformer/config.js';
import { weightShapes } from '../transformer/network.js';
import type { Json, ModelArtifacts } from '../types.js';
import type { EnsembleGraphSource, EnsembleMember } from './ensemble.js';
import type { MlpGraphSource } from './mlp.js';
import type { TransformerGraphSource } from './transformer.js';

/** manifest.params as an object, or an error naming the artefact. */
function paramsOf(manifest: Record<string, Json>, who: string): { [key: string]: Json } {
  const p = manifest.params;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new Error(`${who} artefact: manifest.params must be an object`);
  return p;
}

function oneOf<T extends string>(v: Json | undefined, allowed: readonly T[], field: string): T {
  const hit = allowed.find((a) => a === v);
  if (hit === undefined) throw new Error(`${field} must be ${allowed.join(' or ')}, got ${JSON.stringify(v)}`);
  return hit;
}

function finite(v: Json | undefined, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${field} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** The network's shape from a format-2 manifest (`params`) or a format-1 one (`config`), which still loads. */
function transformerArchitecture(m: ModelArtifacts['manifest']): TransformerArchitecture {
  const raw: unknown = m.formatVersion === 1 ? m.config : m.params;
  const field = m.formatVersion === 1 ? 'manifest.config' : 'manifest.params';
  if (typeof raw !== 'object' || raw === null) throw new Error(`${TRANSFORMER_CLASS_NAME} artefact: ${field} must be an object`);
  const o = raw as Record<string, unknown>; // checked key by key below
  const int = (key: string): number => {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new Error(`${TRANSFORMER_CLASS_NAME} artefact: ${field}.${key} must be a positive integer, got ${JSON.stringify(v)}`);
    return v;
  };
  const dropout = o.dropout;
  if (typeof dropout !== 'number' || !Number.isFinite(dropout)) throw new Error(`${TRANSFORMER_CLASS_NAME} artefact: ${field}.dropout must be a number`);
  return { dModel: int('dModel'), nHeads: int('nHeads'), nLayers: int('nLayers'), dimFeedforward: int('dimFeedforward'), seqLen: int('seqLen'), dropout };
}

export function transformerSource(artifacts: ModelArtifacts): TransformerGraphSource {
  const m = artifacts.manifest;
  if (m.className !== TRANSFORMER_CLASS_NAME) throw new Error(`artefact is a ${String(m.className)}, not a ${TRANSFORMER_CLASS_NAME}`);
  const architecture = transformerArchitecture(m);
  for (const [name, shape] of weightShapes(architecture)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = artifacts.weights[name];
    if (!data || data.length !== size) throw new Error(`${TRANSFORMER_CLASS_NAME} artefact: weight ${name} is missing or has ${data?.length ?? 0} values, expected ${size}`);
  }
  return { architecture, weights: artifacts.weights };
}

function mlpSource(manifest: Record<string, Json>, weights: Record<string, Float32Array>): MlpGraphSource {
  if (manifest.className !== MLP_CLASS_NAME) throw new Error(`MLP member is a ${String(manifest.className)}, not an ${MLP_CLASS_NAME}`);
  const params = paramsOf(manifest, MLP_CLASS_NAME);
  const shapes = manifest.weightShapes as number[][];
  const nFeatures = manifest.nFeatures as number;
  const layers: MlpGraphSource['layers'][number][] = [];
  for (let i = 0; i < shapes.length; i += 2) {
    const [inputs, units] = shapes[i];
    const kernel = weights[`w${i}`];
    const bias = weights[`w${i + 1}`];
    if (!kernel || kernel.length !== inputs * units || !bias || bias.length !== units) throw new Error(`MLP member: layer ${i / 2} weights are missing or mis-shaped`);
    layers.push({ kernel, bias, inputs, units });
  }
  return {
    nFeatures,
    activation: oneOf(params.activation, ['relu', 'tanh'] as const, `${MLP_CLASS_NAME} artefact: manifest.params.activation`),
    output: oneOf(params.output, ['linear', 'sigmoid'] as const, `${MLP_CLASS_NAME} artefact: manifest.params.output`),
    mean: Float64Array.from(manifest.scalerMean as number[]),
    scale: Float64Array.from(manifest.scalerScale as number[]),
    layers,
  };
}

export function ensembleSource(artifacts: ModelArtifacts): EnsembleGraphSource {
  const m = artifacts.manifest;
  if (m.className !== ENSEMBLE_CLASS_NAME) throw new Error(`artefact is a ${String(m.className)}, not a ${ENSEMBLE_CLASS_NAME}`);
  const params = paramsOf(m, ENSEMBLE_CLASS_NAME);
  const weights = params.weights;
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) throw new Error(`${ENSEMBLE_CLASS_NAME} artefact: manifest.params.weights must be an object`);
  const featureNames = (m.featureNames as string[]).map(String);
  const saved = (m.members ?? {}) as Record<string, Json>;
  const members: EnsembleGraphSource['members'] = {};
  for (const name of ['rf', 'gbm', 'mlp'] as EnsembleMember[]) {
    const raw = weights[name];
    const weight = raw === undefined ? 0 : finite(raw, `${ENSEMBLE_CLASS_NAME} artefact: manifest.params.weights.${name}`);
    if (weight > 0) {
      if (saved[name] === null || saved[name] === undefined) throw new Error(`${ENSEMBLE_CLASS_NAME} artefact: member ${name} is missing`);
      members[name] = { weight };
    }
  }
  const rf = members.rf ? RandomForestRegressor.fromJSON(saved.rf) : null;
  const gbm = members.gbm ? GradientBoostingRegressor.fromJSON(saved.gbm) : null;
  let mlp: MlpGraphSource | null = null;
  if (members.mlp) {
    const w: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(artifacts.weights)) if (k.startsWith('mlp/')) w[k.slice(4)] = v;
    mlp = mlpSource(saved.mlp as Record<string, Json>, w);
  }
  const nFeatures = featureNames.length;
  return {
    nFeatures,
    featureNames,
    clipMin: finite(params.clipMin, `${ENSEMBLE_CLASS_NAME} artefact: manifest.params.clipMin`),
    members,
    rf: rf ? { kind: 'forest', nFeatures, trees: rf.estimators.map((t) => t.nodes), init: 0 } : null,
    gbm: gbm ? { kind: 'boosting', nFeatures, trees: gbm.estimators.map((t) => t.nodes), init: gbm.init } : null,
    mlp,
  };
}
