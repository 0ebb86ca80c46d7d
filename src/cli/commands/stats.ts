import { Command } from 'commander';
import { formatMachine } from '../../domain/machine.js';
import { servicesFor } from '../../service/services.js';
import { dbFor } from '../context.js';
import { parsePositiveIntOption } from '../errors.js';
import { printJson, renderTable } from '../output.js';
import { machineOption } from './draws.js';

const f2 = (x: number) => x.toFixed(2);

export function statsCommand(): Command {
  return new Command('stats')
    .description('number frequencies, gaps, hot/cold numbers and pattern averages over the last N draws')
    .option('--machine <m>', 'only draws of this machine: 1, "1" or "1호기"', machineOption)
    .option('--rounds <n>', 'window: the last N draws (of that machine)', parsePositiveIntOption('--rounds'), 50)
    .option('--json', 'print JSON for scripts')
    .action(function (this: Command, opts: { machine?: number; rounds: number; json?: boolean }) {
      const { draws, statistics } = servicesFor(dbFor(this));
      const w = statistics.window(opts.machine ?? null, opts.rounds);
      if (opts.json) {
        return printJson({ ...statistics.machineAnalysis(opts.machine ?? null, opts.rounds), window: w });
      }
      if (w.totalRounds === 0) {
        process.stdout.write(draws.isEmpty() ? 'No draws stored yet. Load them with `hogi sync` or `hogi import FILE`.\n' : 'No draws for that machine.\n');
        return;
      }
      const who = opts.machine === undefined ? 'all machines' : formatMachine(opts.machine);
      const out: string[] = [];
      out.push(`${who}: last ${w.totalRounds} draws (rounds ${w.startRound}–${w.endRound})`);
      out.push('');
      out.push(`hot:  ${w.hot.join(', ')}`);
      out.push(`cold: ${w.cold.join(', ')}`);
      out.push('');
      const a = w.averages;
      out.push(
        renderTable(
          [
            ['odd / even', `${f2(a.odd)} / ${f2(a.even)}`],
            ['high (23–45) / low', `${f2(a.high)} / ${f2(a.low)}`],
            ['AC value (0–10)', f2(a.ac)],
            ['last-digit sum', f2(a.lastDigitSum)],
            ['total sum', f2(a.totalSum)],
            ['sections 1–15 / 16–30 / 31–45', a.sections.map(f2).join(' / ')],
            ['consecutive pairs', f2(a.consecutivePairs)],
            ['primes / Fibonacci', `${f2(a.primes)} / ${f2(a.fibonacci)}`],
          ],
          [
            { header: 'average per draw', value: (r) => r[0] },
            { header: 'value', value: (r) => r[1], align: 'right' },
          ],
        ),
      );
      out.push('');
      out.push(
        renderTable(w.frequencies, [
          { header: 'number', value: (f) => f.number, align: 'right' },
          { header: 'count', value: (f) => f.count, align: 'right' },
          { header: 'share', value: (f) => `${(f.share * 100).toFixed(1)}%`, align: 'right' },
          { header: 'draws since', value: (f) => f.gap, align: 'right' },
        ]),
      );
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
