// The statistical ensemble on the real history: feature-building time, training time per
// config (with each member's fit time on the holdout-phase training rows), validation
// log-loss/Brier against the uniform 6/45 baseline, inference latency for one prediction
// and for a batch of 100 histories, model size and peak RSS.
//
// Usage: npx tsx bench/ensemble.ts [--config small|reference|both] [--machine all|1|2|3] [--data-dir DIR]
// Writes the feature matrix (X.f32, y.f32, shape.json) and our timings (ours.json) to DIR
// (default: $TMPDIR/hogi-bench-ensemble) so bench/reference/sklearn_ensemble.py can fit
// scikit-learn's RF/GB/MLP on exactly the same rows and print the ratio.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildTrainingSet } from '../src/features/index.js';
import { LotteryEnsemble, ensembleConfig, type EnsembleConfigName, type EnsembleProgress } from '../src/models/ensemble.js';
import { initTf } from '../src/runtime/tfjs.js';
import { loadHistoryDraws } from '../test/helpers/history.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const configArg = arg('config', 'both');
const configs: EnsembleConfigName[] = configArg === 'both' ? ['small', 'reference'] : [configArg as EnsembleConfigName];
const machineArg = arg('machine', 'all');
const machine = machineArg === 'all' ? ('all' as const) : Number(machineArg);
const dataDir = arg('data-dir', join(tmpdir(), 'hogi-bench-ensemble'));

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const fmtMs = (ms: number) => (ms < 10 ? `${ms.toFixed(2)} ms` : ms < 10_000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const line = (label: string, value: string) => console.log(`${label.padEnd(52)} ${value}`);

async function main(): Promise<void> {
  const backend = await initTf('wasm');
  const draws = loadHistoryDraws();
  const seq = machine === 'all' ? draws : draws.filter((d) => d.machine === machine);
  console.log(`history: ${draws.length} draws (rounds ${draws[0].round}–${draws[draws.length - 1].round}); machine ${machineArg}: ${seq.length} draws; tfjs backend ${backend}`);

  // Features: the matrix every member trains on.
  const featureTimes: number[] = [];
  let set = buildTrainingSet(seq);
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    set = buildTrainingSet(seq);
    featureTimes.push(performance.now() - t0);
  }
  line(`buildTrainingSet (${set.X.rows} rows × ${set.X.cols} features)`, `${fmtMs(median(featureTimes))} (median of 5)`);

  const targets = set.X.rows / 45;
  const nVal = Math.max(1, Math.round(targets * 0.1));
  const split = (targets - nVal) * 45;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'X.f32'), Buffer.from(set.X.data.buffer, set.X.data.byteOffset, set.X.data.byteLength));
  writeFileSync(join(dataDir, 'y.f32'), Buffer.from(set.y.buffer, set.y.byteOffset, set.y.byteLength));
  writeFileSync(join(dataDir, 'shape.json'), JSON.stringify({ rows: set.X.rows, cols: set.X.cols, split, featureNames: set.featureNames }));

  const ours: Record<string, unknown> = { rows: set.X.rows, cols: set.X.cols, split, backend };
  for (const name of configs) {
    console.log(`\n--- config ${name} (machine ${machineArg})`);
    const model = new LotteryEnsemble(ensembleConfig(name, { machine }));
    const marks: Record<string, number> = {};
    const cpuMarks: Record<string, number> = {};
    let epochs = { holdout: 0, final: 0 };
    const onProgress = (p: EnsembleProgress) => {
      if (p.status === 'epoch') epochs = { ...epochs, [p.phase]: p.epoch.epoch };
      else {
        const key = `${p.phase}.${p.member}.${p.status}`;
        marks[key] = performance.now();
        const u = process.cpuUsage();
        cpuMarks[key] = (u.user + u.system) / 1000;
      }
    };
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await model.fit(draws, { onMemberProgress: onProgress });
    const fitMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const fitCpuMs = (cpu.user + cpu.system) / 1000;
    const memberMs = (phase: string, m: string) => (marks[`${phase}.${m}.done`] ?? NaN) - (marks[`${phase}.${m}.start`] ?? NaN);
    const memberCpuMs = (phase: string, m: string) => (cpuMarks[`${phase}.${m}.done`] ?? NaN) - (cpuMarks[`${phase}.${m}.start`] ?? NaN);
    // CPU time next to wall time: on a shared machine the wall clock includes waiting for a core.
    line('fit (holdout fit + scoring + refit on all draws)', `${fmtMs(fitMs)} wall, ${fmtMs(fitCpuMs)} CPU`);
    for (const phase of ['holdout', 'final']) {
      const parts = ['rf', 'gbm', 'mlp'].map((m) => `${m} ${fmtMs(memberMs(phase, m))} (CPU ${fmtMs(memberCpuMs(phase, m))})`).join(', ');
      line(`  ${phase === 'holdout' ? `members on ${split} rows` : `members on ${set.X.rows} rows`}`, `${parts} (mlp ${epochs[phase as 'holdout' | 'final']} epochs)`);
    }
    const v = model.validationMetrics;
    if (v) {
      line(`validation: ${v.draws} draws, rounds ${v.fromRound}–${v.toRound}`, '');
      line('  ensemble log-loss / Brier', `${v.logLoss.toFixed(5)} / ${v.brier.toFixed(5)}`);
      line('  uniform 6/45 log-loss / Brier', `${v.uniformLogLoss.toFixed(5)} / ${v.uniformBrier.toFixed(5)}`);
      for (const [m, s] of Object.entries(v.members)) line(`  ${m} alone log-loss / Brier`, `${s.logLoss.toFixed(5)} / ${s.brier.toFixed(5)}`);
    }

    // Inference: one prediction for the next draw, and 100 predictions for the last 100 histories.
    model.predict(draws);
    const single: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      model.predict(draws);
      single.push(performance.now() - t);
    }
    line('predict one draw (features + 3 members + normalise)', `${fmtMs(median(single))} (median of 30)`);
    const histories = Array.from({ length: 100 }, (_, k) => draws.slice(0, draws.length - k));
    const tb = performance.now();
    for (const h of histories) model.predict(h);
    const batchMs = performance.now() - tb;
    line('predict a batch of 100 histories', `${fmtMs(batchMs)} (${fmtMs(batchMs / 100)} each)`);

    const arts = model.toArtifacts();
    const weightBytes = Object.values(arts.weights).reduce((s, w) => s + w.byteLength, 0);
    line('model memory (memoryBytes) / artefact size', `${mib(model.memoryBytes())} / ${mib(Buffer.byteLength(JSON.stringify(arts.manifest)) + weightBytes)}`);
    ours[name] = {
      fitMs,
      fitCpuMs,
      holdout: { rf: memberMs('holdout', 'rf'), gbm: memberMs('holdout', 'gbm'), mlp: memberMs('holdout', 'mlp'), mlpEpochs: epochs.holdout },
      holdoutCpu: { rf: memberCpuMs('holdout', 'rf'), gbm: memberCpuMs('holdout', 'gbm'), mlp: memberCpuMs('holdout', 'mlp') },
      final: { rf: memberMs('final', 'rf'), gbm: memberMs('final', 'gbm'), mlp: memberMs('final', 'mlp'), mlpEpochs: epochs.final },
      validation: v,
      predictOneMs: median(single),
      predictBatch100Ms: batchMs,
    };
    model.dispose();
  }
  writeFileSync(join(dataDir, 'ours.json'), JSON.stringify(ours, null, 2));
  console.log('');
  line('peak RSS', mib(process.resourceUsage().maxRSS * 1024));
  console.log(`\nfeatures and timings written to ${dataDir}; compare: /usr/bin/python3 bench/reference/sklearn_ensemble.py ${dataDir}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
