/**
 * What combining one machine's family vectors reads: the family vectors (with the model each
 * came from), the draws known before the target, the trained stacking combiner and a memo.
 * The prediction service's VectorSnapshot is one; the backtest builds one per round from
 * walk-forward forecasts. Kept here, below both, so neither imports the other for it.
 */
import type { StackingCombiner } from '../../combination/stacking.js';
import type { Draw } from '../../domain/draw.js';
import type { Machine } from '../../domain/machine.js';
import type { ModelFamily } from '../../models/families.js';
import type { NumberProbabilities } from '../../models/types.js';

/** The stored model a machine is served by, as resolved from the store's manifest. */
export interface ModelRef {
  key: string;
  family: ModelFamily;
  /** The model's own scope: a machine number, or 'all' for a pooled model. */
  machine: Machine | 'all';
  config: string;
  createdAt: string;
  dataHash: string;
  /** Last round of the draws it was trained on. */
  trainedThroughRound: number;
  /** What it reads: the ensemble's feature columns, or the Transformer's draw window. */
  features: string[];
}

export type FamilyStatus = 'ok' | 'absent' | 'failed' | 'timeout';

/** One family's answer for one machine. */
export interface FamilyVector {
  family: ModelFamily;
  status: FamilyStatus;
  vector: NumberProbabilities | null;
  model: ModelRef | null;
  /** Why there is no vector; null when status is 'ok'. */
  reason: string | null;
  /** Whether the vector was computed now or read back from the stored forecast of the same data and model. */
  source: 'computed' | 'stored' | null;
}

export type MachineVectors = { machine: Machine } & Record<ModelFamily, FamilyVector>;

/** Small LRU for values derived from one snapshot (percentile tables are ~200 KB each). */
export class Memo {
  private readonly map = new Map<string, unknown>();
  constructor(private readonly capacity = 128) {}
  get<T>(key: string, make: () => T): T {
    if (this.map.has(key)) {
      const v = this.map.get(key) as T;
      this.map.delete(key);
      this.map.set(key, v);
      return v;
    }
    const v = make();
    this.map.set(key, v);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
    return v;
  }
  get size(): number {
    return this.map.size;
  }
}

export interface CombinationSnapshot {
  /** The whole history known before the target, oldest first. */
  draws: Draw[];
  machines: Map<Machine, MachineVectors>;
  stacking: { combiner: StackingCombiner | null };
  memo: Memo;
}
