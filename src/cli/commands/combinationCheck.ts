// hogi draws --check 1,2,3,4,5,6: has this combination ever won?
import type { Db } from '../../data/db.js';
import { historyView } from '../../api/routes/tickets.js';
import { CombinationHistoryService } from '../../service/tickets/combinationHistory.js';
import { TicketInputError, ticketsService } from '../../service/tickets/service.js';
import { CliFailure, UsageError } from '../errors.js';
import { printJson, renderTable } from '../output.js';

export function parseCombination(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length !== 6 || !parts.every((p) => /^\d{1,2}$/.test(p))) throw new UsageError(`--check must be six numbers 1..45 separated by commas, got "${value}"`);
  return parts.map(Number);
}

export function printCombinationHistory(db: Db, numbers: number[], json: boolean): void {
  const history = new CombinationHistoryService(ticketsService({ db }).prizeSource);
  let h;
  try {
    h = history.lookup(numbers);
  } catch (e) {
    if (e instanceof TicketInputError) throw new CliFailure(`--check: ${e.message}`, 2);
    throw e;
  }
  if (json) return printJson(historyView(h));
  if (h.roundsPlayed === 0) {
    process.stdout.write('No draws stored yet. Load them with `hogi sync` or `hogi import FILE`.\n');
    return;
  }
  const won = (n: number) => n.toLocaleString('en-US');
  process.stdout.write(`${h.numbers.join(' ')} against ${h.roundsPlayed} stored round(s)${h.firstRound !== null ? ` (${h.firstRound}–${h.lastRound})` : ''}\n`);
  if (h.wins.length > 0) {
    process.stdout.write(
      `${renderTable(h.wins, [
        { header: 'round', value: (w) => w.round, align: 'right' },
        { header: 'rank', value: (w) => w.rank, align: 'right' },
        { header: 'matches', value: (w) => `${w.matches}${w.bonusMatch && w.rank === 2 ? '+bonus' : ''}` },
        { header: 'prize each', value: (w) => (w.prizeEach === null ? 'not stored' : won(w.prizeEach)), align: 'right' },
      ])}\n`,
    );
  } else {
    process.stdout.write('it never won a prize\n');
  }
  const ordinal = ['1st', '2nd', '3rd', '4th', '5th'];
  process.stdout.write(`tiers: ${h.tiers.map((t) => `${ordinal[t.rank - 1]} ${t.count}`).join(', ')}; ever 1st prize: ${h.everFirstPrize ? 'yes' : 'no'}\n`);
  process.stdout.write(`played every week: cost ${won(h.cost)} won, paid ${won(h.paidNet)} won after tax (${won(h.paidGross)} before); result ${won(h.result)} won`);
  process.stdout.write(h.amountPendingWins > 0 ? `; ${h.amountPendingWins} win(s) with the prize not stored are not counted\n` : '\n');
}
