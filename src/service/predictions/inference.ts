/**
 * One model family's inference for several machines: the code both runners execute
 * (in a worker thread, or in the calling thread for tests and tools).
 *
 * Machines served by the same model go through it together; for the Transformer that is
 * ONE predictBatch call (one batched forward pass), the design's "batch processing". A
 * pooled model ('all') reads machine M's own draws when predicting for M, so the three
 * machines get three different windows through the same weights.
 */
import type { Draw } from '../../domain/draw.js';
import type { Machine } from '../../domain/machine.js';
import type { NumberProbabilities, ServableModel } from '../../models/types.js';
import type { ModelFamily } from '../../models/families.js';

// Defined with the other combination inputs (service/combining), used by inference here.
export type { ModelRef } from '../combining/snapshot.js';
import type { ModelRef } from '../combining/snapshot.js';

export interface FamilyJob {
  family: ModelFamily;
  /** The whole stored history, oldest first; each vector is for the draw after it. */
  draws: Draw[];
  targets: Array<{ machine: Machine; model: ModelRef }>;
}

export interface MachineOutcome {
  machine: Machine;
  key: string;
  /** createdAt of the model that actually answered (it may have been retrained since it was resolved). */
  createdAt: string | null;
  vector: NumberProbabilities | null;
  error: string | null;
}

export interface FamilyResult {
  family: ModelFamily;
  outcomes: MachineOutcome[];
}

/** Loads (or returns a cached) model for a reference, with the createdAt of what it loaded. */
export type ModelGetter = (ref: ModelRef) => Promise<{ model: ServableModel; createdAt: string }>;

interface BatchPredictor {
  predictBatch(histories: readonly (readonly Draw[])[]): NumberProbabilities[];
}

function hasBatch(model: ServableModel): model is ServableModel & BatchPredictor {
  return typeof (model as Partial<BatchPredictor>).predictBatch === 'function';
}

/** What a model is given to predict machine M's next draw: M's own draws for a pooled model, everything otherwise (it filters itself). */
export function inputHistory(draws: readonly Draw[], machine: Machine, modelMachine: Machine | 'all'): Draw[] {
  return modelMachine === 'all' ? draws.filter((d) => d.machine === machine) : [...draws];
}

function checkVector(v: ArrayLike<number>): string | null {
  if (!v || v.length !== 45) return `model returned ${v ? v.length : 'no'} values instead of 45`;
  for (let i = 0; i < 45; i++) if (!Number.isFinite(v[i]) || v[i] < 0) return `model returned ${v[i]} for number ${i + 1}`;
  return null;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Runs one family's job; a failure of one model only fails the machines it serves. */
export async function runFamilyJob(job: FamilyJob, getModel: ModelGetter): Promise<FamilyResult> {
  const groups = new Map<string, { ref: ModelRef; machines: Machine[] }>();
  for (const t of job.targets) {
    const g = groups.get(t.model.key);
    if (g) g.machines.push(t.machine);
    else groups.set(t.model.key, { ref: t.model, machines: [t.machine] });
  }
  const outcomes: MachineOutcome[] = [];
  for (const { ref, machines } of groups.values()) {
    const fail = (error: string, createdAt: string | null = null) =>
      machines.forEach((machine) => outcomes.push({ machine, key: ref.key, createdAt, vector: null, error }));
    let loaded: { model: ServableModel; createdAt: string };
    try {
      loaded = await getModel(ref);
    } catch (e) {
      fail(`cannot load ${ref.key}: ${message(e)}`);
      continue;
    }
    const histories = machines.map((m) => inputHistory(job.draws, m, ref.machine));
    let vectors: NumberProbabilities[];
    try {
      vectors = hasBatch(loaded.model) ? loaded.model.predictBatch(histories) : histories.map((h) => loaded.model.predict(h));
    } catch (e) {
      // Retry one by one so one machine's unusable history does not fail the others.
      if (machines.length === 1) {
        fail(`${ref.key} failed to predict: ${message(e)}`, loaded.createdAt);
        continue;
      }
      vectors = [];
      for (let i = 0; i < machines.length; i++) {
        try {
          vectors.push(loaded.model.predict(histories[i]));
        } catch (e2) {
          vectors.push(new Float64Array(0));
          outcomes.push({ machine: machines[i], key: ref.key, createdAt: loaded.createdAt, vector: null, error: `${ref.key} failed to predict: ${message(e2)}` });
        }
      }
    }
    machines.forEach((machine, i) => {
      if (outcomes.some((o) => o.machine === machine)) return;
      const bad = checkVector(vectors[i]);
      outcomes.push(
        bad
          ? { machine, key: ref.key, createdAt: loaded.createdAt, vector: null, error: `${ref.key}: ${bad}` }
          : { machine, key: ref.key, createdAt: loaded.createdAt, vector: Float64Array.from(vectors[i]), error: null },
      );
    });
  }
  return { family: job.family, outcomes: outcomes.sort((a, b) => a.machine - b.machine) };
}
