// Export: stored draws → res.json or CSV text, and an atomic file write for the CLI.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Draw } from '../domain/draw.js';
import type { Machine } from '../domain/machine.js';
import type { DrawsRepo } from './drawsRepo.js';
import { writeDrawsCsv } from './formats/drawsCsv.js';
import { writePrizesCsv } from './formats/prizesCsv.js';
import { writeResJson } from './formats/resJson.js';

/** prizes-csv: all five tiers and the first-prize split of the rounds whose tiers are known (the prizes.csv layout). */
export type ExportFormat = 'resjson' | 'csv' | 'prizes-csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['resjson', 'csv', 'prizes-csv'];

export interface ExportOptions {
  format: ExportFormat;
  from?: number;
  to?: number;
  machine?: Machine;
  /** res.json only: also write rounds without a known machine, with "호기": null. CSV always has them. */
  includeUnlabelled?: boolean;
  /** Written into res.json metadata.last_updated. */
  now?: Date;
}

export interface ExportResult {
  text: string;
  /** Rounds written. */
  rounds: number;
  /** Rounds in range left out of res.json for lacking a machine label. */
  skippedUnlabelled: number;
}

/** The draws an export covers, in round order. */
export function selectForExport(repo: DrawsRepo, options: ExportOptions): { draws: Draw[]; skippedUnlabelled: number } {
  const all = repo.list({ from: options.from, to: options.to, machine: options.machine });
  if (options.format !== 'resjson' || options.includeUnlabelled || options.machine !== undefined) return { draws: all, skippedUnlabelled: 0 };
  const draws = all.filter((d) => d.machine !== null);
  return { draws, skippedUnlabelled: all.length - draws.length };
}

/**
 * Render an export. CSV carries every stored field (draws.csv header + machine,memo), and res.json
 * carries them through its extension keys, so importing either output restores the same rows.
 */
export function exportDraws(repo: DrawsRepo, options: ExportOptions): ExportResult {
  const { draws, skippedUnlabelled } = selectForExport(repo, options);
  if (options.format === 'prizes-csv') {
    const text = writePrizesCsv(draws);
    return { text, rounds: draws.filter((d) => d.lowerTiers).length, skippedUnlabelled: 0 };
  }
  const text = options.format === 'csv' ? writeDrawsCsv(draws) : writeResJson(draws, { now: options.now ?? new Date() });
  return { text, rounds: draws.length, skippedUnlabelled };
}

/**
 * Write through a temporary file in the same folder, then rename over the target: readers see
 * the old file or the whole new one, and a failed export never leaves half a file.
 */
export function writeFileAtomically(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}
