import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { writeFileAtomically } from '../../data/exportService.js';
import { parsePrizeRoundsCsv } from '../../data/prizeRoundsCsv.js';
import { renderPopularityReportHtml } from '../../service/popularity/report.js';
import { PopularityDataError, PopularityService, type PrizeRoundSource } from '../../service/popularity/service.js';
import { servicesFor } from '../../service/services.js';
import { dbFor } from '../context.js';
import { CliFailure, parsePositiveIntOption, UsageError } from '../errors.js';
import { printJson, renderTable } from '../output.js';

interface SourceOpts {
  drawsCsv?: string;
  prizesCsv?: string;
}

/** Prize rounds read once from draws.csv + prizes.csv (both required together). */
export function csvPrizeSource(drawsCsv: string | undefined, prizesCsv: string | undefined): PrizeRoundSource {
  if (drawsCsv === undefined || prizesCsv === undefined) throw new UsageError('--draws-csv and --prizes-csv go together');
  const read = (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch (e) {
      throw new CliFailure(`cannot read ${p}: ${(e as Error).message}`);
    }
  };
  const rounds = parsePrizeRoundsCsv(read(drawsCsv), read(prizesCsv), { draws: drawsCsv, prizes: prizesCsv });
  return () => rounds;
}

/** Prize rounds from the two CSV files when given, else from the database's stored five tiers (the shipped snapshot fills them). */
function sourceFor(cmd: Command, opts: SourceOpts): PrizeRoundSource {
  if (opts.drawsCsv !== undefined || opts.prizesCsv !== undefined) return csvPrizeSource(opts.drawsCsv, opts.prizesCsv);
  return servicesFor(dbFor(cmd)).prizeSource();
}

function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PopularityDataError) throw new CliFailure(e.message);
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

export function parseCombination(value: string): number[] {
  const parts = value.split(/[,\s]+/).filter((s) => s !== '');
  const nums = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  if (nums.some((n) => Number.isNaN(n))) throw new UsageError(`numbers must be six whole numbers like 1,2,3,4,5,6, got "${value}"`);
  return nums;
}

const fmtWon = (x: number) => `${Math.round(x).toLocaleString('en')}`;

function withSource(cmd: Command): Command {
  return cmd
    .option('--draws-csv <file>', 'optional: read draws (numbers, sales) from this CSV instead of the database (default: the stored draws and prize tiers)')
    .option('--prizes-csv <file>', 'optional: read the five prize tiers from this CSV instead of the database (with --draws-csv)');
}

export function popularityCommand(): Command {
  const cmd = new Command('popularity').description('how many other players share a combination\'s prize (co-winner ratio per tier); never the odds of winning');

  cmd.addCommand(
    withSource(new Command('score'))
      .description('score one combination: predicted co-winner ratio per tier and expected prize per winner if it wins')
      .argument('<numbers>', 'six numbers, e.g. 1,2,3,4,5,6')
      .option('--json', 'print JSON for scripts')
      .action(function (this: Command, numbers: string, opts: SourceOpts & { json?: boolean }) {
        const service = new PopularityService(sourceFor(this, opts));
        const s = guard(() => service.score(parseCombination(numbers)));
        if (opts.json) return printJson(s);
        const out: string[] = [`${s.numbers.join(', ')} — for the round after ${s.after_round}`];
        out.push(
          renderTable(['1', '2', '3', '4', '5'] as const, [
            { header: 'tier', value: (k) => k },
            { header: 'co-winner ratio', value: (k) => s.ratio[k].toFixed(3), align: 'right' },
            { header: 'prize if won (gross ₩)', value: (k) => (k <= '3' ? fmtWon(s.expected_prize_if_won[k as '1'].gross) : 'fixed'), align: 'right' },
            { header: 'after tax ₩', value: (k) => (k <= '3' ? fmtWon(s.expected_prize_if_won[k as '1'].after_tax) : 'fixed'), align: 'right' },
            { header: 'average combination ₩', value: (k) => (k <= '3' ? fmtWon(s.average_combination.expected_prize_if_won[k as '1'].gross) : 'fixed'), align: 'right' },
          ]),
        );
        out.push(s.note.en, s.note.ko);
        process.stdout.write(`${out.join('\n')}\n`);
      }),
  );

  cmd.addCommand(
    withSource(new Command('backtest'))
      .description('walk-forward: a model fitted only on earlier rounds scores each round\'s winning combination')
      .requiredOption('--from <round>', 'first round scored', parsePositiveIntOption('--from'))
      .requiredOption('--to <round>', 'last round scored', parsePositiveIntOption('--to'))
      .option('--retrain-every <k>', 'refit the model every k rounds', parsePositiveIntOption('--retrain-every'), 10)
      .option('--seed <s>', 'seed for the bootstrap and permutations', parsePositiveIntOption('--seed'), 14)
      .option('--json', 'print JSON for scripts')
      .option('--out <dir>', 'write report.json and report.html into this directory')
      .action(function (this: Command, opts: SourceOpts & { from: number; to: number; retrainEvery: number; seed: number; json?: boolean; out?: string }) {
        if (opts.from > opts.to) throw new UsageError(`--from ${opts.from} is after --to ${opts.to}`);
        const service = new PopularityService(sourceFor(this, opts));
        const progress = process.stderr.isTTY && !opts.json;
        const rep = guard(() =>
          service.backtest({
            from: opts.from,
            to: opts.to,
            retrainEvery: opts.retrainEvery,
            seed: opts.seed,
            onProgress: progress ? (d, t) => process.stderr.write(`\rround ${d}/${t}`) : undefined,
          }),
        );
        if (progress) process.stderr.write('\n');
        if (opts.out) {
          mkdirSync(opts.out, { recursive: true });
          writeFileAtomically(join(opts.out, 'report.json'), `${JSON.stringify(rep, null, 2)}\n`);
          writeFileAtomically(join(opts.out, 'report.html'), renderPopularityReportHtml(rep));
        }
        if (opts.json) return printJson({ rounds: rep.rounds, summary: rep.summary });
        const keys = ['1', '2', '3', '4', '5'] as const;
        process.stdout.write(
          `Popularity backtest, rounds ${rep.from}–${rep.to} (${rep.rounds.length} rounds, refit every ${rep.retrain_every})\n` +
            renderTable(
              keys.filter((k) => rep.summary.tiers[k] !== null),
              [
                { header: 'tier', value: (k) => k },
                { header: 'Pearson', value: (k) => rep.summary.tiers[k]?.pearson.toFixed(3), align: 'right' },
                { header: '95% CI', value: (k) => `[${rep.summary.tiers[k]?.pearson_ci95.low.toFixed(3)}, ${rep.summary.tiers[k]?.pearson_ci95.high.toFixed(3)}]` },
                { header: 'perm. p', value: (k) => rep.summary.tiers[k]?.permutation_p.toPrecision(2), align: 'right' },
                { header: 'Spearman', value: (k) => rep.summary.tiers[k]?.spearman.toFixed(3), align: 'right' },
                { header: 'realized least/most popular quintile', value: (k) => `${rep.summary.tiers[k]?.least_popular_quintile.mean_realized_ratio.toFixed(3)} / ${rep.summary.tiers[k]?.most_popular_quintile.mean_realized_ratio.toFixed(3)}` },
              ],
            ) +
            '\n' +
            rep.summary.goals.map((g) => `${!g.applies ? 'n/a    ' : g.met ? 'met    ' : 'NOT met'}  ${g.goal}: ${g.measured === null ? '-' : g.measured.toFixed(3)}`).join('\n') +
            '\n' +
            (rep.summary.goals.some((g) => !g.applies) ? 'The goals are judged only over rounds 939–1238; over this window they are shown for reference.\n' : ''),
        );
      }),
  );
  return cmd;
}
