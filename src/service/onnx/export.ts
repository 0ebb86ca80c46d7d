/**
 * `hogi models export --format onnx`: every trained model in the store → ONNX files, each
 * checked against the tfjs model it came from.
 *
 * Layout of an export directory:
 *   manifest.json                       this export (opsets, producer, each file's source and parity)
 *   <name>/model.onnx                   the graph (src/models/onnx)
 *   <name>/test_data_set_0/input_0.pb   ONNX test data: the latest real input window (TensorProto)
 *   <name>/test_data_set_0/output_0.pb  what the tfjs model answers for it (probabilities [1, 45])
 * where <name> is the store key (the Transformer, the ensemble's weighted vote) or the key
 * plus -rf, -gbm, -mlp for the ensemble's members alone.
 *
 * Parity is measured at export: onnxruntime-node runs each file on the test window and on
 * `randomWindows` histories cut at seeded random points of the model's own draws, against
 * the tfjs model's predict; the largest absolute difference per probability is recorded and
 * an export above the tolerance is marked failed (the server never serves it).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Draw } from '../../domain/draw.js';
import { sortByRound } from '../../domain/draw.js';
import { Random } from '../../domain/random.js';
import { DEFAULT_MIN_HISTORY } from '../../features/index.js';
import type { LotteryEnsemble, LotteryEnsembleParams } from '../../models/ensemble.js';
import type { OnnxInputSpec } from '../../models/onnx/inputs.js';
import type { LotteryTransformer } from '../../models/transformer/index.js';
import type { NumberProbabilities } from '../../models/types.js';
import type { ModelFamily } from '../modelManager.js';
import type { ModelStore, StoredManifest } from '../modelStore.js';
import { OnnxServedModel } from './session.js';

export const ONNX_EXPORT_FORMAT = 'hogi-onnx-export';
export const ONNX_EXPORT_FORMAT_VERSION = 1;
/** Largest allowed |ONNX − tfjs| per probability. */
export const PARITY_TOLERANCE = 1e-5;
export const DEFAULT_RANDOM_WINDOWS = 100;
export const PRODUCER = { name: 'hogi', version: '0.1.0' } as const;

/** Where the server keeps the exports it serves: a hidden folder of the model store (the store lists only visible ones). */
export function servingOnnxDir(modelsDir: string): string {
  return join(resolve(modelsDir), '.onnx');
}

export type ExportedGraph = 'transformer' | 'voting' | 'rf' | 'gbm' | 'mlp';

export interface TensorDoc {
  name: string;
  dims: Array<number | string>;
}

export interface ParityReport {
  tolerance: number;
  /** max |ONNX − tfjs| over the 45 probabilities of the test window. */
  testWindowMaxAbsDiff: number;
  randomWindows: number;
  /** max |ONNX − tfjs| over every probability of every random window. */
  randomMaxAbsDiff: number;
  passed: boolean;
}

export interface ExportedModel {
  name: string;
  /** Relative to the export directory. */
  file: string;
  graph: ExportedGraph;
  family: ModelFamily;
  sourceKey: string;
  sourceCreatedAt: string;
  dataHash: string;
  trainedThroughRound: number;
  machine: number | 'all';
  config: string;
  input: OnnxInputSpec;
  inputs: TensorDoc[];
  outputs: TensorDoc[];
  /** Ensemble family: the feature columns, in input order. */
  featureNames?: string[];
  testWindow: { lastRound: number; dims: number[] };
  parity: ParityReport;
  sha256: string;
  sizeBytes: number;
  exportedAt: string;
}

export interface ExportManifest {
  format: typeof ONNX_EXPORT_FORMAT;
  formatVersion: number;
  producer: { name: string; version: string };
  irVersion: number;
  opsets: Record<string, number>;
  updatedAt: string;
  models: ExportedModel[];
}

export interface ExportFailure {
  key: string;
  error: string;
}

export interface ExportOptions {
  store: ModelStore;
  /** The stored history, oldest first (test windows and random windows come from it). */
  draws: readonly Draw[];
  outDir: string;
  machines?: ReadonlyArray<number | 'all'>;
  families?: readonly ModelFamily[];
  /** Only these store keys (the retrain hook exports just what it trained). */
  keys?: readonly string[];
  randomWindows?: number;
  seed?: number;
  now?: () => Date;
  onProgress?: (message: string) => void;
}

export interface ExportResult {
  manifest: ExportManifest;
  exported: ExportedModel[];
  failures: ExportFailure[];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return m;
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** The export manifest in `dir`, or null when there is none; throws on a corrupt one. */
export function readExportManifest(dir: string): ExportManifest | null {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return null;
  const m = JSON.parse(readFileSync(path, 'utf8')) as ExportManifest;
  if (m.format !== ONNX_EXPORT_FORMAT || m.formatVersion !== ONNX_EXPORT_FORMAT_VERSION || !Array.isArray(m.models)) {
    throw new Error(`${path} is not a hogi ONNX export manifest (format ${String(m.format)} v${String(m.formatVersion)})`);
  }
  return m;
}

interface GraphPlan {
  name: string;
  graph: ExportedGraph;
  bytes: Uint8Array;
  input: OnnxInputSpec;
  inputs: TensorDoc[];
  outputs: TensorDoc[];
  featureNames?: string[];
  /** tfjs answers for each history. */
  reference: (histories: readonly (readonly Draw[])[]) => NumberProbabilities[];
}

function docs(specs: ReadonlyArray<{ name: string; dims: ReadonlyArray<number | string> }>): TensorDoc[] {
  return specs.map((s) => ({ name: s.name, dims: [...s.dims] }));
}

async function plansFor(manifest: StoredManifest, artifacts: { manifest: StoredManifest['model']; weights: Record<string, Float32Array> }): Promise<{ plans: GraphPlan[]; dispose: () => void; minHistory: number }> {
  const onnx = await import('../../models/onnx/index.js');
  const envelope = (graphName: string) => ({
    producer: PRODUCER,
    graphName,
    metadata: {
      source_key: manifest.key,
      source_created_at: manifest.createdAt,
      data_hash: manifest.trainedRounds.dataHash,
      trained_through_round: String(manifest.trainedRounds.to),
    },
  });
  if (manifest.family === 'transformer') {
    const { LotteryTransformer } = await import('../../models/transformer/index.js');
    // fromArtifacts validates the artefacts (and names the bad field); transformerSource checks what the graph reads.
    const model: LotteryTransformer = LotteryTransformer.fromArtifacts(artifacts);
    const p = model.getParams();
    return {
      minHistory: 1,
      dispose: () => model.dispose(),
      plans: [
        {
          name: manifest.key,
          graph: 'transformer',
          bytes: onnx.transformerGraph(onnx.transformerSource(artifacts), envelope(manifest.key)),
          input: { kind: 'draw_window', machine: p.machine, seqLen: p.seqLen },
          inputs: docs(onnx.TRANSFORMER_ONNX_INPUTS),
          outputs: docs(onnx.TRANSFORMER_ONNX_OUTPUTS),
          reference: (hs) => model.predictBatch(hs),
        },
      ],
    };
  }
  const { LotteryEnsemble, votingToProbabilities } = await import('../../models/ensemble.js');
  const model: LotteryEnsemble = LotteryEnsemble.fromArtifacts(artifacts);
  const p: LotteryEnsembleParams = model.getParams();
  const src = onnx.ensembleSource(artifacts);
  const input: OnnxInputSpec = { kind: 'number_features', machine: p.machine, features: { ...p.features }, nFeatures: src.nFeatures };
  const graphs: Array<'voting' | 'rf' | 'gbm' | 'mlp'> = ['voting', ...(['rf', 'gbm', 'mlp'] as const).filter((m) => src.members[m])];
  return {
    minHistory: p.features.minHistory ?? DEFAULT_MIN_HISTORY,
    dispose: () => model.dispose(),
    plans: graphs.map((g) => {
      const name = g === 'voting' ? manifest.key : `${manifest.key}-${g}`;
      return {
        name,
        graph: g,
        bytes: onnx.ensembleGraph(src, g, envelope(name)),
        input,
        inputs: docs(onnx.ensembleOnnxInputs(src.nFeatures)),
        outputs: docs(onnx.ENSEMBLE_ONNX_OUTPUTS),
        featureNames: [...src.featureNames],
        reference: (hs) => hs.map((h) => (g === 'voting' ? model.predict(h) : votingToProbabilities(model.rawPredictions(h).members[g], p.clipMin))),
      };
    }),
  };
}

/** The draws a model reads, in round order: its machine's, or all for a pooled model. */
function ownSequence(draws: readonly Draw[], machine: number | 'all'): Draw[] {
  return sortByRound(machine === 'all' ? draws : draws.filter((d) => d.machine === machine));
}

/**
 * Export every stored model matching the filters. Models that cannot be exported are
 * reported in `failures` (the others still are); the manifest keeps entries of earlier
 * exports to the same directory that were not redone.
 */
export async function exportOnnx(options: ExportOptions): Promise<ExportResult> {
  const now = options.now ?? (() => new Date());
  const log = options.onProgress ?? (() => undefined);
  const outDir = resolve(options.outDir);
  const randomCount = options.randomWindows ?? DEFAULT_RANDOM_WINDOWS;
  const { describeModel, encodeTensor } = await import('../../models/onnx/index.js');
  mkdirSync(outDir, { recursive: true });
  const entries = options.store.list().filter((e) => {
    if (options.keys && !options.keys.includes(e.key)) return false;
    if (!e.manifest) return true;
    if (options.machines && !options.machines.includes(e.manifest.machine)) return false;
    if (options.families && !options.families.includes(e.manifest.family)) return false;
    return true;
  });
  const exported: ExportedModel[] = [];
  const failures: ExportFailure[] = [];
  let header: Pick<ExportManifest, 'irVersion' | 'opsets'> = { irVersion: 8, opsets: { 'ai.onnx': 17 } };
  for (const entry of entries) {
    if (!entry.manifest) {
      failures.push({ key: entry.key, error: entry.error ?? 'unreadable manifest' });
      continue;
    }
    let dispose = () => undefined as void;
    try {
      const { manifest, artifacts } = options.store.load(entry.key);
      const planned = await plansFor(manifest, artifacts);
      dispose = planned.dispose;
      const seq = ownSequence(options.draws, manifest.machine);
      if (seq.length < planned.minHistory) throw new Error(`the stored history has ${seq.length} draws for this model; it needs ${planned.minHistory} to form a test window`);
      const testHistory = seq;
      const rng = new Random(options.seed ?? 20240601);
      const randomHistories = Array.from({ length: randomCount }, () => seq.slice(0, planned.minHistory + rng.nextInt(seq.length - planned.minHistory + 1)));
      for (const plan of planned.plans) {
        log(`exporting ${plan.name}`);
        const served = await OnnxServedModel.open(plan.bytes, plan.input);
        try {
          const [batch] = (await import('../../models/onnx/inputs.js')).onnxBatches(plan.input, [testHistory]);
          const expected = plan.reference([testHistory])[0];
          const got = await served.predict(testHistory);
          const testDiff = maxAbsDiff(expected, got);
          let randomDiff = 0;
          if (randomHistories.length) {
            const exp = plan.reference(randomHistories);
            const act = await served.predictBatch(randomHistories);
            exp.forEach((e, i) => (randomDiff = Math.max(randomDiff, maxAbsDiff(e, act[i]))));
          }
          const parity: ParityReport = {
            tolerance: PARITY_TOLERANCE,
            testWindowMaxAbsDiff: testDiff,
            randomWindows: randomHistories.length,
            randomMaxAbsDiff: randomDiff,
            passed: testDiff <= PARITY_TOLERANCE && randomDiff <= PARITY_TOLERANCE,
          };
          // Files go to a temporary folder renamed into place: a reader sees the old export or the new one.
          const dir = join(outDir, plan.name);
          const tmp = join(outDir, `.${plan.name}.tmp-${process.pid}`);
          rmSync(tmp, { recursive: true, force: true });
          mkdirSync(join(tmp, 'test_data_set_0'), { recursive: true });
          writeFileSync(join(tmp, 'model.onnx'), plan.bytes);
          writeFileSync(join(tmp, 'test_data_set_0', 'input_0.pb'), encodeTensor(plan.inputs[0].name, batch.data, batch.dims));
          writeFileSync(join(tmp, 'test_data_set_0', 'output_0.pb'), encodeTensor('probabilities', Float32Array.from(expected), [1, 45]));
          const old = join(outDir, `.${plan.name}.old-${process.pid}`);
          if (existsSync(dir)) renameSync(dir, old);
          renameSync(tmp, dir);
          rmSync(old, { recursive: true, force: true });
          const described = describeModel(plan.bytes);
          header = { irVersion: described.irVersion, opsets: { ...header.opsets, ...described.opsets } };
          exported.push({
            name: plan.name,
            file: `${plan.name}/model.onnx`,
            graph: plan.graph,
            family: manifest.family,
            sourceKey: manifest.key,
            sourceCreatedAt: manifest.createdAt,
            dataHash: manifest.trainedRounds.dataHash,
            trainedThroughRound: manifest.trainedRounds.to,
            machine: manifest.machine,
            config: manifest.config,
            input: plan.input,
            inputs: plan.inputs,
            outputs: plan.outputs,
            ...(plan.featureNames ? { featureNames: plan.featureNames } : {}),
            testWindow: { lastRound: testHistory[testHistory.length - 1].round, dims: batch.dims },
            parity,
            sha256: createHash('sha256').update(plan.bytes).digest('hex'),
            sizeBytes: plan.bytes.byteLength,
            exportedAt: now().toISOString(),
          });
          if (!parity.passed) failures.push({ key: plan.name, error: `ONNX output differs from tfjs by ${Math.max(testDiff, randomDiff).toExponential(2)} (> ${PARITY_TOLERANCE})` });
        } finally {
          await served.dispose();
        }
      }
    } catch (e) {
      failures.push({ key: entry.key, error: (e as Error).message });
    } finally {
      dispose();
    }
  }
  let previous: ExportManifest | null = null;
  try {
    previous = readExportManifest(outDir);
  } catch {
    previous = null; // a corrupt manifest is replaced
  }
  const redone = new Set(exported.map((m) => m.name));
  const kept = (previous?.models ?? []).filter((m) => !redone.has(m.name) && existsSync(join(outDir, m.file)));
  const manifest: ExportManifest = {
    format: ONNX_EXPORT_FORMAT,
    formatVersion: ONNX_EXPORT_FORMAT_VERSION,
    producer: { ...PRODUCER },
    irVersion: header.irVersion,
    opsets: { ...(previous?.opsets ?? {}), ...header.opsets },
    updatedAt: now().toISOString(),
    models: [...kept, ...exported].sort((a, b) => a.name.localeCompare(b.name)),
  };
  writeAtomic(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { manifest, exported, failures };
}
