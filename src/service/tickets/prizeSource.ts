// Where ticket checking reads a round's draw and its prize per winner. The port keeps the checker
// apart from how prize figures are stored; drawsTablePrizeSource is the one adapter, over the
// draws table, which holds only the first prize (per winner and winners). Tiers 2..5 are
// unknown there, so games that won them show their rank with "amount pending" until an adapter
// over per-tier prize figures replaces this one (swap it here; nothing else changes).
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

export function drawsTablePrizeSource(repo: DrawsRepo): TicketPrizeSource {
  return {
    drawFor: (round) => repo.get(round),
    prizesFor(round) {
      const d = repo.get(round);
      if (!d || d.firstPrizeEach === null || d.firstPrizeWinners === null) return null;
      return [{ rank: 1, winners: d.firstPrizeWinners, prizeEach: d.firstPrizeEach }];
    },
    draws: () => repo.list(),
    version: () => repo.dataVersion(),
  };
}
