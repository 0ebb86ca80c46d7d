// Where ticket checking reads a round's draw and its prize per winner. The port keeps the checker
// apart from how prize figures are stored; drawsPrizeSource is the adapter over the draws table,
// which holds all five tiers of a round: tier 1 in first_prize_winners / first_prize_each, tiers
// 2..5 in winners_k / prize_each_k (migration 5). A round whose figures are not stored yet (a new
// draw before dhlottery publishes them) gives no tiers, so its winning games show their rank with
// "amount pending" until an import or a sync fills them in (that write checks the round again).
import type { Draw } from '../../domain/draw.js';
import type { Rank } from '../../domain/tickets/prize.js';
import type { DrawsRepo } from '../../data/drawsRepo.js';

export interface PrizeTier {
  rank: Rank;
  winners: number;
  /** Won per winning game, before tax. */
  prizeEach: number;
}

export interface TicketPrizeSource {
  /** The round's draw, or null while it is not stored. */
  drawFor(round: number): Pick<Draw, 'round' | 'numbers' | 'bonus'> | null;
  /** The tiers whose figures are known for the round (any of 1..5), or null when none are. */
  prizesFor(round: number): readonly PrizeTier[] | null;
  /** Every stored draw, oldest first (the combination history). */
  draws(): readonly Pick<Draw, 'round' | 'numbers' | 'bonus'>[];
  /** Changes whenever draws or prize figures change (cache key). */
  version(): number;
}

/** The tiers of `d` whose figures are stored, rank 1 first; null when none are. */
export function storedTiers(d: Pick<Draw, 'firstPrizeEach' | 'firstPrizeWinners' | 'lowerTiers'>): PrizeTier[] | null {
  const tiers: PrizeTier[] = [];
  if (d.firstPrizeEach !== null && d.firstPrizeWinners !== null) tiers.push({ rank: 1, winners: d.firstPrizeWinners, prizeEach: d.firstPrizeEach });
  (d.lowerTiers ?? []).forEach((t, i) => tiers.push({ rank: (i + 2) as Rank, winners: t.winners, prizeEach: t.prizeEach })); // index 0..3 is tier 2..5
  return tiers.length > 0 ? tiers : null;
}

export function drawsPrizeSource(repo: DrawsRepo): TicketPrizeSource {
  return {
    drawFor: (round) => repo.get(round),
    prizesFor(round) {
      const d = repo.get(round);
      return d ? storedTiers(d) : null;
    },
    draws: () => repo.list(),
    version: () => repo.dataVersion(),
  };
}
