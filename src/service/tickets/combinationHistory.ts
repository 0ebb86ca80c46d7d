// "Has this combination ever won?": the rounds in which six numbers would have won, with that
// round's prize, counts per tier, and what playing them every week since round 1 would have
// cost and paid. The draws are indexed once per data version as bitmasks (domain/tickets/history.ts).
import { buildDrawMaskIndex, winsOf, type DrawMaskIndex } from '../../domain/tickets/history.js';
import { RANKS } from '../../domain/tickets/odds.js';
import { prizeAfterTax, TICKET_PRICE_WON, type Rank } from '../../domain/tickets/prize.js';
import type { PrizeTier, TicketPrizeSource } from './prizeSource.js';
import { prizeFor, validGame } from './service.js';

export interface CombinationWin {
  round: number;
  rank: Rank;
  matches: number;
  bonusMatch: boolean;
  /** That round's prize per winner before tax; null while unknown (or nobody won the tier). */
  prizeEach: number | null;
  prizeNet: number | null;
}

export interface CombinationHistory {
  numbers: number[];
  /** Rounds it would have been played in (every stored draw). */
  roundsPlayed: number;
  firstRound: number | null;
  lastRound: number | null;
  wins: CombinationWin[];
  tiers: Array<{ rank: Rank; count: number }>;
  everFirstPrize: boolean;
  /** 1,000 won a week for every stored round. */
  cost: number;
  /** Sum of the known prizes, before and after tax. */
  paidGross: number;
  paidNet: number;
  /** Wins whose amount is not stored (counted in tiers, not in paid). */
  amountPendingWins: number;
  /** paidNet − cost */
  result: number;
}

export class CombinationHistoryService {
  private cached: { version: number; index: DrawMaskIndex; prizes: Map<number, readonly PrizeTier[] | null> } | null = null;
  constructor(private readonly source: TicketPrizeSource) {}

  /** The index and the prize figures read so far, for the current data version. */
  private current(): { index: DrawMaskIndex; prizes: Map<number, readonly PrizeTier[] | null> } {
    const version = this.source.version();
    if (this.cached?.version !== version) this.cached = { version, index: buildDrawMaskIndex(this.source.draws()), prizes: new Map() };
    return this.cached;
  }

  /** Throws TicketInputError (field `numbers`) unless six distinct numbers 1..45. */
  lookup(numbers: readonly number[]): CombinationHistory {
    const six = validGame(numbers, 'numbers');
    const { index, prizes } = this.current();
    const tiersOf = (round: number) => {
      if (!prizes.has(round)) prizes.set(round, this.source.prizesFor(round));
      return prizes.get(round) ?? null;
    };
    const wins: CombinationWin[] = winsOf(index, six).map((w) => {
      const prizeEach = prizeFor(w.rank, tiersOf(w.round));
      return { ...w, prizeEach, prizeNet: prizeEach === null ? null : prizeAfterTax(prizeEach).net };
    });
    const roundsPlayed = index.rounds.length;
    const paidGross = wins.reduce((s, w) => s + (w.prizeEach ?? 0), 0);
    const paidNet = wins.reduce((s, w) => s + (w.prizeNet ?? 0), 0);
    const cost = roundsPlayed * TICKET_PRICE_WON;
    return {
      numbers: six,
      roundsPlayed,
      firstRound: roundsPlayed > 0 ? index.rounds[0] : null,
      lastRound: roundsPlayed > 0 ? index.rounds[roundsPlayed - 1] : null,
      wins,
      tiers: RANKS.map((rank) => ({ rank, count: wins.filter((w) => w.rank === rank).length })),
      everFirstPrize: wins.some((w) => w.rank === 1),
      cost,
      paidGross,
      paidNet,
      amountPendingWins: wins.filter((w) => w.prizeEach === null).length,
      result: paidNet - cost,
    };
  }
}
