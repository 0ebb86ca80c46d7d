/**
 * Training the stacking meta-model on walk-forward, out-of-sample predictions
 * (`hogi train --stacking`), and saving / loading it next to the models.
 *
 * Walk-forward: the target rounds [from, to] are cut into blocks of `retrainEvery`
 * consecutive rounds. For the block starting at round b, fresh models of both families are
 * trained on the draws before b only, and reused for every target t in the block, each
 * predicted from the draws before t. So every record's models were trained through a round
 * < b ≤ t: never on the draw they predict (StackingCombiner.fit refuses anything else).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sortByRound, type Draw } from '../../domain/draw.js';
import { isKnownMachine, type Machine } from '../../domain/machine.js';
import { StackingCombiner, type StackingJSON, type StackingRecord } from '../../combination/stacking.js';
import type { ModelFamily } from '../../models/families.js';
import { dataHash } from '../dataHash.js';
import type { ConfigName } from '../registry.js';
import { inputHistory } from './inference.js';
import type { ModelScope } from './modelSource.js';

/** What walk-forward needs of a model: fit on a history, predict the draw after another. */
export interface WalkForwardModel {
  fit(history: readonly Draw[]): Promise<unknown>;
  predict(history: readonly Draw[]): ArrayLike<number>;
  dispose?(): void;
}

export type ModelFactory = (family: ModelFamily, machine: Machine | 'all', config: ConfigName, seed: number) => WalkForwardModel;

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

const FAMILIES: readonly ModelFamily[] = ['transformer', 'ensemble'];

/** Walk-forward records for the target rounds in [from, to] (see the module comment). */
export async function walkForwardRecords(draws: readonly Draw[], options: WalkForwardOptions): Promise<StackingRecord[]> {
  const { from, to, retrainEvery: K, scope, config } = options;
  const seed = options.seed ?? 42;
  if (!Number.isInteger(K) || K < 1) throw new Error(`retrainEvery must be a positive integer, got ${K}`);
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 2 && from <= to)) throw new Error(`need 2 ≤ from ≤ to, got from ${from}, to ${to}`);
  const sorted = sortByRound(draws);
  const targets = sorted.filter((d) => d.round >= from && d.round <= to && (scope === 'pooled' || (d.machine !== null && isKnownMachine(d.machine))));
  if (targets.length === 0) {
    throw new Error(`no stored draws${scope === 'machine' ? ' with a machine (호기) label' : ''} in rounds ${from}–${to} to build stacking records from`);
  }
  const blocks = new Map<number, Draw[]>();
  for (const t of targets) {
    const b = from + Math.floor((t.round - from) / K) * K;
    blocks.set(b, [...(blocks.get(b) ?? []), t]);
  }
  // The model classes (and tfjs) load only when stacking is really trained, not with this module.
  const create: ModelFactory =
    options.createModel ??
    (await import('../modelFactory.js').then(({ createModel }) => (f, m, c, sd) => createModel(f, m, c, sd) as unknown as WalkForwardModel));
  const records: StackingRecord[] = [];
  let blockNo = 0;
  for (const [start, blockTargets] of blocks) {
    blockNo++;
    const trainHistory = sorted.filter((d) => d.round < start);
    const modelMachines: Array<Machine | 'all'> = scope === 'pooled' ? ['all'] : [...new Set(blockTargets.map((t) => t.machine as Machine))];
    const fitted = new Map<string, { model: WalkForwardModel; through: number }>();
    try {
      for (const mm of modelMachines) {
        const seen = mm === 'all' ? trainHistory : trainHistory.filter((d) => d.machine === mm);
        if (seen.length === 0) throw new Error(`no draws${mm === 'all' ? '' : ` of ${mm}호기`} before round ${start} to train on`);
        const through = seen[seen.length - 1].round;
        for (const family of FAMILIES) {
          const model = create(family, mm, config, seed);
          await model.fit(trainHistory);
          fitted.set(`${family}:${mm}`, { model, through });
          options.onProgress?.({ type: 'fit', block: blockNo, blocks: blocks.size, family, modelMachine: mm, trainedThroughRound: through });
        }
      }
      for (const t of blockTargets) {
        const mm: Machine | 'all' = scope === 'pooled' ? 'all' : (t.machine as Machine);
        const before = sorted.filter((d) => d.round < t.round);
        const input = mm === 'all' && t.machine === null ? before : inputHistory(before, t.machine as Machine, mm);
        const T = fitted.get(`transformer:${mm}`)!;
        const E = fitted.get(`ensemble:${mm}`)!;
        records.push({
          targetRound: t.round,
          trainedThroughRound: { transformer: T.through, ensemble: E.through },
          pT: Float64Array.from(T.model.predict(input)),
          pE: Float64Array.from(E.model.predict(input)),
          drawn: [...t.numbers],
        });
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
export async function trainStacking(draws: readonly Draw[], options: TrainStackingOptions): Promise<{ file: StackingFile; path: string; records: StackingRecord[] }> {
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
