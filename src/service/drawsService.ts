import type { DrawsRepo } from '../data/drawsRepo.js';
import type { Draw } from '../domain/draw.js';
import { isKnownMachine, type Machine } from '../domain/machine.js';

export interface DrawPageRequest {
  /** 1-based. */
  page: number;
  pageSize: number;
  machine?: Machine;
  from?: number;
  to?: number;
  /** 'desc' lists newest first. */
  order: 'asc' | 'desc';
}

export interface DrawPageResult {
  items: Draw[];
  /** Draws matching the filters over all pages. */
  total: number;
}

export interface DataSummary {
  totalDraws: number;
  latestRound: number | null;
  dataVersion: number;
}

/** Read-side rules over the stored draws, shared by the API and the CLI. */
export function drawsService(repo: DrawsRepo) {
  return {
    page(req: DrawPageRequest): DrawPageResult {
      const filter = { machine: req.machine, from: req.from, to: req.to };
      const total = repo.count(filter);
      const offset = (req.page - 1) * req.pageSize;
      const items = offset < total ? repo.list({ ...filter, limit: req.pageSize, offset, descending: req.order === 'desc' }) : [];
      return { items, total };
    },
    get(round: number): Draw | null {
      return repo.get(round);
    },
    summary(): DataSummary {
      return { totalDraws: repo.count(), latestRound: repo.latest()?.round ?? null, dataVersion: repo.dataVersion() };
    },
    /** A stored state value (last sync, last weekly cycle...), or null. */
    meta(key: string): string | null {
      return repo.getMeta(key);
    },
    /** A machine is served when strategies exist for it (1..3) or draws were recorded on it. */
    isServedMachine(machine: Machine): boolean {
      return isKnownMachine(machine) || repo.count({ machine }) > 0;
    },
  };
}

export type DrawsService = ReturnType<typeof drawsService>;
