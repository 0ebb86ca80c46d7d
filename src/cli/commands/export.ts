import { Command, Option } from 'commander';
import { EXPORT_FORMATS, writeFileAtomically, type ExportFormat } from '../../data/exportService.js';
import { servicesFor } from '../../service/services.js';
import { dbFor } from '../context.js';
import { checkRoundRange, CliFailure, parsePositiveIntOption } from '../errors.js';
import { printJson } from '../output.js';
import { machineOption } from './draws.js';

interface ExportOpts {
  format: ExportFormat;
  out: string;
  from?: number;
  to?: number;
  machine?: number;
  includeUnlabelled?: boolean;
  json?: boolean;
}

export function exportCommand(): Command {
  return new Command('export')
    .description('write stored draws as res.json or CSV (importing the file again restores the same data)')
    .addOption(new Option('--format <format>', 'resjson, csv (draws) or prizes-csv (all five tiers and the first-prize split)').choices(EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption('--out <file>', 'output file (written whole or not at all)')
    .option('--from <round>', 'first round', parsePositiveIntOption('--from'))
    .option('--to <round>', 'last round', parsePositiveIntOption('--to'))
    .option('--machine <m>', 'only this machine: 1, "1" or "1호기"', machineOption)
    .option('--include-unlabelled', 'res.json: also write rounds without a known machine, with "호기": null')
    .option('--json', 'print a JSON summary for scripts')
    .action(function (this: Command, opts: ExportOpts) {
      checkRoundRange(opts.from, opts.to);
      const db = dbFor(this);
      try {
        const result = servicesFor(db).draws.export({ ...opts, now: new Date() });
        if (result.rounds === 0) {
          throw new CliFailure(`nothing to export: no stored draws match${result.skippedUnlabelled ? ` with a machine label (${result.skippedUnlabelled} unlabelled; add --include-unlabelled)` : ''}; ${opts.out} was not written`);
        }
        try {
          writeFileAtomically(opts.out, result.text);
        } catch (e) {
          throw new CliFailure(`cannot write ${opts.out}: ${(e as Error).message}`);
        }
        if (opts.json) return printJson({ out: opts.out, format: opts.format, rounds: result.rounds, skippedUnlabelled: result.skippedUnlabelled });
        const label = opts.format === 'csv' ? 'CSV' : opts.format === 'prizes-csv' ? 'prizes CSV' : 'res.json';
        const skipped = result.skippedUnlabelled ? `; ${result.skippedUnlabelled} round(s) without a machine label left out (add --include-unlabelled)` : '';
        process.stdout.write(`wrote ${result.rounds} round(s) to ${opts.out} as ${label}${skipped}\n`);
      } finally {
        db.close();
      }
    });
}
