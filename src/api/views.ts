import type { Draw } from '../domain/draw.js';
import { formatMachine } from '../domain/machine.js';
import { rankedPrizes } from '../domain/prizes.js';
import { acValue, highLowRatio, lastDigitSum, oddEvenRatio, totalSum } from '../domain/stats.js';
import type { DrawItem } from './schemas.js';

/** A stored draw as the API shows it: snake_case, with its per-draw statistics. */
export function drawView(d: Draw): DrawItem {
  return {
    round: d.round,
    date: d.date,
    numbers: [...d.numbers],
    bonus: d.bonus,
    machine: d.machine,
    machine_label: d.machine === null ? null : formatMachine(d.machine),
    first_prize_each: d.firstPrizeEach,
    first_prize_winners: d.firstPrizeWinners,
    total_sales: d.totalSales,
    prizes: rankedPrizes(d).map((p) => ({ rank: p.rank, winners: p.winners, prize_each: p.prizeEach })),
    first_prize_split: d.firstPrizeSplit ? { auto: d.firstPrizeSplit.auto, manual: d.firstPrizeSplit.manual, semi_auto: d.firstPrizeSplit.semiAuto } : null,
    odd_even: oddEvenRatio(d.numbers),
    high_low: highLowRatio(d.numbers),
    ac_value: acValue(d.numbers),
    last_digit_sum: lastDigitSum(d.numbers),
    total_sum: totalSum(d.numbers),
  };
}
