import { Command } from 'commander';
import { readImportFile } from '../../data/importFile.js';
import type { ParseResult } from '../../data/formats/types.js';
import { combineInputs, countPlan, type Conflict, type ImportPlan } from '../../data/importService.js';
import { formatProblem } from '../../domain/problems.js';
import { scorePredictions } from '../../service/predictions/scoring.js';
import { servicesFor } from '../../service/services.js';
import { closeDb, dbFor } from '../context.js';
import { CliFailure } from '../errors.js';
import { printJson } from '../output.js';

const FORMAT_LABEL: Record<ParseResult['format'], string> = {
  resjson: 'res.json',
  'draws-csv': 'draws CSV',
  'machines-csv': 'machines CSV',
  'prizes-csv': 'prizes CSV',
  dhlottery: 'dhlottery API JSON',
  unknown: 'unknown format',
};

/** Files are read by size-checked, binary- and depth-aware readImportFile (src/data/importFile.ts). */
const readSource = (path: string): ParseResult => readImportFile(path);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function formatConflict(c: Conflict): string {
  const field = c.field === 'machine' ? 'machine (호기)' : c.field;
  return `${c.source}, record ${c.index}, round ${c.round}: ${field}: stored ${c.stored}, file has ${c.incoming}`;
}

function countsLine(plan: ImportPlan): string {
  const n = countPlan(plan);
  return `added ${n.added}, updated ${n.updated}, unchanged ${n.unchanged}, rejected ${n.rejected}`;
}

export function importCommand(): Command {
  return new Command('import')
    .description('load draws from res.json, draws CSV, machines CSV, prizes CSV or dhlottery API JSON files: all of them or nothing')
    .argument('<files...>', 'files to import; the format of each is detected from its content')
    .option('--overwrite', 'let the files replace stored values they disagree with (otherwise the import is refused)')
    .option('--dry-run', 'check everything and report what would change, without writing')
    .option('--json', 'print JSON for scripts')
    .addHelpText(
      'after',
      '\nA machines CSV only labels rounds that are stored or imported in the same command.\n' +
        'A res.json record without 보너스번호 and 추첨일 can only label or annotate a stored round.',
    )
    .action(async function (this: Command, files: string[], opts: { overwrite?: boolean; dryRun?: boolean; json?: boolean }) {
      const parsed = files.map(readSource);
      const db = dbFor(this);
      try {
        const draws = servicesFor(db).draws;
        const plan = draws.planImport(combineInputs(parsed), { overwrite: opts.overwrite ?? false });
        const write = plan.ok && !opts.dryRun;
        if (write) draws.applyImport(plan);
        // Stored predictions for rounds that just arrived get their matches and prize ranks.
        const scored = write ? scorePredictions(db) : { sets: 0, forecasts: 0 };
        const stored = draws.stored();

        if (opts.json) {
          printJson({
            files: parsed.map((p) => ({ source: p.source, format: p.format, records: p.records.length, problems: p.problems.length })),
            ...countPlan(plan),
            written: write && (plan.added.length > 0 || plan.updated.length > 0),
            dryRun: opts.dryRun ?? false,
            stored,
            problems: plan.problems,
            conflicts: plan.conflicts,
          });
        } else {
          const out: string[] = [];
          for (const p of parsed) out.push(`${p.source}: ${FORMAT_LABEL[p.format]}, ${plural(p.records.length, 'record')}${p.problems.length ? `, ${plural(p.problems.length, 'problem')}` : ''}`);
          if (plan.problems.length > 0) {
            process.stderr.write(`${plan.problems.length} problem${plan.problems.length === 1 ? '' : 's'}:\n${plan.problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}\n`);
          }
          if (plan.conflicts.length > 0) {
            const lines = plan.conflicts.map((c) => `  - ${formatConflict(c)}`);
            if (plan.overwrite) out.push(`overwriting ${plan.conflicts.length} stored value(s):`, ...lines);
            else process.stderr.write(`${plan.conflicts.length} conflict(s) with stored data:\n${lines.join('\n')}\n`);
          }
          const prefix = !plan.ok ? 'refused (nothing written), would have been: ' : opts.dryRun ? 'dry run (nothing written), would be: ' : '';
          out.push(`${prefix}${countsLine(plan)}`);
          if (plan.ok && plan.added.length === 0 && plan.updated.length === 0) {
            out.push(`Nothing ${opts.dryRun ? 'would change' : 'changed'}: all ${plan.unchanged.length} round(s) in the file(s) are already stored with the same values.`);
          } else if (write) {
            out.push(`stored now: ${stored.draws} draws, ${stored.labelled} with a machine (호기) label`);
          }
          if (scored.sets > 0) out.push(`scored ${scored.sets} stored prediction set(s) against the new draws`);
          process.stdout.write(`${out.join('\n')}\n`);
        }

        if (plan.problems.length > 0) {
          throw new CliFailure(`import refused: ${plan.problems.length} problem(s) in ${plan.rejected} record(s); nothing was written`);
        }
        if (!plan.ok) {
          throw new CliFailure(
            `import refused: ${plan.conflicts.length} value(s) differ from stored data${plan.conflicts.some((c) => c.field === 'machine') ? ' (including the 호기 of stored rounds)' : ''}; nothing was written. Re-run with --overwrite to replace them`,
          );
        }
      } finally {
        await closeDb(db);
      }
    });
}
