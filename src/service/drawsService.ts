import type { DrawQuery, DrawsRepo } from '../data/drawsRepo.js';
import { exportDraws, type ExportOptions, type ExportResult } from '../data/exportService.js';
import { applyImport, planImport, type ImportInput, type ImportOptions, type ImportPlan } from '../data/importService.js';
import { seedFromSnapshot, type SeedResult } from '../data/snapshot.js';
import { sync as runSync, type SyncOptions, type SyncSummary } from '../data/sync/syncService.js';
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

/** What is stored: every draw, and those with a machine (호기) label. */
export interface StoredCounts {
  draws: number;
  labelled: number;
}

/**
 * The stored draws, shared by the API and the CLI: the read-side rules, and the imports, syncs,
 * exports and the shipped history that write or copy them (the edges never hold the repository).
 */
export function drawsService(repo: DrawsRepo) {
  return {
    /** Draws in round order (newest first with `descending`), filtered and limited as asked. */
    list(q: DrawQuery = {}): Draw[] {
      return repo.list(q);
    },
    /** Every stored draw in round order: the history models are trained and evaluated on. */
    history(): Draw[] {
      return repo.list();
    },
    stored(): StoredCounts {
      return { draws: repo.count(), labelled: repo.list().filter((d) => d.machine !== null).length };
    },
    isEmpty(): boolean {
      return repo.count() === 0;
    },
    /** Check files' records against what is stored (nothing written). */
    planImport(input: ImportInput, options: ImportOptions = {}): ImportPlan {
      return planImport(repo, input, options);
    },
    /** Write a plan that passed, in one transaction. */
    applyImport(plan: ImportPlan): void {
      applyImport(repo, plan);
    },
    /** Fetch newer rounds and machine labels from the official sources and store them. */
    sync(options: Omit<SyncOptions, 'repo'>): Promise<SyncSummary> {
      return runSync({ ...options, repo });
    },
    /** The stored draws as res.json, CSV or the prizes CSV. */
    export(options: ExportOptions): ExportResult {
      return exportDraws(repo, options);
    },
    /** Load the history that ships with hogi into an empty database (one transaction). */
    loadShippedHistory(): SeedResult {
      return seedFromSnapshot(repo);
    },
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
