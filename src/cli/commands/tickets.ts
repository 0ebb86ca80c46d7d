// hogi tickets add | list | check | summary | remove: the player's own tickets, checked against
// each round's draw and prize per winner (after tax). --json prints what the API answers.
import { Command } from 'commander';
import { summaryView, ticketView } from '../../api/routes/tickets.js';
import { DuplicateTicketError, TicketInputError, TicketNotFoundError, ticketsService, type Ticket, type TicketInput, type TicketsService } from '../../service/tickets/service.js';
import { dbFor } from '../context.js';
import { CliFailure, UsageError, parsePositiveIntOption } from '../errors.js';
import { printJson, renderTable } from '../output.js';

const won = (n: number) => `${n.toLocaleString('en-US')} won`;

function serviceFor(cmd: Command): TicketsService {
  return ticketsService({ db: dbFor(cmd) });
}

/** The service's refusals as one readable line (exit 1); never echoes a QR serial. */
function attempt<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TicketInputError) throw new CliFailure(`${e.field}: ${e.message} (${e.code})`);
    if (e instanceof DuplicateTicketError) throw new CliFailure(`${e.message}; nothing was added`);
    if (e instanceof TicketNotFoundError) throw new CliFailure(e.message);
    throw e;
  }
}

function numbersOption(value: string, previous: number[][] = []): number[][] {
  const parts = value.split(',').map((s) => s.trim());
  if (!parts.every((p) => /^\d{1,2}$/.test(p))) throw new UsageError(`--numbers must be six numbers 1..45 separated by commas, got "${value}"`);
  return [...previous, parts.map(Number)];
}

function gameText(t: Ticket): string[] {
  return t.games.map((g) => {
    const nums = g.numbers.map((n) => String(n).padStart(2)).join(' ');
    const r = g.result;
    let outcome = 'pending';
    if (r) {
      if (r.rank === null) outcome = `${r.matches} match${r.matches === 1 ? '' : 'es'}, no prize`;
      else if (r.amountPending) outcome = `rank ${r.rank}, amount pending`;
      else outcome = `rank ${r.rank}: ${won(r.prizeGross ?? 0)}, tax ${won(r.tax ?? 0)}, net ${won(r.prizeNet ?? 0)}`;
    }
    return `  ${g.slot} ${g.type.padEnd(9)} ${nums}  ${outcome}`;
  });
}

function printTicket(t: Ticket): void {
  const head = `ticket ${t.id}  round ${t.round}  ${t.source}${t.label ? `  "${t.label}"` : ''}  ${t.status}${t.amountPending ? ' (amount pending)' : ''}`;
  process.stdout.write(`${[head, ...gameText(t)].join('\n')}\n`);
}

export function ticketsCommand(): Command {
  const cmd = new Command('tickets').description('your own tickets: add (QR text or typed games), list, check against the draws, remove');

  cmd
    .command('add')
    .description('add a ticket from its QR text, or typed games with --round and --numbers')
    .argument('[qr-text]', 'the text of the ticket QR code (a m.dhlottery.co.kr or qr.dhlottery.co.kr URL; never fetched)')
    .option('--round <n>', 'round of the typed games', parsePositiveIntOption('--round'))
    .option('--numbers <list>', 'one game: six numbers 1..45, e.g. 1,2,3,4,5,6 (repeat for up to five games)', numbersOption)
    .option('--prediction <request-id>', 'save a stored prediction’s sets (at most five) as a ticket')
    .option('--label <text>', 'a label for the ticket')
    .option('--json', 'print JSON for scripts')
    .action(function (this: Command, qr: string | undefined, opts: { round?: number; numbers?: number[][]; prediction?: string; label?: string; json?: boolean }) {
      const kinds = [qr !== undefined, opts.round !== undefined || opts.numbers !== undefined, opts.prediction !== undefined].filter(Boolean).length;
      if (kinds !== 1) throw new UsageError('give the QR text, or --round with --numbers, or --prediction');
      let input: TicketInput;
      if (qr !== undefined) input = { qr, label: opts.label };
      else if (opts.prediction !== undefined) input = { predictionId: opts.prediction, label: opts.label };
      else {
        if (opts.round === undefined || opts.numbers === undefined) throw new UsageError('typed games need both --round and --numbers');
        input = { round: opts.round, games: opts.numbers, label: opts.label };
      }
      const svc = serviceFor(this);
      const t = attempt(() => svc.add(input));
      if (opts.json) return printJson(ticketView(t));
      printTicket(t);
    });

  cmd
    .command('list')
    .description('list tickets, newest round first, with each game’s result')
    .option('--round <n>', 'only this round', parsePositiveIntOption('--round'))
    .option('--status <s>', 'pending or checked', (v: string) => {
      if (v !== 'pending' && v !== 'checked') throw new UsageError(`--status must be pending or checked, got "${v}"`);
      return v;
    })
    .option('--limit <n>', 'at most this many (default 50)', parsePositiveIntOption('--limit'))
    .option('--json', 'print JSON for scripts')
    .action(function (this: Command, opts: { round?: number; status?: 'pending' | 'checked'; limit?: number; json?: boolean }) {
      const svc = serviceFor(this);
      const { items, total } = svc.list({ ...(opts.round !== undefined ? { round: opts.round } : {}), ...(opts.status ? { status: opts.status } : {}), pageSize: opts.limit ?? 50 });
      if (opts.json) return printJson({ items: items.map(ticketView), total });
      if (items.length === 0) {
        process.stdout.write('No tickets. Add one with `hogi tickets add <qr-text>` or `hogi tickets add --round N --numbers 1,2,3,4,5,6`.\n');
        return;
      }
      for (const t of items) printTicket(t);
      if (total > items.length) process.stdout.write(`(${items.length} of ${total}; use --limit)\n`);
    });

  cmd
    .command('check')
    .description('check every ticket again against the stored draws and prizes (it also happens by itself when a round arrives)')
    .option('--json', 'print JSON for scripts')
    .action(function (this: Command, opts: { json?: boolean }) {
      const svc = serviceFor(this);
      const done = svc.checkAll();
      const s = svc.summary();
      if (opts.json) return printJson({ checked_rounds: done.rounds, checked_games: done.games, summary: summaryView(s) });
      process.stdout.write(`checked ${done.games} game(s) of ${done.rounds} round(s); ${s.pendingGames} game(s) wait for their draw\n`);
      process.stdout.write(`spent ${won(s.spent)}, won ${won(s.gross)} before tax, ${won(s.net)} after; result ${won(s.result)}\n`);
    });

  cmd
    .command('summary')
    .description('money in and out per round and cumulatively, and prize tiers won against what chance expects')
    .option('--json', 'print JSON for scripts')
    .action(function (this: Command, opts: { json?: boolean }) {
      const s = serviceFor(this).summary();
      if (opts.json) return printJson(summaryView(s));
      process.stdout.write(
        `${renderTable(s.rounds, [
          { header: 'round', value: (r) => r.round, align: 'right' },
          { header: 'games', value: (r) => r.games, align: 'right' },
          { header: 'spent', value: (r) => r.spent.toLocaleString('en-US'), align: 'right' },
          { header: 'won (net)', value: (r) => r.net.toLocaleString('en-US'), align: 'right' },
          { header: 'result', value: (r) => r.result.toLocaleString('en-US'), align: 'right' },
          { header: 'cumulative', value: (r) => r.cumulativeResult.toLocaleString('en-US'), align: 'right' },
          { header: 'status', value: (r) => (r.amountPendingGames > 0 ? 'amount pending' : r.status) },
        ])}\n`,
      );
      process.stdout.write(`\ntiers won in ${s.checkedGames} checked game(s) vs chance:\n`);
      process.stdout.write(`${renderTable(s.tiers, [
        { header: 'rank', value: (t) => t.rank, align: 'right' },
        { header: 'won', value: (t) => t.won, align: 'right' },
        { header: 'chance expects', value: (t) => t.expected.toPrecision(3), align: 'right' },
      ])}\n`);
    });

  cmd
    .command('remove')
    .description('remove a ticket and its games')
    .argument('<id>', 'ticket id', parsePositiveIntOption('id'))
    .option('--json', 'print JSON for scripts')
    .action(function (this: Command, id: number, opts: { json?: boolean }) {
      const svc = serviceFor(this);
      attempt(() => svc.remove(id));
      if (opts.json) return printJson({ removed: id });
      process.stdout.write(`removed ticket ${id}\n`);
    });

  return cmd;
}
