import { Command } from 'commander';
import { servicesFor } from '../../service/services.js';
import { formatMachine, isKnownMachine, KNOWN_MACHINES, parseMachine } from '../../domain/machine.js';
import { acValue, highLowRatio, lastDigitSum, oddEvenRatio, totalSum } from '../../domain/stats.js';
import { dbFor } from '../context.js';
import { parseCombination, printCombinationHistory } from './combinationCheck.js';
import { checkRoundRange, UsageError, parsePositiveIntOption } from '../errors.js';
import { printJson, renderTable } from '../output.js';

/** A known machine (1, "1" or "1호기" … 3); every command refuses the same way (exit 2). */
export function machineOption(value: string): number {
  let m: number;
  try {
    m = parseMachine(value);
  } catch {
    m = Number.NaN;
  }
  if (!isKnownMachine(m)) throw new UsageError(`--machine must be ${KNOWN_MACHINES.join(', ')} (or ${KNOWN_MACHINES.map((k) => `"${formatMachine(k)}"`).join(', ')}), got "${value}"`);
  return m;
}

export function drawsCommand(): Command {
  return new Command('draws')
    .description('list stored draws with their statistics')
    .option('--from <round>', 'first round', parsePositiveIntOption('--from'))
    .option('--to <round>', 'last round', parsePositiveIntOption('--to'))
    .option('--machine <m>', 'only this machine: 1, "1" or "1호기"', machineOption)
    .option('--limit <n>', 'only the newest n draws, listed newest first', parsePositiveIntOption('--limit'))
    .option('--check <numbers>', 'has this combination ever won? six numbers, e.g. 1,2,3,4,5,6', parseCombination)
    .option('--json', 'print JSON for scripts')
    .action(function (this: Command, opts: { from?: number; to?: number; machine?: number; limit?: number; json?: boolean; check?: number[] }) {
      if (opts.check) return printCombinationHistory(dbFor(this), opts.check, opts.json ?? false);
      checkRoundRange(opts.from, opts.to);
      const service = servicesFor(dbFor(this)).draws;
      const newestFirst = opts.limit !== undefined;
      const draws = service.list({ from: opts.from, to: opts.to, machine: opts.machine, limit: opts.limit, descending: newestFirst });
      draws.sort((a, b) => (newestFirst ? b.round - a.round : a.round - b.round));
      if (opts.json) return printJson(draws);
      if (draws.length === 0) {
        process.stdout.write(service.isEmpty() ? 'No draws stored yet. Load them with `hogi sync` or `hogi import FILE`.\n' : 'No draws match.\n');
        return;
      }
      process.stdout.write(
        `${renderTable(draws, [
          { header: 'round', value: (d) => d.round, align: 'right' },
          { header: 'date', value: (d) => d.date },
          { header: '호기', value: (d) => (d.machine === null ? null : formatMachine(d.machine)) },
          { header: 'numbers', value: (d) => d.numbers.map((n) => String(n).padStart(2)).join(' ') },
          { header: 'bonus', value: (d) => d.bonus, align: 'right' },
          { header: 'odd:even', value: (d) => oddEvenRatio(d.numbers) },
          { header: 'high:low', value: (d) => highLowRatio(d.numbers) },
          { header: 'AC', value: (d) => acValue(d.numbers), align: 'right' },
          { header: 'last-digit', value: (d) => lastDigitSum(d.numbers), align: 'right' },
          { header: 'sum', value: (d) => totalSum(d.numbers), align: 'right' },
        ])}\n`,
      );
    });
}
