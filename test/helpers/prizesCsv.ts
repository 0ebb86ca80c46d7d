// Test-only: a TicketPrizeSource over a drawsRepo and prize tiers read from a CSV in the format
// of the shipped prizes file (round, winners_k, prize_each_k for k = 1..5, first-prize split).
import { readFileSync } from 'node:fs';
import type { DrawsRepo } from '../../src/data/drawsRepo.js';
import type { Rank } from '../../src/domain/tickets/prize.js';
import type { PrizeTier, TicketPrizeSource } from '../../src/service/tickets/prizeSource.js';

export function readPrizesCsv(path: string): Map<number, PrizeTier[]> {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const cols = header.split(',');
  const out = new Map<number, PrizeTier[]>();
  for (const line of lines) {
    const cells = line.split(',');
    const at = (name: string) => Number(cells[cols.indexOf(name)]);
    const tiers: PrizeTier[] = ([1, 2, 3, 4, 5] as Rank[]).map((rank) => ({ rank, winners: at(`winners_${rank}`), prizeEach: at(`prize_each_${rank}`) }));
    out.set(at('round'), tiers);
  }
  return out;
}

/** Draws from the repository; prizes from `tiers`, which a test may fill later ("prizes arrive"). */
export function tiersPrizeSource(repo: DrawsRepo, tiers: Map<number, PrizeTier[]>): TicketPrizeSource {
  return {
    drawFor: (round) => repo.get(round),
    prizesFor: (round) => tiers.get(round) ?? null,
    draws: () => repo.list(),
    version: () => repo.dataVersion() * 1000 + tiers.size,
  };
}
