import { Command, Option } from 'commander';
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NotTrainedError } from '../../combination/stacking.js';
import type { Machine } from '../../domain/machine.js';
import type { CombinationMethod } from '../../service/predictions/combine.js';
import type { PredictionLogger } from '../../service/predictions/parallel.js';
import { DEFAULT_RUNTIME } from '../../service/onnx/serving.js';
import { ALGORITHMS, COMBINATION_METHODS, NoDataError, NoPopularityDataError, PredictionService, type PredictionResponse } from '../../service/predictions/service.js';
import { DEFAULT_MODELS_DIR } from '../../service/modelStore.js';
import type { ConfigName } from '../../service/registry.js';
import { InfeasibleRequestError } from '../../strategies/sets.js';
import { cliConfig, dbFor, defaultCliContext, type CliContext } from '../context.js';
import { CliFailure, UsageError, parseIntOption, parseRangeOption } from '../errors.js';
import { printJson, renderTable } from '../output.js';
import { familiesFromWire, predictionToWire, WIRE_MODEL_NAMES, type PredictionOnWire } from '../../api/wireNames.js';
import type { ModelFamily } from '../../models/families.js';

function machineOption(value: string): Machine | 'all' {
  if (value === 'all') return 'all';
  if (/^[123](호기)?$/.test(value.trim())) return Number(value.trim()[0]);
  throw new UsageError(`--machine must be 1, 2, 3 or all, got "${value}"`);
}

function numberList(name: string) {
  return (value: string): number[] => {
    const parts = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const bad = parts.filter((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 45);
    if (bad.length) throw new UsageError(`${name} takes numbers 1..45 separated by commas, got "${value}"`);
    return parts.map(Number);
  };
}

/** Warnings (a family that failed or timed out) as plain lines on stderr. */
function stderrLogger(): PredictionLogger {
  const line = (obj: object, msg?: string) => {
    const err = (obj as { err?: { message?: string } }).err?.message;
    process.stderr.write(`warning: ${msg ?? ''}${err ? `: ${err}` : ''}\n`);
  };
  return { info: () => undefined, warn: line, error: line };
}

/** Write the response as res.json: to a temporary file first, then renamed into place. */
function writeAtomically(path: string, value: unknown): void {
  const target = resolve(path);
  const tmp = `${target}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, target);
}

const pct = (x: number) => `${(Math.floor(x * 1000) / 10).toFixed(1)}%`;
const balls = (ns: readonly number[]) => ns.map((n) => String(n).padStart(2, '0')).join(' ');

/** The families as people know them (by family, or by the wire name the JSON output and the API keep). */
const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  transformer: 'Transformer',
  ensemble: 'RF/GB/MLP ensemble',
  frequency_baseline: 'frequency baseline',
};
const FAMILY_BY_WIRE: Readonly<Record<string, ModelFamily>> = Object.fromEntries(WIRE_MODEL_NAMES.map((n) => [n, familiesFromWire([n])[0]]));
export const displayName = (name: string): string => DISPLAY_NAMES[FAMILY_BY_WIRE[name] ?? name] ?? name;

function render(r: PredictionOnWire<PredictionResponse>): string {
  const md = r.metadata;
  const out: string[] = [];
  out.push(`target round ${md.target_round} · ${md.algorithm} · ${md.combination_method} · model ${md.model_version} · seed ${md.seed}`);
  for (const m of md.machines) {
    const w = m.weights ? ` (${Object.entries(m.weights).map(([k, v]) => `${displayName(k)} ${(v as number).toFixed(2)}`).join(', ')})` : '';
    out.push(`${m.machine_type} ${m.strategy}: ${m.combination_method}${w} using ${m.models_used.map(displayName).join(' + ')}${m.fallback ? ' [fallback]' : ''}`);
    for (const reason of m.fallback_reasons) out.push(`  fallback: ${reason}`);
  }
  if (md.method_reason) out.push(`note: ${md.method_reason}`);
  out.push('');
  out.push(
    renderTable(r.predictions, [
      { header: '#', value: (p) => p.set_number, align: 'right' },
      { header: 'machine', value: (p) => p.machine_type },
      { header: 'numbers', value: (p) => balls(p.numbers) },
      { header: 'percentile', value: (p) => pct(p.confidence_score), align: 'right' },
      { header: 'expected matches', value: (p) => `${p.expected_matches.toFixed(3)} vs ${md.chance_expected_matches.toFixed(1)}`, align: 'right' },
      ...(r.predictions.some((p) => p.popularity)
        ? [
            { header: 'co-winner ratio t1/t2/t3', value: (p: PredictionResponse['predictions'][number]) => (p.popularity ? `${p.popularity.ratio['1'].toFixed(2)}/${p.popularity.ratio['2'].toFixed(2)}/${p.popularity.ratio['3'].toFixed(2)}` : '-'), align: 'right' as const },
            { header: '1st prize if won ₩', value: (p: PredictionResponse['predictions'][number]) => (p.popularity ? p.popularity.expected_prize_if_won['1'].toLocaleString('en') : '-'), align: 'right' as const },
          ]
        : []),
    ]),
  );
  out.push('');
  const avg = md.average_combination_popularity;
  if (avg) out.push(`an average combination: ratio 1, 1st prize if won ${avg.expected_prize_if_won['1'].toLocaleString('en')} ₩ (the ratio changes only how many share a prize, never the chance of winning)`, '');
  for (const p of r.predictions) {
    out.push(`#${p.set_number} ${p.machine_type} ${balls(p.numbers)}`);
    for (const e of p.explanation) out.push(`   - ${e}`);
  }
  if (md.differentiation) {
    const d = md.differentiation;
    out.push('');
    out.push(
      `differentiation between machines: ${pct(d.score)} of the ${d.distinct_numbers} numbers used are not shared (${d.shared_numbers.length} shared); the design claims 70%+`,
    );
  }
  if (md.dropped_below_threshold > 0) out.push(`${md.dropped_below_threshold} set(s) below the confidence threshold were dropped`);
  out.push('');
  out.push(
    'percentile = rank of the set among all 8,145,060 combinations by the scorer (models, or the frequency baseline), not a chance of winning; ' +
      'expected matches assume that scorer is right: in fact every set expects exactly 0.8.',
  );
  return out.join('\n');
}

interface PredictOptions {
  machine: Machine | 'all';
  sets: number;
  method?: CombinationMethod;
  algorithm?: 'basic' | 'enhanced' | 'premium';
  seed?: number;
  include?: number[];
  exclude?: number[];
  window: number;
  lang: 'ko' | 'en';
  out?: string;
  json?: boolean;
  modelsDir?: string;
  config: ConfigName;
  timeoutMs?: number;
  avoidSharing?: boolean;
  runtime?: 'onnx' | 'tfjs';
}

export function predictCommand(ctx: CliContext = defaultCliContext): Command {
  return new Command('predict')
    .description('number sets for the next draw per machine (호기) from the trained models, stored and scored when the draw arrives')
    .requiredOption('--machine <m>', 'machine: 1, 2, 3 or all (the three side by side, with their differentiation)', machineOption)
    .option('--sets <n>', 'sets per machine (1..20)', parseRangeOption('--sets', 1, 20), 5)
    .addOption(new Option('--method <m>', 'combination of the two model families (with --algorithm enhanced)').choices([...COMBINATION_METHODS]))
    .addOption(new Option('--algorithm <a>', 'basic (frequency baseline), enhanced (models, default) or premium (best-ranked method)').choices([...ALGORITHMS]))
    .option('--seed <n>', 'seed for reproducible sets, 0..4294967295 (random and reported when absent)', parseRangeOption('--seed', 0, 4294967295))
    .option('--include <list>', 'numbers every set must contain, e.g. 3,17 (at most 5)', numberList('--include'))
    .option('--exclude <list>', 'numbers no set may contain (at most 39)', numberList('--exclude'))
    .option('--window <n>', 'analysis window in draws of the machine (10..100)', parseRangeOption('--window', 10, 100), 50)
    .addOption(new Option('--lang <l>', 'language of the explanations').choices(['ko', 'en']).default('ko'))
    .option('--out <file>', 'also write the response (the API format) to this file, e.g. res.json')
    .option('--json', 'print the response as JSON')
    .option('--models-dir <dir>', 'trained models (env HOGI_MODELS_DIR; default ./data/models)')
    .addOption(new Option('--config <c>', 'which trained models to use').choices(['small', 'reference']).default('small'))
    .option('--timeout-ms <n>', 'time limit per model family for inference', parseIntOption('--timeout-ms'))
    .addOption(new Option('--runtime <r>', 'inference runtime: onnx (the exported files, tfjs where one is missing) or tfjs (env HOGI_RUNTIME; default onnx)').choices(['onnx', 'tfjs']))
    .option('--avoid-sharing', 'keep only sets predicted to be shared little if they win (co-winner ratio ≤ 0.85 in tiers 1-3); never better odds')
    .addHelpText(
      'after',
      '\nModels come from `hogi train` (per machine, or --pooled). A family that is missing, fails or times out\n' +
        'is replaced by the other; with neither, the frequency baseline is used, and the output says so.',
    )
    .action(async function (this: Command, opts: PredictOptions) {
      if (opts.method && opts.algorithm && opts.algorithm !== 'enhanced') throw new UsageError(`--method applies to --algorithm enhanced, not ${opts.algorithm}`);
      if (opts.timeoutMs !== undefined && opts.timeoutMs < 1) throw new UsageError(`--timeout-ms must be ≥ 1, got ${opts.timeoutMs}`);
      const db = dbFor(this);
      const service = new PredictionService({
        db,
        modelsDir: resolve(opts.modelsDir ?? cliConfig().modelsDir ?? DEFAULT_MODELS_DIR),
        config: opts.config,
        timeoutMs: opts.timeoutMs,
        runtime: opts.runtime ?? cliConfig().runtime ?? DEFAULT_RUNTIME,
        logger: stderrLogger(),
        now: ctx.now,
      });
      try {
        let response: PredictionOnWire<PredictionResponse>;
        try {
          // Printed and written in the API's shape, the families under their wire names.
          response = predictionToWire(await service.generate({
            machine: opts.machine,
            count: opts.sets,
            algorithm: opts.algorithm ?? 'enhanced',
            method: opts.method,
            window: opts.window,
            seed: opts.seed,
            include: opts.include,
            exclude: opts.exclude,
            lang: opts.lang,
            avoidSharing: opts.avoidSharing === true,
            source: 'cli',
          }));
        } catch (e) {
          if (e instanceof InfeasibleRequestError) throw new CliFailure(`cannot make these sets: ${e.message}`);
          if (e instanceof NotTrainedError || e instanceof NoDataError || e instanceof NoPopularityDataError) throw new CliFailure(e.message);
          throw e;
        }
        if (opts.out) writeAtomically(opts.out, response);
        if (opts.json) printJson(response);
        else process.stdout.write(`${render(response)}\n${opts.out ? `written to ${resolve(opts.out)}\n` : ''}`);
      } finally {
        await service.close();
        db.close();
      }
    });
}
