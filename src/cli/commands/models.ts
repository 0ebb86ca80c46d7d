import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import type { ModelFamily } from '../../service/modelManager.js';
import { DEFAULT_MODELS_DIR, modelStore } from '../../service/modelStore.js';
import { cliConfig, dbFor } from '../context.js';
import { CliFailure, UsageError, parseIntOption } from '../errors.js';
import { printJson, renderTable } from '../output.js';
import { servicesFor } from '../../service/services.js';

function machineOption(value: string, previous: Array<number | 'all'> | undefined): Array<number | 'all'> {
  let v: number | 'all';
  if (value === 'all' || value === 'pooled') v = 'all';
  else if (/^[123](호기)?$/.test(value)) v = Number(value[0]);
  else throw new UsageError(`--machine must be 1, 2, 3 or all (the pooled model), got "${value}"`);
  return [...(previous ?? []), v];
}

const sci = (x: number) => (x === 0 ? '0' : x.toExponential(1));

function exportCommand(): Command {
  return new Command('export')
    .description('export every trained model to ONNX files (with ONNX test data and a manifest), checked against the tfjs output')
    .addOption(new Option('--format <format>', 'export format').choices(['onnx']).default('onnx'))
    .option('--out <dir>', 'directory to write, one folder per model plus manifest.json (default: <models dir>/.onnx, which `hogi serve --runtime onnx` serves)')
    .option('--machine <m>', 'only the models of machine 1, 2, 3, or all (the pooled model); repeatable', machineOption)
    .addOption(new Option('--family <f>', 'only this model family').choices(['transformer', 'ensemble', 'all']).default('all'))
    .option('--models-dir <dir>', 'where the trained models are (env HOGI_MODELS_DIR; default ./data/models)')
    .option('--random-windows <n>', 'random history windows the parity check runs on (default 100)', parseIntOption('--random-windows'))
    .option('--seed <n>', 'seed of the random windows', parseIntOption('--seed'))
    .option('--json', 'print the export manifest as JSON')
    .action(async function (
      this: Command,
      opts: { format: 'onnx'; out?: string; machine?: Array<number | 'all'>; family: string; modelsDir?: string; randomWindows?: number; seed?: number; json?: boolean },
    ) {
      if (opts.randomWindows !== undefined && opts.randomWindows < 0) throw new UsageError(`--random-windows must be ≥ 0, got ${opts.randomWindows}`);
      const store = modelStore(resolve(opts.modelsDir ?? cliConfig().modelsDir ?? DEFAULT_MODELS_DIR));
      const draws = servicesFor(dbFor(this)).draws.history();
      if (draws.length === 0) throw new CliFailure('No draws stored yet: the export needs the history for its test windows. Load them with `hogi sync` or `hogi import FILE`.');
      if (store.list().length === 0) throw new CliFailure(`No trained models in ${store.root}; train them with \`hogi train\`.`);
      // tfjs (to check every file against the model it came from) and onnxruntime load only here.
      const tf = await import('../../runtime/tfjs.js');
      await tf.initTf('wasm', (m) => process.stderr.write(`${m}\n`));
      const { exportOnnx, servingOnnxDir } = await import('../../service/onnx/export.js');
      const out = opts.out ?? servingOnnxDir(store.root);
      const families: ModelFamily[] | undefined = opts.family === 'all' ? undefined : [opts.family as ModelFamily];
      const result = await exportOnnx({
        store,
        draws,
        outDir: out,
        machines: opts.machine,
        families,
        randomWindows: opts.randomWindows,
        seed: opts.seed,
        onProgress: opts.json ? undefined : (m) => process.stderr.write(`${m}\n`),
      });
      if (opts.json) printJson({ ...result.manifest, failures: result.failures });
      else {
        process.stdout.write(
          `${renderTable(result.exported, [
            { header: 'file', value: (m) => m.file },
            { header: 'source', value: (m) => m.sourceKey },
            { header: 'input', value: (m) => `${m.inputs[0].name} [${m.inputs[0].dims.join(', ')}]` },
            { header: 'size', value: (m) => `${(m.sizeBytes / 1024).toFixed(0)} KiB`, align: 'right' },
            { header: 'max |onnx-tfjs| test', value: (m) => sci(m.parity.testWindowMaxAbsDiff), align: 'right' },
            { header: `random (${result.exported[0]?.parity.randomWindows ?? 0})`, value: (m) => sci(m.parity.randomMaxAbsDiff), align: 'right' },
            { header: 'parity', value: (m) => (m.parity.passed ? 'ok' : 'FAILED') },
          ])}\n`,
        );
        process.stdout.write(`wrote ${result.exported.length} ONNX files and manifest.json to ${resolve(out)} (opsets ${Object.entries(result.manifest.opsets).map(([d, v]) => `${d} ${v}`).join(', ')})\n`);
      }
      if (result.failures.length) {
        for (const f of result.failures) process.stderr.write(`  ${f.key}: ${f.error}\n`);
        throw new CliFailure(`${result.failures.length} model(s) could not be exported or failed the parity check (see above)`);
      }
      if (result.exported.length === 0) throw new CliFailure('no trained model matches --machine/--family');
    });
}

export function modelsCommand(): Command {
  return new Command('models').description('work with the trained models (export them to ONNX)').addCommand(exportCommand());
}
