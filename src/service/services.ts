import type { Db } from '../data/db.js';
import { drawsRepo } from '../data/drawsRepo.js';
import { drawsService, type DrawsService } from './drawsService.js';
import { fairnessService, type FairnessServiceOptions } from './fairness.js';
import { storedPrizeSource, type PrizeRoundSource } from './popularity/service.js';
import { statisticsService, type StatisticsService } from './statisticsService.js';

/** The services over one database, for an edge that holds only the database (the CLI commands). */
export interface DbServices {
  draws: DrawsService;
  statistics: StatisticsService;
  /** The fairness report over the stored draws (its own cache; options as for the API's). */
  fairness(options?: FairnessServiceOptions): ReturnType<typeof fairnessService>;
  /** The per-round prize figures the popularity model reads, from the stored five tiers. */
  prizeSource(): PrizeRoundSource;
}

export function servicesFor(db: Db): DbServices {
  const repo = drawsRepo(db);
  return {
    draws: drawsService(repo),
    statistics: statisticsService(repo),
    fairness: (options) => fairnessService(repo, options),
    prizeSource: () => storedPrizeSource(repo),
  };
}
