/**
 * The cache of per-machine, per-family probability vectors.
 *
 * Vectors depend only on (data version, machine, model set), so they are computed once per
 * change and shared by every request until the next change:
 *  - the data version (`drawsRepo.dataVersion()`, bumped by every write) is read per request;
 *  - the model set is watched through a stat (mtime, size) of every candidate manifest and of
 *    the stacking file, at most once a second (`modelsCheckMs`);
 *  - the cache key is the data version plus each model's key, createdAt and dataHash.
 * On a change, one refresh runs (concurrent callers share it): both families for all three
 * machines through `parallelInference`, the pooled Transformer in one batched pass. Vectors
 * already stored as forecasts for the same target round, data version and model are read
 * back instead of recomputed (so a CLI run or a restart does not repeat inference), new ones
 * are stored, and stored predictions are scored against any newly arrived draw.
 *
 * Per snapshot, derived values (window frequencies, baselines, combined vectors and their
 * percentile tables) are memoised, so a request only combines and builds sets.
 */
import { createHash } from 'node:crypto';
import type { StackingCombiner } from '../../combination/stacking.js';
import type { Db } from '../../data/db.js';
import { drawsRepo } from '../../data/drawsRepo.js';
import { predictionsRepo } from '../../data/predictionsRepo.js';
import type { Draw } from '../../domain/draw.js';
import { KNOWN_MACHINES, type Machine } from '../../domain/machine.js';
import { FAMILIES, type ModelFamily } from '../../models/families.js';
import type { ModelRef } from './inference.js';
import type { ModelResolver } from './modelSource.js';
import { parallelInference, silentLogger, type FamilyVector, type InferencePlan, type PredictionLogger } from './parallel.js';
import type { FamilyRunner } from './runners.js';
import { scorePredictions } from './scoring.js';
import { loadStacking, stackingPath, type StackingFile } from './stacking.js';

export { Memo, type MachineVectors } from '../combining/snapshot.js';
import { Memo, type CombinationSnapshot, type MachineVectors } from '../combining/snapshot.js';
import { fileStamp } from '../fileStamp.js';

export interface StackingState {
  combiner: StackingCombiner | null;
  file: StackingFile | null;
  /** Why it could not be read (corrupt file); null when absent or fine. */
  error: string | null;
}

export interface VectorSnapshot extends CombinationSnapshot {
  dataVersion: number;
  /** Data version + every model's key, createdAt and dataHash (+ the stacking file's createdAt). */
  cacheKey: string;
  /** The stat signal this snapshot was made under. */
  stamp: string;
  latestRound: number | null;
  /** latestRound + 1: the draw every vector is for. */
  targetRound: number | null;
  /** The whole history, oldest first. */
  draws: Draw[];
  machines: Map<Machine, MachineVectors>;
  stacking: StackingState;
  computedAt: string;
  /** Wall time of the refresh and of each family's inference job (ms). */
  refreshMs: number;
  inferenceMs: Partial<Record<ModelFamily, number>>;
  memo: Memo;
}

export interface VectorCacheOptions {
  db: Db;
  resolver: ModelResolver;
  runner: FamilyRunner;
  modelsDir: string;
  timeoutMs: number;
  logger?: PredictionLogger;
  machines?: readonly Machine[];
  now?: () => Date;
  /**
   * How often the model files are stat-ed for changes, in ms (default 1000; 0 = every call).
   * The data version is read on every call; a model retrained by another process is picked
   * up within this interval (one in this process can call `invalidate`).
   */
  modelsCheckMs?: number;
  /** Called before stored predictions are scored on a refresh (the service writes its queue). */
  beforeScoring?: () => void;
}


export class VectorCache {
  readonly machines: readonly Machine[];
  private readonly repo;
  private readonly predictions;
  private readonly logger: PredictionLogger;
  private readonly now: () => Date;
  private snapshot: VectorSnapshot | null = null;
  /** The snapshot before the last invalidate, for peek until the next refresh lands. */
  private invalidated: VectorSnapshot | null = null;
  private refreshing: { key: string; promise: Promise<VectorSnapshot> } | null = null;
  private refreshCount = 0;
  private lastStamp: { at: number; value: string } | null = null;

  constructor(private readonly options: VectorCacheOptions) {
    this.repo = drawsRepo(options.db);
    this.predictions = predictionsRepo(options.db);
    this.logger = options.logger ?? silentLogger;
    this.machines = options.machines ?? KNOWN_MACHINES;
    this.now = options.now ?? (() => new Date());
  }

  /** How many refreshes ran (tests and benches watch it). */
  get refreshes(): number {
    return this.refreshCount;
  }

  private stamp(): string {
    const now = performance.now();
    const every = this.options.modelsCheckMs ?? 1000;
    if (this.lastStamp && now - this.lastStamp.at < every) return this.lastStamp.value;
    const value = `${this.options.resolver.stamp(FAMILIES, this.machines)};stacking=${fileStamp(stackingPath(this.options.modelsDir, this.options.resolver.config))}`;
    this.lastStamp = { at: now, value };
    return value;
  }

  /** The vectors for the current data and models; refreshes first when either changed. */
  current(): Promise<VectorSnapshot> {
    const dataVersion = this.repo.dataVersion();
    const stamp = this.stamp();
    const s = this.snapshot;
    if (s && s.dataVersion === dataVersion && s.stamp === stamp) return Promise.resolve(s);
    const key = `${dataVersion}|${stamp}`;
    if (this.refreshing?.key === key) return this.refreshing.promise;
    const promise = this.refresh(dataVersion, stamp).finally(() => {
      if (this.refreshing?.promise === promise) this.refreshing = null;
    });
    this.refreshing = { key, promise };
    return promise;
  }

  /** The last snapshot as it is (no change check, no refresh); null before the first refresh. */
  peek(): VectorSnapshot | null {
    return this.snapshot ?? this.invalidated;
  }

  /** Forget the snapshot and the last model check; the next call re-checks and recomputes (reading stored forecasts where they match). */
  invalidate(): void {
    this.invalidated = this.snapshot ?? this.invalidated;
    this.snapshot = null;
    this.lastStamp = null;
  }

  private loadStackingState(): StackingState {
    try {
      const s = loadStacking(this.options.modelsDir, this.options.resolver.config);
      return { combiner: s?.combiner ?? null, file: s?.file ?? null, error: null };
    } catch (e) {
      this.logger.error({ err: { message: (e as Error).message } }, 'stacking meta-model unreadable; treating it as not trained');
      return { combiner: null, file: null, error: (e as Error).message };
    }
  }

  private async refresh(dataVersion: number, stamp: string): Promise<VectorSnapshot> {
    const started = performance.now();
    this.refreshCount++;
    const draws = this.repo.list();
    const latestRound = draws.length ? draws[draws.length - 1].round : null;
    const targetRound = latestRound === null ? null : latestRound + 1;
    const stacking = this.loadStackingState();
    // New draws may complete stored predictions: score them before anything reads blending history.
    if (latestRound !== null) {
      this.options.beforeScoring?.();
      scorePredictions(this.options.db, this.now());
    }

    const vectors = new Map<Machine, Partial<Record<ModelFamily, FamilyVector>>>();
    const put = (m: Machine, v: FamilyVector) => vectors.set(m, { ...(vectors.get(m) ?? {}), [v.family]: v });
    const plans: InferencePlan[] = [];
    let timings: Partial<Record<ModelFamily, number>> = {};
    if (targetRound !== null) {
      for (const family of FAMILIES) {
        const plan: InferencePlan = { family, job: { family, draws, targets: [] }, absent: [] };
        for (const machine of this.machines) {
          const r = this.options.resolver.resolve(family, machine);
          if (!r.ref) {
            plan.absent.push({ machine, reason: r.missing ?? `no ${family} model` });
            continue;
          }
          const stored = this.predictions.getForecast(targetRound, machine, family);
          if (stored && stored.modelKey === r.ref.key && stored.modelCreatedAt === r.ref.createdAt && stored.dataVersion === dataVersion) {
            put(machine, { family, status: 'ok', vector: Float64Array.from(stored.probabilities), model: r.ref, reason: null, source: 'stored' });
          } else {
            plan.job!.targets.push({ machine, model: r.ref });
          }
        }
        plans.push(plan);
      }
      const result = await parallelInference(this.options.runner, plans, { timeoutMs: this.options.timeoutMs, logger: this.logger });
      timings = result.timings;
      for (const [m, fams] of result.byMachine) for (const v of Object.values(fams)) if (v) put(m, v);
      const createdAt = this.now().toISOString();
      const fresh: Array<{ machine: Machine; v: FamilyVector & { model: ModelRef; vector: Float64Array } }> = [];
      for (const [machine, fams] of vectors) {
        for (const v of Object.values(fams)) {
          if (v && v.status === 'ok' && v.source === 'computed' && v.model && v.vector) fresh.push({ machine, v: v as FamilyVector & { model: ModelRef; vector: Float64Array } });
        }
      }
      this.predictions.upsertForecasts(
        fresh.map(({ machine, v }) => ({
          targetRound,
          machine,
          family: v.family,
          modelKey: v.model.key,
          modelCreatedAt: v.model.createdAt,
          trainedThroughRound: v.model.trainedThroughRound,
          dataVersion,
          probabilities: Array.from(v.vector),
          createdAt,
        })),
      );
    }

    const machines = new Map<Machine, MachineVectors>();
    for (const machine of this.machines) {
      const fams = vectors.get(machine) ?? {};
      const missing = (family: ModelFamily): FamilyVector => ({ family, status: 'absent', vector: null, model: null, reason: 'no draws stored yet', source: null });
      machines.set(machine, { machine, transformer: fams.transformer ?? missing('transformer'), ensemble: fams.ensemble ?? missing('ensemble') });
    }
    const modelPart = [...machines.values()]
      .flatMap((mv) => FAMILIES.map((f) => mv[f].model))
      .filter((m): m is ModelRef => m !== null)
      .map((m) => `${m.key}@${m.createdAt}#${m.dataHash}`);
    const cacheKey = `data=${dataVersion};models=${[...new Set(modelPart)].sort().join(',')};stacking=${stacking.file?.training.createdAt ?? '-'}`;
    const snapshot: VectorSnapshot = {
      dataVersion,
      cacheKey,
      stamp,
      latestRound,
      targetRound,
      draws,
      machines,
      stacking,
      computedAt: this.now().toISOString(),
      refreshMs: performance.now() - started,
      inferenceMs: timings,
      memo: new Memo(),
    };
    this.logger.info(
      { data_version: dataVersion, target_round: targetRound, refresh_ms: Math.round(snapshot.refreshMs), inference_ms: timings, cache_key: shortHash(cacheKey) },
      'prediction vectors refreshed',
    );
    // A slower refresh for older data must not replace a newer snapshot.
    if (!this.snapshot || this.snapshot.dataVersion <= dataVersion) this.snapshot = snapshot;
    return snapshot;
  }
}

export function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 12);
}
