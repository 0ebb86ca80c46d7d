/**
 * LotteryTransformer speed, memory and held-out quality on the full shared history.
 *
 *   npx tsx bench/transformer.ts [--backend wasm|cpu] [--max-epochs 40] [--quick] [--epochs-only]
 *
 * --quick trains to early stop on all draws only (not per machine); --epochs-only stops
 * after the epoch timings (to compare with bench/reference/torch_transformer.py).
 *
 * Prints: epoch time (small, reference), time to early stop (all draws and per
 * machine), inference latency (one window, a batch of 100), peak RSS, and the
 * validation log-loss / Brier next to the 6/45 chance baseline.
 */
import { parseArgs } from 'node:util';
import { loadHistoryDraws } from '../test/helpers/history.js';
import { initTf } from '../src/runtime/tfjs.js';
import { LotteryTransformer, transformerParams, type TransformerParams, type TransformerPresetName } from '../src/models/transformer/index.js';
import { KNOWN_MACHINES } from '../src/domain/machine.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    'max-epochs': { type: 'string', default: '40' },
    'timing-epochs': { type: 'string', default: '4' },
    quick: { type: 'boolean', default: false },
    'epochs-only': { type: 'boolean', default: false },
  },
});
const backend = await initTf(values.backend === 'cpu' ? 'cpu' : 'wasm');
const draws = loadHistoryDraws();
const maxEpochs = Number(values['max-epochs']);
const timingEpochs = Number(values['timing-epochs']);
const presets: TransformerPresetName[] = ['small', 'reference'];

const ms = (x: number): string => `${x.toFixed(1)} ms`;
const s = (x: number): string => `${(x / 1000).toFixed(2)} s`;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

console.log(`LotteryTransformer bench — backend ${backend}, ${draws.length} draws (rounds ${draws[0].round}..${draws[draws.length - 1].round}), node ${process.version}`);

async function fitTimed(p: TransformerParams): Promise<{ model: LotteryTransformer; epochMs: number[]; totalMs: number }> {
  const epochMs: number[] = [];
  const start = performance.now();
  let last = start;
  const model = await new LotteryTransformer(p).fit(draws, {
    onEpoch: () => {
      const now = performance.now();
      epochMs.push(now - last);
      last = now;
    },
  });
  return { model, epochMs, totalMs: performance.now() - start };
}

function median(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

console.log('\n## Epoch time, all draws (causal chunks; includes the per-epoch validation pass)');
for (const preset of presets) {
  const p = transformerParams(preset, { maxEpochs: timingEpochs, patience: timingEpochs, machine: 'all' });
  const { model, epochMs } = await fitTimed(p);
  const steady = epochMs.length > 1 ? epochMs.slice(1) : epochMs;
  console.log(
    `${preset.padEnd(9)} first ${s(epochMs[0])}, median of next ${steady.length}: ${s(median(steady))}` +
      `  (seqLen ${p.seqLen}, stride ${p.stride}, batch ${p.batchSize}, weights ${mib(model.memoryBytes())})`,
  );
  model.dispose();
}

if (values['epochs-only']) {
  console.log(`\nPeak RSS: ${mib(process.resourceUsage().maxRSS * 1024)}`);
  process.exit(0);
}

console.log(`\n## Training to early stop (max ${maxEpochs} epochs, patience ${transformerParams().patience})`);
const machines: (number | 'all')[] = values.quick ? ['all'] : ['all', ...KNOWN_MACHINES];
const trained = new Map<string, LotteryTransformer>();
for (const preset of presets) {
  for (const machine of machines) {
    const p = transformerParams(preset, { maxEpochs, machine });
    const { model, epochMs, totalMs } = await fitTimed(p);
    const m = model.validationMetrics;
    const label = `${preset} machine=${machine}`;
    console.log(
      `${label.padEnd(22)} ${s(totalMs)} for ${epochMs.length} epochs (best ${m?.bestEpoch}), ` +
        (m
          ? `val ${m.draws} draws: log-loss ${m.logLoss.toFixed(5)} vs uniform ${m.uniformLogLoss.toFixed(5)}, ` +
            `Brier ${m.brier.toFixed(5)} vs ${m.uniformBrier.toFixed(5)}, CE ${m.crossEntropy.toFixed(4)} vs ln45 ${Math.log(45).toFixed(4)}`
          : 'no validation'),
    );
    if (machine === 'all') trained.set(preset, model);
    else model.dispose();
  }
}

console.log('\n## Inference latency (fitted on all draws)');
for (const preset of presets) {
  const model = trained.get(preset) as LotteryTransformer;
  const seqLen = model.getParams().seqLen;
  const reps = 20;
  model.predict(draws); // warm-up
  let t = performance.now();
  for (let i = 0; i < reps; i++) model.predict(draws);
  const one = (performance.now() - t) / reps;
  const histories = Array.from({ length: 100 }, (_, i) => draws.slice(0, draws.length - i));
  model.predictBatch(histories);
  t = performance.now();
  for (let i = 0; i < 3; i++) model.predictBatch(histories);
  const batch = (performance.now() - t) / 3;
  console.log(`${preset.padEnd(9)} one window (${seqLen} draws): ${ms(one)};  batch of 100 windows: ${ms(batch)} (${ms(batch / 100)} per window)`);
  model.dispose();
}

const rss = process.resourceUsage().maxRSS * 1024;
console.log(`\nPeak RSS: ${mib(rss)}`);
