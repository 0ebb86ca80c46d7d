import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { writeFileAtomically } from '../../data/exportService.js';
import type { FairnessReport, FairnessScopeSpec, FairnessTestResult } from '../../domain/fairness/index.js';
import { formatP } from '../../domain/fairness/options.js';
import { KNOWN_MACHINES } from '../../domain/machine.js';
import { DEFAULT_FAIRNESS_SEED } from '../../service/fairness.js';
import { dbFor } from '../context.js';
import { checkRoundRange, CliFailure, parsePositiveIntOption, parseRangeOption, UsageError } from '../errors.js';
import { printJson, renderTable } from '../output.js';
import { machineOption } from './draws.js';
import { servicesFor } from '../../service/services.js';

function scopeOption(value: string): FairnessScopeSpec {
  if (value.trim().toLowerCase() === 'all') return 'all';
  const m = machineOption(value);
  if (!KNOWN_MACHINES.includes(m)) throw new UsageError(`--machine must be all or one of ${KNOWN_MACHINES.join(', ')}, got "${value}"`);
  return m;
}

function effectCell(t: FairnessTestResult): string {
  const p = t.power;
  const unit = p.effectUnit === 'ratio' ? '×' : ' ρ';
  if (p.detectableEffect === null) return `> ${p.maxEffectTried.toFixed(2)}${unit}`;
  return p.effectUnit === 'ratio' ? `${p.detectableEffect.toFixed(2)}×` : `ρ ${p.detectableEffect.toFixed(3)}`;
}

/** People's view: per scope, its conclusion and a table of the tests. */
export function renderFairness(report: FairnessReport): string {
  const out: string[] = [];
  for (const s of report.scopes) {
    out.push(`${s.label.en} — ${s.draws} draws${s.fromRound !== null ? ` (rounds ${s.fromRound}–${s.toRound})` : ''}`);
    out.push(`  ${s.conclusion.en}`);
    out.push(`  ${s.conclusion.ko}`);
    if (s.tests.length > 0) {
      out.push('');
      out.push(
        renderTable(s.tests, [
          { header: 'test', value: (t) => t.test },
          { header: 'statistic', value: (t) => t.statistic.toFixed(2), align: 'right' },
          { header: 'df', value: (t) => t.df, align: 'right' },
          { header: 'p', value: (t) => formatP(t.pValue), align: 'right' },
          { header: 'p method', value: (t) => t.pMethod },
          { header: 'Holm p', value: (t) => formatP(t.adjustedP), align: 'right' },
          { header: 'detectable (80% power)', value: effectCell, align: 'right' },
        ])
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n'),
      );
    }
    out.push('');
  }
  out.push(`Effect models: ${[...new Set(report.scopes.flatMap((s) => s.tests.map((t) => `${t.test}: ${t.power.effectModel}`)))].join('; ')}.`);
  out.push(`${report.correction} Seed ${report.params.seed}; ${report.params.permutations} permutations, ${report.params.nullSimulations} null and ${report.params.powerSimulations} power simulations per point.`);
  return out.join('\n');
}

export function fairnessCommand(): Command {
  return new Command('fairness')
    .description('test whether the draws, all together and per machine (호기), look like fair 6-of-45 draws; with each test\'s power')
    .option('--machine <m>', 'one scope: 1, "1", "1호기" or all (default: all machines together, then each machine)', scopeOption)
    .option('--from <round>', 'first round', parsePositiveIntOption('--from'))
    .option('--to <round>', 'last round', parsePositiveIntOption('--to'))
    .option('--seed <s>', 'seed for permutations and simulations (0..2147483647)', parseRangeOption('--seed', 0, 2147483647), DEFAULT_FAIRNESS_SEED)
    .option('--permutations <n>', 'machine-label shuffles for the machines-differ test', parsePositiveIntOption('--permutations'), 2000)
    .option('--null-simulations <n>', 'fair data sets calibrating the pair and gap tests', parsePositiveIntOption('--null-simulations'), 1000)
    .option('--power-simulations <n>', 'data sets per point of each power curve', parsePositiveIntOption('--power-simulations'), 200)
    .option('--json', 'print JSON for scripts')
    .option('--out <dir>', 'also write fairness.json into this directory')
    .action(async function (
      this: Command,
      opts: { machine?: FairnessScopeSpec; from?: number; to?: number; seed: number; permutations: number; nullSimulations: number; powerSimulations: number; json?: boolean; out?: string },
    ) {
      checkRoundRange(opts.from, opts.to);
      if (opts.nullSimulations < 20) throw new UsageError(`--null-simulations must be ≥ 20, got ${opts.nullSimulations}`);
      if (opts.powerSimulations < 10) throw new UsageError(`--power-simulations must be ≥ 10, got ${opts.powerSimulations}`);
      const services = servicesFor(dbFor(this));
      if (services.draws.isEmpty()) throw new CliFailure('No draws stored yet. Load them with `hogi sync` or `hogi import FILE`.');
      const report = await services.fairness().report({
        ...(opts.machine !== undefined ? { machines: [opts.machine] } : {}),
        from: opts.from,
        to: opts.to,
        seed: opts.seed,
        permutations: opts.permutations,
        nullSimulations: opts.nullSimulations,
        powerSimulations: opts.powerSimulations,
      });
      if (opts.out) {
        mkdirSync(opts.out, { recursive: true });
        writeFileAtomically(join(opts.out, 'fairness.json'), `${JSON.stringify(report, null, 2)}\n`);
      }
      if (opts.json) return printJson(report);
      process.stdout.write(`${renderFairness(report)}\n`);
    });
}
