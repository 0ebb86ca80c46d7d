// Every trained family, for every machine, exported to ONNX and checked against tfjs: the
// file on disk, run by onnxruntime-node, must answer what the tfjs model answers within 1e-5
// per probability, on the recorded test window and on 100 random windows.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Draw } from '../../../src/domain/draw.js';
import { Random } from '../../../src/domain/random.js';
import { votingToProbabilities, type LotteryEnsemble } from '../../../src/models/ensemble.js';
import { decodeTensor, transformerGraph, transformerSource } from '../../../src/models/onnx/index.js';
import type { LotteryTransformer } from '../../../src/models/transformer/index.js';
import type { NumberProbabilities } from '../../../src/models/types.js';
import { initTf } from '../../../src/runtime/tfjs.js';
import { exportOnnx, PARITY_TOLERANCE, readExportManifest, type ExportResult } from '../../../src/service/onnx/export.js';
import { OnnxServedModel } from '../../../src/service/onnx/session.js';
import type { ModelStore } from '../../../src/service/modelStore.js';
import { newStore, saveEnsemble, saveTransformer, syntheticDraws, tempDir } from './fixtures.js';

const MACHINES = [1, 2, 3] as const;
const draws = syntheticDraws(180);
let store: ModelStore;
let out: string;
let result: ExportResult;
const transformers = new Map<string, LotteryTransformer>();
const ensembles = new Map<string, LotteryEnsemble>();

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

beforeAll(async () => {
  await initTf();
  store = newStore();
  for (const m of MACHINES) {
    transformers.set(`transformer-m${m}-small`, await saveTransformer(store, draws, m, 'small'));
    ensembles.set(`ensemble-m${m}-small`, await saveEnsemble(store, draws, m));
  }
  transformers.set('transformer-all-reference', await saveTransformer(store, draws, 'all', 'reference'));
  out = tempDir('hogi-onnx-export-');
  result = await exportOnnx({ store, draws, outDir: out });
}, 240_000);

/** What the tfjs model answers for a history, for an exported file's name. */
function tfjsAnswer(name: string, histories: readonly (readonly Draw[])[]): NumberProbabilities[] {
  const t = transformers.get(name);
  if (t) return t.predictBatch(histories);
  const member = /-(rf|gbm|mlp)$/.exec(name)?.[1] as 'rf' | 'gbm' | 'mlp' | undefined;
  const e = ensembles.get(member ? name.slice(0, -member.length - 1) : name);
  if (!e) throw new Error(`no tfjs model for ${name}`);
  return histories.map((h) => (member ? votingToProbabilities(e.rawPredictions(h).members[member], e.getParams().clipMin) : e.predict(h)));
}

describe('ONNX export', () => {
  it('writes one file per trained model: both Transformer configs, and the voting ensemble with its RF, GBM and MLP for every machine', () => {
    expect(result.failures).toEqual([]);
    const names = result.manifest.models.map((m) => m.name);
    for (const m of MACHINES) {
      expect(names).toContain(`transformer-m${m}-small`);
      for (const suffix of ['', '-rf', '-gbm', '-mlp']) expect(names).toContain(`ensemble-m${m}-small${suffix}`);
    }
    expect(names).toContain('transformer-all-reference');
    expect(names).toHaveLength(3 * 5 + 1);
    for (const m of result.manifest.models) {
      expect(existsSync(join(out, m.file)), m.file).toBe(true);
      expect(existsSync(join(out, m.name, 'test_data_set_0', 'input_0.pb'))).toBe(true);
      expect(existsSync(join(out, m.name, 'test_data_set_0', 'output_0.pb'))).toBe(true);
    }
  });

  it('records the opset, producer, source model key and data hash, and the parity measured at export', () => {
    const manifest = readExportManifest(out);
    expect(manifest).not.toBeNull();
    expect(manifest!.opsets).toEqual({ 'ai.onnx': 17, 'ai.onnx.ml': 3 });
    expect(manifest!.producer.name).toBe('hogi');
    const stored = new Map(store.list().map((e) => [e.key, e.manifest!]));
    for (const m of manifest!.models) {
      const source = stored.get(m.sourceKey);
      expect(source, m.name).toBeDefined();
      expect(m.dataHash).toBe(source!.trainedRounds.dataHash);
      expect(m.sourceCreatedAt).toBe(source!.createdAt);
      expect(m.parity.randomWindows).toBe(100);
      expect(m.parity.passed).toBe(true);
      expect(m.parity.testWindowMaxAbsDiff).toBeLessThanOrEqual(PARITY_TOLERANCE);
      expect(m.parity.randomMaxAbsDiff).toBeLessThanOrEqual(PARITY_TOLERANCE);
    }
  });

  it('each file on disk answers its own test data (output_0.pb = the tfjs answer) within 1e-5, read back by onnxruntime', async () => {
    for (const m of result.manifest.models) {
      const input = decodeTensor(readFileSync(join(out, m.name, 'test_data_set_0', 'input_0.pb')));
      const output = decodeTensor(readFileSync(join(out, m.name, 'test_data_set_0', 'output_0.pb')));
      expect(output.dims).toEqual([1, 45]);
      expect(input.dims).toEqual(m.testWindow.dims);
      // The recorded answer is the tfjs model's for the latest window of the model's draws.
      const seq = m.machine === 'all' ? draws : draws.filter((d) => d.machine === m.machine);
      expect(maxAbsDiff(output.data, tfjsAnswer(m.name, [seq])[0])).toBeLessThan(1e-6);
      const served = await OnnxServedModel.open(join(out, m.file), m.input);
      const got = await served.runTensor(input.data, input.dims);
      await served.dispose();
      expect(maxAbsDiff(got, output.data), m.name).toBeLessThanOrEqual(PARITY_TOLERANCE);
      const sum = got.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(6, 4);
    }
  });

  it('each file equals tfjs within 1e-5 per probability on 100 random windows of its machine (drawn apart from the export)', async () => {
    const rng = new Random(99);
    for (const m of result.manifest.models) {
      const seq = m.machine === 'all' ? draws : draws.filter((d) => d.machine === m.machine);
      const lo = m.input.kind === 'number_features' ? (m.input.features.minHistory ?? 10) : 1;
      const histories = Array.from({ length: 100 }, () => seq.slice(0, lo + rng.nextInt(seq.length - lo + 1)));
      const served = await OnnxServedModel.open(join(out, m.file), m.input);
      const got = await served.predictBatch(histories);
      await served.dispose();
      const expected = tfjsAnswer(m.name, histories);
      let worst = 0;
      expected.forEach((e, i) => (worst = Math.max(worst, maxAbsDiff(e, got[i]))));
      expect(worst, m.name).toBeLessThanOrEqual(PARITY_TOLERANCE);
    }
  });

  it('the parity check can fail: one changed Transformer weight moves the ONNX answer beyond 1e-5 (positive control)', async () => {
    const model = transformers.get('transformer-m1-small')!;
    const artifacts = model.toArtifacts();
    const head = artifacts.weights['head.b'];
    head[7] += 0.05;
    const bytes = transformerGraph(transformerSource(artifacts), { producer: { name: 'hogi', version: 'test' }, graphName: 'control' });
    const served = await OnnxServedModel.open(bytes, { kind: 'draw_window', machine: 1, seqLen: model.getParams().seqLen });
    const got = await served.predict(draws);
    await served.dispose();
    expect(maxAbsDiff(got, model.predict(draws))).toBeGreaterThan(PARITY_TOLERANCE);
  });

  it('--machine and --family pick the models exported; a second export keeps the earlier entries', async () => {
    const dir = tempDir('hogi-onnx-filter-');
    const first = await exportOnnx({ store, draws, outDir: dir, machines: [2], families: ['ensemble'], randomWindows: 3 });
    expect(first.exported.map((m) => m.name).sort()).toEqual(['ensemble-m2-small', 'ensemble-m2-small-gbm', 'ensemble-m2-small-mlp', 'ensemble-m2-small-rf']);
    const second = await exportOnnx({ store, draws, outDir: dir, keys: ['transformer-m3-small'], randomWindows: 3 });
    expect(second.exported.map((m) => m.name)).toEqual(['transformer-m3-small']);
    expect(second.manifest.models.map((m) => m.name)).toEqual(['ensemble-m2-small', 'ensemble-m2-small-gbm', 'ensemble-m2-small-mlp', 'ensemble-m2-small-rf', 'transformer-m3-small']);
  });
});
