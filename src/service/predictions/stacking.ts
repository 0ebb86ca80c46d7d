/**
 * Training the stacking meta-model on walk-forward, out-of-sample predictions
 * (`hogi train --stacking`), and saving / loading it next to the models.
 *
 * The records come from the walk-forward module (src/service/walkForward.ts): the target
 * rounds [from, to] are cut into blocks of `retrainEvery` rounds; fresh models of every family
 * are fitted per block on the draws before it and predict each target from the draws before
 * it. So every record's models were trained through a round < block start ≤ t: never on the
 * draw they predict (StackingCombiner.fit refuses anything else).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sortByRound, type Draw } from '../../domain/draw.js';
import { isKnownMachine, type Machine } from '../../domain/machine.js';
import type { CombinerRecord } from '../../combination/combiner.js';
import { StackingCombiner, type StackingJSON } from '../../combination/stacking.js';
import { FAMILIES, type ModelFamily } from '../../models/families.js';
import { dataHash } from '../dataHash.js';
import type { ConfigName } from '../registry.js';
import { fitUnit, predictOutOfSample, walkForwardSplits, type ModelFactory, type WalkForwardModel } from '../walkForward.js';
import { inputHistory } from './inference.js';
import type { ModelScope } from './modelSource.js';

export type { ModelFactory, WalkForwardModel };

export type WalkForwardEvent =
  | { type: 'fit'; block: number; blocks: number; family: ModelFamily; modelMachine: Machine | 'all'; trainedThroughRound: number }
  | { type: 'record'; targetRound: number; done: number; total: number };

export interface WalkForwardOptions {
  from: number;
  to: number;
  retrainEvery: number;
  /** Per-machine models (each target predicted by its machine's models) or one pooled pair. */
  scope: ModelScope;
  config: ConfigName;
  seed?: number;
  /** Fresh unfitted models; the registry's by default (tests inject fakes). */
  createModel?: ModelFactory;
  onProgress?: (e: WalkForwardEvent) => void;
}

export const DEFAULT_STACKING_TARGETS = 30;
export const DEFAULT_RETRAIN_EVERY = 10;

/** Walk-forward records for the target rounds in [from, to] (see the module comment). */
export async function walkForwardRecords(draws: readonly Draw[], options: WalkForwardOptions): Promise<CombinerRecord[]> {
  const { from, to, retrainEvery: K, scope, config } = options;
  const seed = options.seed ?? 42;
  if (!Number.isInteger(K) || K < 1) throw new Error(`retrainEvery must be a positive integer, got ${K}`);
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 2 && from <= to)) throw new Error(`need 2 ≤ from ≤ to, got from ${from}, to ${to}`);
  const sorted = sortByRound(draws);
  const targets = sorted.filter((d) => d.round >= from && d.round <= to && (scope === 'pooled' || (d.machine !== null && isKnownMachine(d.machine))));
  if (targets.length === 0) {
    throw new Error(`no stored draws${scope === 'machine' ? ' with a machine (호기) label' : ''} in rounds ${from}–${to} to build stacking records from`);
  }
  const blocks = walkForwardSplits(targets, from, K);
  // The model classes (and tfjs) load only when stacking is really trained, not with this module.
  const create: ModelFactory = options.createModel ?? (await import('../modelFactory.js')).modelFactory();
  const records: CombinerRecord[] = [];
  for (const block of blocks) {
    const modelMachines: Array<Machine | 'all'> = scope === 'pooled' ? ['all'] : [...new Set(block.targets.map((t) => t.machine as Machine))];
    const fitted = new Map<string, { model: WalkForwardModel; through: number }>();
    try {
      for (const mm of modelMachines) {
        for (const family of FAMILIES) {
          const fit = await fitUnit(sorted, block.start, { family, machine: mm }, { create, config, seed });
          if (!fit.model) throw new Error(`cannot build stacking records for the block from round ${block.start} (${family}${mm === 'all' ? '' : `, ${mm}호기`}): ${fit.error}`);
          fitted.set(`${family}:${mm}`, { model: fit.model, through: fit.trainedThroughRound });
          options.onProgress?.({ type: 'fit', block: block.index + 1, blocks: blocks.length, family, modelMachine: mm, trainedThroughRound: fit.trainedThroughRound });
        }
      }
      for (const t of block.targets) {
        const mm: Machine | 'all' = scope === 'pooled' ? 'all' : (t.machine as Machine);
        const input = (before: Draw[]) => (mm === 'all' && t.machine === null ? before : inputHistory(before, t.machine as Machine, mm));
        const members: Record<string, { vector: Float64Array; trainedThroughRound: number }> = {};
        for (const family of FAMILIES) {
          const f = fitted.get(`${family}:${mm}`)!;
          members[family] = { vector: predictOutOfSample(f.model, sorted, t.round, input), trainedThroughRound: f.through };
        }
        records.push({ targetRound: t.round, members, drawn: [...t.numbers] });
        options.onProgress?.({ type: 'record', targetRound: t.round, done: records.length, total: targets.length });
      }
    } finally {
      for (const { model } of fitted.values()) model.dispose?.();
    }
  }
  return records;
}

/** What `hogi train --stacking` saves: the combiner and how its records were made. */
export interface StackingFile {
  format: 'hogi-stacking';
  formatVersion: 1;
  config: string;
  combiner: StackingJSON;
  training: {
    scope: ModelScope;
    from: number;
    to: number;
    retrainEvery: number;
    records: number;
    seed: number;
    dataHash: string;
    createdAt: string;
  };
}

export function stackingPath(modelsDir: string, config: string): string {
  return join(resolve(modelsDir), `stacking-${config}.json`);
}

export interface TrainStackingOptions extends WalkForwardOptions {
  modelsDir: string;
  now?: () => Date;
}

/** Build the records, fit the combiner (it refuses in-sample records), and save it atomically. */
export async function trainStacking(draws: readonly Draw[], options: TrainStackingOptions): Promise<{ file: StackingFile; path: string; records: CombinerRecord[] }> {
  const records = await walkForwardRecords(draws, options);
  const combiner = new StackingCombiner().fit(records);
  const now = options.now ?? (() => new Date());
  const file: StackingFile = {
    format: 'hogi-stacking',
    formatVersion: 1,
    config: options.config,
    combiner: combiner.toJSON(),
    training: {
      scope: options.scope,
      from: options.from,
      to: options.to,
      retrainEvery: options.retrainEvery,
      records: records.length,
      seed: options.seed ?? 42,
      dataHash: dataHash(sortByRound(draws)),
      createdAt: now().toISOString(),
    },
  };
  const path = stackingPath(options.modelsDir, options.config);
  mkdirSync(resolve(options.modelsDir), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`);
  renameSync(tmp, path);
  return { file, path, records };
}

/** The saved combiner, or null when none was trained; throws when the file is unreadable. */
export function loadStacking(modelsDir: string, config: string): { combiner: StackingCombiner; file: StackingFile } | null {
  const path = stackingPath(modelsDir, config);
  if (!existsSync(path)) return null;
  let file: StackingFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as StackingFile;
  } catch (e) {
    throw new Error(`${path} is not valid JSON (${(e as Error).message}); retrain with \`hogi train --stacking\``);
  }
  if (file.format !== 'hogi-stacking' || file.formatVersion !== 1) throw new Error(`${path} is not a hogi stacking file of format 1; retrain with \`hogi train --stacking\``);
  const combiner = StackingCombiner.fromJSON(file.combiner);
  if (!combiner.isTrained) return null;
  return { combiner, file };
}
