import cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { FAMILIES, type ModelFamily } from '../../models/families.js';
import { DEFAULT_MODELS_DIR, modelStore } from '../../service/modelStore.js';
import type { ConfigName } from '../../service/registry.js';
import type { TrainEvent } from '../../service/training.js';
import { DEFAULT_RETRAIN_EVERY, DEFAULT_STACKING_TARGETS, trainStacking } from '../../service/predictions/stacking.js';
import type { Draw } from '../../domain/draw.js';
import { cliConfig, dbFor } from '../context.js';
import { CliFailure, UsageError, parseIntOption, parseRangeOption } from '../errors.js';
import { printJson, renderTable } from '../output.js';
import { servicesFor } from '../../service/services.js';

function machinesOption(value: string): Array<number | 'all'> {
  if (value === 'all') return [1, 2, 3];
  if (/^[123](호기)?$/.test(value)) return [Number(value[0])];
  throw new UsageError(`--machine must be 1, 2, 3 or all, got "${value}"`);
}

const fmt = (x: number | null) => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(4));

/** Progress bars on a terminal; one line per finished model otherwise. */
function progressReporter(json: boolean): { onEvent: (e: TrainEvent) => void; stop: () => void } {
  const tty = process.stderr.isTTY === true && !json;
  const multi = tty
    ? new cliProgress.MultiBar(
        {
          stream: process.stderr,
          format: '{key} |{bar}| {value}/{total} {detail} loss {loss} val {val} ETA {eta_formatted}',
          barsize: 24,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 5,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    onEvent(e) {
      if (e.type === 'start') {
        if (multi) bars.set(e.key, multi.create(e.total, 0, { key: e.key.padEnd(22), detail: '', loss: '-', val: '-' }));
        else process.stderr.write(`training ${e.key}…\n`);
      } else if (e.type === 'progress') {
        const bar = bars.get(e.key);
        if (bar) {
          bar.setTotal(e.total);
          bar.update(e.value, { detail: e.detail, loss: fmt(e.loss), val: fmt(e.valLoss) });
        }
      } else if (e.type === 'done') {
        const bar = bars.get(e.key);
        if (bar) bar.update(bar.getTotal());
        else process.stderr.write(`  ${e.key} done in ${(e.manifest.trainingMs / 1000).toFixed(1)} s\n`);
      } else if (e.type === 'failed' && !bars.has(e.key)) {
        process.stderr.write(`  ${e.key} failed: ${e.error}\n`);
      }
    },
    stop: () => multi?.stop(),
  };
}

export function trainCommand(): Command {
  return new Command('train')
    .description('train the Transformer and/or the RF/GB/MLP ensemble on the stored history and save them under ./data/models')
    .option('--machine <m>', 'machine whose draws to train on: 1, 2, 3 or all (each of the three)', machinesOption, [1, 2, 3] as Array<number | 'all'>)
    .option('--pooled', 'also train one model on the draws of every machine (model key "all")')
    .addOption(new Option('--family <f>', 'model family').choices(['transformer', 'ensemble', 'all']).default('all'))
    .addOption(new Option('--config <c>', 'model size: small (quick) or reference (the design)').choices(['small', 'reference']).default('small'))
    .option('--seed <n>', 'random seed, 0..4294967295', parseRangeOption('--seed', 0, 4294967295), 42)
    .option('--models-dir <dir>', 'where models are saved (env HOGI_MODELS_DIR)')
    .option('--json', 'print the saved manifests as JSON')
    .option('--stacking', 'instead of the models, train the stacking meta-model on walk-forward (out-of-sample) predictions')
    .option('--from <round>', `first target round of the stacking walk-forward (default: the last ${DEFAULT_STACKING_TARGETS} rounds)`, parseIntOption('--from'))
    .option('--to <round>', 'last target round of the stacking walk-forward (default: the latest round)', parseIntOption('--to'))
    .option('--retrain-every <k>', `retrain the walk-forward models every k target rounds (default ${DEFAULT_RETRAIN_EVERY})`, parseIntOption('--retrain-every'))
    .action(async function (
      this: Command,
      opts: {
        machine: Array<number | 'all'>;
        pooled?: boolean;
        family: string;
        config: ConfigName;
        seed: number;
        modelsDir?: string;
        json?: boolean;
        stacking?: boolean;
        from?: number;
        to?: number;
        retrainEvery?: number;
      },
    ) {
      const draws = servicesFor(dbFor(this)).draws.history();
      if (draws.length === 0) throw new CliFailure('No draws stored yet. Load them with `hogi sync` or `hogi import FILE`, then train.');
      if (opts.stacking) return trainStackingAction(draws, opts);
      if (opts.from !== undefined || opts.to !== undefined || opts.retrainEvery !== undefined) throw new UsageError('--from, --to and --retrain-every go with --stacking');
      const families: ModelFamily[] = opts.family === 'all' ? [...FAMILIES] : [opts.family as ModelFamily];
      const machines = opts.pooled ? [...opts.machine, 'all' as const] : opts.machine;
      const dir = resolve(opts.modelsDir ?? cliConfig().modelsDir ?? DEFAULT_MODELS_DIR);
      // Training code and tfjs load here, not with the CLI: `hogi --help` and the light commands stay fast.
      const { trainModels, trainTargets } = await import('../../service/training.js');
      if (families.includes('transformer')) await initTf();
      const progress = progressReporter(opts.json === true);
      let results;
      try {
        results = await trainModels(draws, modelStore(dir), { targets: trainTargets(machines, families), config: opts.config, seed: opts.seed, onEvent: progress.onEvent });
      } finally {
        progress.stop();
      }
      if (opts.json) printJson(results.map(({ model: _model, ...r }) => r));
      else {
        process.stdout.write(
          `${renderTable(results, [
            { header: 'model', value: (r) => r.key },
            { header: 'draws', value: (r) => r.manifest?.trainedRounds.count ?? null, align: 'right' },
            { header: 'rounds', value: (r) => (r.manifest ? `${r.manifest.trainedRounds.from}–${r.manifest.trainedRounds.to}` : null) },
            { header: 'val log-loss', value: (r) => (r.manifest ? fmt(Number(r.manifest.validation.logLoss)) : null), align: 'right' },
            { header: 'uniform', value: (r) => (r.manifest ? fmt(Number(r.manifest.validation.uniformLogLoss)) : null), align: 'right' },
            { header: 'time', value: (r) => (r.manifest ? `${(r.manifest.trainingMs / 1000).toFixed(1)} s` : null), align: 'right' },
            { header: 'size', value: (r) => (r.manifest ? `${(r.manifest.sizeBytes / 1024).toFixed(0)} KiB` : null), align: 'right' },
            { header: 'status', value: (r) => r.error ?? 'saved' },
          ])}\nsaved under ${dir}\n`,
        );
      }
      await refreshServedOnnx(draws, dir, results.filter((r) => r.manifest !== null).map((r) => r.key));
      if (results.some((r) => r.error)) process.exitCode = 1;
    });
}

/** A models directory that serves ONNX (it has an export in <models>/.onnx) gets the retrained models re-exported. */
async function refreshServedOnnx(draws: readonly Draw[], dir: string, keys: string[]): Promise<void> {
  const { exportOnnx, readExportManifest, servingOnnxDir } = await import('../../service/onnx/export.js');
  const onnxDir = servingOnnxDir(dir);
  let served = false;
  try {
    served = readExportManifest(onnxDir) !== null;
  } catch {
    served = true; // a corrupt export is rewritten
  }
  if (!served || keys.length === 0) return;
  await initTf();
  const r = await exportOnnx({ store: modelStore(dir), draws, outDir: onnxDir, keys });
  process.stderr.write(`re-exported ${r.exported.length} ONNX file(s) for serving to ${onnxDir}\n`);
  for (const f of r.failures) process.stderr.write(`  ${f.key}: ONNX export failed (${f.error}); the server falls back to tfjs for it\n`);
}

/** The wasm tfjs backend (cpu with a note on stderr when wasm cannot load), imported on use. */
async function initTf(): Promise<void> {
  const tf = await import('../../runtime/tfjs.js');
  await tf.initTf('wasm', (m) => process.stderr.write(`${m}\n`));
}

/** `hogi train --stacking`: walk-forward records → StackingCombiner → <models dir>/stacking-<config>.json. */
async function trainStackingAction(
  draws: Draw[],
  opts: { pooled?: boolean; config: ConfigName; seed: number; modelsDir?: string; json?: boolean; from?: number; to?: number; retrainEvery?: number },
): Promise<void> {
  const latest = draws[draws.length - 1].round;
  const to = opts.to ?? latest;
  const from = opts.from ?? Math.max(2, to - DEFAULT_STACKING_TARGETS + 1);
  const retrainEvery = opts.retrainEvery ?? DEFAULT_RETRAIN_EVERY;
  if (from > to) throw new UsageError(`--from (${from}) must not exceed --to (${to})`);
  if (retrainEvery < 1) throw new UsageError(`--retrain-every must be ≥ 1, got ${retrainEvery}`);
  const dir = resolve(opts.modelsDir ?? cliConfig().modelsDir ?? DEFAULT_MODELS_DIR);
  const scope = opts.pooled ? 'pooled' : 'machine';
  await initTf();
  const started = performance.now();
  let result;
  try {
    result = await trainStacking(draws, {
      from,
      to,
      retrainEvery,
      scope,
      config: opts.config,
      seed: opts.seed,
      modelsDir: dir,
      onProgress: (e) => {
        if (opts.json) return;
        if (e.type === 'fit') {
          const who = e.modelMachine === 'all' ? 'pooled' : `${e.modelMachine}호기`;
          process.stderr.write(`block ${e.block}/${e.blocks}: trained ${e.family} (${who}) on draws through round ${e.trainedThroughRound}\n`);
        }
      },
    });
  } catch (e) {
    throw new CliFailure(`stacking not trained: ${(e as Error).message}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const st = result.file.combiner.state!;
  if (opts.json) {
    printJson({ path: result.path, seconds, ...result.file });
    return;
  }
  process.stdout.write(
    [
      `stacking meta-model (${scope === 'pooled' ? 'pooled models' : 'per-machine models'}, ${opts.config}) fitted on ${st.records} walk-forward predictions of rounds ${from}–${to}, models retrained every ${retrainEvery} rounds`,
      `coefficients: transformer ${st.transformer.toFixed(4)}, ensemble ${st.ensemble.toFixed(4)}, intercept ${st.intercept.toFixed(4)} (0 = the family adds nothing beyond chance)`,
      `every record's models were trained only on draws before its target round; ${seconds.toFixed(1)} s`,
      `saved ${result.path}`,
    ].join('\n') + '\n',
  );
}
