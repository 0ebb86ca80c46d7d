/**
 * Inference with the exported ONNX graphs (onnxruntime-node) next to tfjs-wasm and, where
 * python3-torch is installed, PyTorch — one run each, side by side.
 *
 *   npx tsx bench/onnx.ts [--reps 50]
 *
 * Per Transformer preset (small, reference; untrained weights from the seeded initialiser,
 * since latency does not depend on their values): the time to load each (tfjs: weights into
 * variables; onnxruntime: session from the graph bytes; PyTorch: module construction), the
 * first call, the median of one window (the latest seqLen draws, input encoding included) and
 * the median of a batch of 100 windows. onnxruntime runs with 1 intra-op thread (what the
 * server uses) and with its default (all cores).
 * Then the served path: one family job for the three machines (what an inference worker runs
 * per refresh) with the small Transformer and a small ensemble trained on recent draws.
 * Last, where Debian's python3-onnx is installed, bench/onnxCheck.py (onnx.checker with full
 * shape inference) checks the graphs the bench built.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Draw } from '../src/domain/draw.js';
import { LotteryEnsemble, ensembleConfig } from '../src/models/ensemble.js';
import { ensembleGraph, ensembleSource, transformerGraph, transformerSource } from '../src/models/onnx/index.js';
import {
  initialWeights,
  LotteryTransformer,
  TRANSFORMER_CLASS_NAME,
  TRANSFORMER_FORMAT_VERSION,
  transformerParams,
  weightShapes,
  type TransformerArtifacts,
  type TransformerPresetName,
} from '../src/models/transformer/index.js';
import type { Json, NumberProbabilities } from '../src/models/types.js';
import { initTf } from '../src/runtime/tfjs.js';
import { OnnxServedModel } from '../src/service/onnx/session.js';
import { loadHistoryDraws } from '../test/helpers/history.js';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '50' } } });
const reps = Number(values.reps);
const here = dirname(fileURLToPath(import.meta.url));
const backend = await initTf('wasm');
const draws = loadHistoryDraws();
const ort = await import('onnxruntime-node');
console.log(`ONNX bench — tfjs backend ${backend}, onnxruntime-node ${ort.env.versions.common}, ${draws.length} draws, node ${process.version}, ${(await import('node:os')).cpus().length} CPUs`);

const ms = (x: number | null): string => (x === null ? '-' : x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(1)} ms`);
function median(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}
async function timeIt(fn: () => unknown | Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
async function medianOf(n: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(await timeIt(fn));
  return median(xs);
}
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

interface Row {
  runtime: string;
  loadMs: number | null;
  firstMs: number | null;
  oneMs: number | null;
  batchMs: number | null;
  note: string;
}

function printRows(title: string, rows: Row[]): void {
  console.log(`\n## ${title}`);
  console.log(`${'runtime'.padEnd(30)}${'load'.padStart(10)}${'first call'.padStart(12)}${'one window'.padStart(12)}${'batch 100'.padStart(12)}  note`);
  for (const r of rows) console.log(`${r.runtime.padEnd(30)}${ms(r.loadMs).padStart(10)}${ms(r.firstMs).padStart(12)}${ms(r.oneMs).padStart(12)}${ms(r.batchMs).padStart(12)}  ${r.note}`);
}

const torchAvailable = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const outDir = mkdtempSync(join(tmpdir(), 'hogi-onnx-bench-'));
const histories100 = Array.from({ length: 100 }, (_, i) => draws.slice(0, draws.length - i));

for (const preset of ['small', 'reference'] as TransformerPresetName[]) {
  const p = transformerParams(preset, { machine: 'all' });
  const init = initialWeights(p, 42);
  const artifacts: TransformerArtifacts = {
    manifest: {
      className: TRANSFORMER_CLASS_NAME,
      formatVersion: TRANSFORMER_FORMAT_VERSION,
      params: JSON.parse(JSON.stringify(p)) as Json, // plain data: TransformerParams is JSON by construction
      trainedRounds: null,
      weightSpecs: weightShapes(p).map(([name, shape]) => ({ name, shape: [...shape] })),
      validationMetrics: null,
    },
    weights: Object.fromEntries(init),
  };
  const rows: Row[] = [];
  let tf: LotteryTransformer | null = null;
  const tfLoad = await timeIt(() => (tf = LotteryTransformer.fromArtifacts(artifacts)));
  const model = tf as unknown as LotteryTransformer; // assigned inside the timed callback
  let expected: NumberProbabilities | null = null;
  const tfFirst = await timeIt(() => (expected = model.predict(draws)));
  rows.push({
    runtime: 'tfjs-wasm',
    loadMs: tfLoad,
    firstMs: tfFirst,
    oneMs: await medianOf(reps, () => model.predict(draws)),
    batchMs: await medianOf(5, () => model.predictBatch(histories100)),
    note: `${p.seqLen}-draw window, d_model ${p.dModel}, ${p.nLayers} layers`,
  });
  let bytes: Uint8Array = new Uint8Array(0);
  const buildMs = await timeIt(() => (bytes = transformerGraph(transformerSource(artifacts), { producer: { name: 'hogi', version: 'bench' }, graphName: preset })));
  mkdirSync(join(outDir, `transformer-${preset}`), { recursive: true });
  writeFileSync(join(outDir, `transformer-${preset}`, 'model.onnx'), bytes);
  for (const threads of [1, 0]) {
    let served: OnnxServedModel | null = null;
    const load = await timeIt(async () => (served = await OnnxServedModel.open(bytes, { kind: 'draw_window', machine: 'all', seqLen: p.seqLen }, { intraOpThreads: threads })));
    const s = served as unknown as OnnxServedModel; // assigned inside the timed callback
    let got: NumberProbabilities | null = null;
    const first = await timeIt(async () => (got = await s.predict(draws)));
    rows.push({
      runtime: `onnxruntime-node ${threads === 1 ? '1 thread' : 'all cores'}`,
      loadMs: load,
      firstMs: first,
      oneMs: await medianOf(reps, () => s.predict(draws)),
      batchMs: await medianOf(5, () => s.predictBatch(histories100)),
      note: `graph built in ${ms(buildMs)}, ${(bytes.byteLength / 1024).toFixed(0)} KiB; max |onnx − tfjs| ${maxAbsDiff(got!, expected!).toExponential(1)}`,
    });
    await s.dispose();
  }
  if (torchAvailable) {
    const r = spawnSync('/usr/bin/python3', [join(here, 'reference', 'torch_infer.py'), '--preset', preset, '--threads', '1', '--reps', String(reps)], { encoding: 'utf8' });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    try {
      const j = JSON.parse(line) as { load_ms: number; one_ms: number; batch100_ms: number; torch: string };
      rows.push({ runtime: 'PyTorch 1 thread', loadMs: j.load_ms, firstMs: null, oneMs: j.one_ms, batchMs: j.batch100_ms, note: `torch ${j.torch}, eval mode, no input encoding` });
    } catch {
      rows.push({ runtime: 'PyTorch', loadMs: null, firstMs: null, oneMs: null, batchMs: null, note: `failed: ${r.stderr.trim().split('\n').pop()}` });
    }
  } else {
    rows.push({ runtime: 'PyTorch', loadMs: null, firstMs: null, oneMs: null, batchMs: null, note: 'not measured: python3-torch is not installed here' });
  }
  model.dispose();
  printRows(`Transformer ${preset}: load, first call, median one window (${reps} runs), median batch of 100 (5 runs)`, rows);
}

// The served path: one family job for machines 1-3, as an inference worker runs it per refresh.
console.log('\n## Served path: one family job for machines 1, 2, 3 (inputs from the whole history)');
const recent = draws.slice(-400);
const ens = await new LotteryEnsemble(ensembleConfig('small', { machine: 'all', seed: 42 })).fit(recent);
const ensBytes = ensembleGraph(ensembleSource(ens.toArtifacts()), 'voting', { producer: { name: 'hogi', version: 'bench' }, graphName: 'ensemble-small' });
mkdirSync(join(outDir, 'ensemble-small'), { recursive: true });
writeFileSync(join(outDir, 'ensemble-small', 'model.onnx'), ensBytes);
const perMachine: Draw[][] = [1, 2, 3].map((m) => draws.filter((d) => d.machine === m));
const smallT = transformerParams('small', { machine: 'all' });
const tSmall = LotteryTransformer.fromArtifacts({
  manifest: { className: TRANSFORMER_CLASS_NAME, formatVersion: TRANSFORMER_FORMAT_VERSION, params: JSON.parse(JSON.stringify(smallT)) as Json, trainedRounds: null, weightSpecs: weightShapes(smallT).map(([name, shape]) => ({ name, shape: [...shape] })), validationMetrics: null },
  weights: Object.fromEntries(initialWeights(smallT, 42)),
});
const tSmallOnnx = await OnnxServedModel.open(transformerGraph(transformerSource(tSmall.toArtifacts()), { producer: { name: 'hogi', version: 'bench' }, graphName: 't' }), { kind: 'draw_window', machine: 'all', seqLen: smallT.seqLen });
const ensOnnx = await OnnxServedModel.open(ensBytes, { kind: 'number_features', machine: 'all', features: ens.getParams().features, nFeatures: ensembleSource(ens.toArtifacts()).nFeatures });
const jobs: Array<[string, () => unknown, () => Promise<unknown>]> = [
  ['Transformer small (pooled, 3 windows in one batch)', () => tSmall.predictBatch(perMachine), () => tSmallOnnx.predictBatch(perMachine)],
  ['ensemble small (RF 20 + GBM 20 + MLP, 3 × 45 rows)', () => perMachine.map((h) => ens.predict(h)), () => ensOnnx.predictBatch(perMachine)],
];
for (const [name, tfjsJob, onnxJob] of jobs) {
  tfjsJob();
  await onnxJob();
  console.log(`${name.padEnd(52)} tfjs ${ms(await medianOf(20, tfjsJob)).padStart(9)}   onnxruntime ${ms(await medianOf(20, onnxJob)).padStart(9)}`);
}
console.log('(the ensemble figures include the feature rows computed in TypeScript, the same on both sides)');

if (spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { stdio: 'ignore' }).status !== 0) {
  console.log('\n(onnx.checker not run: python3-onnx is not installed)');
} else {
  console.log(`\n## onnx.checker + strict shape inference on the bench graphs (${outDir})`);
  const r = spawnSync('/usr/bin/python3', [join(here, 'onnxCheck.py'), outDir], { encoding: 'utf8' });
  process.stdout.write(r.stdout || r.stderr);
  if (r.status !== 0) process.exitCode = 1;
}
