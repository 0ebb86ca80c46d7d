/**
 * The prediction service: the design's path from a request to stored, scored sets.
 *
 *   request → dispatcher (machine → its strategy and models) → cached family vectors
 *   (parallel inference with fallback, refreshed only when data or models change)
 *   → combination (baseline / weighted voting / stacking / blending) → machine strategy
 *   → sets → response (the res.json format), stored in SQLite.
 *
 * A request never runs a model: it combines cached vectors and searches sets, so it costs
 * about a millisecond once the vectors are warm. The API, `hogi predict` and the bench all
 * go through `generate`. *
 * This file orchestrates; the parts live beside it: types.ts (request and answer),
 * request.ts (validation, members, seeds, the cache key), premium.ts (the premium policy),
 * explanations.ts (the Korean and English words), writeBehind.ts (batched storage),
 * responseCache.ts and vectors.ts (the two caches).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { CHANCE_EXPECTED_MATCHES } from '../../combination/normalize.js';
import type { Db } from '../../data/db.js';
import { drawsRepo } from '../../data/drawsRepo.js';
import { predictionsRepo, type PredictionSetRow } from '../../data/predictionsRepo.js';
import { nextRound } from '../../domain/calendar.js';
import { formatMachine, type Machine } from '../../domain/machine.js';
import type { Lang } from '../../strategies/constraints.js';
import { strategyFor, type Localized, type MachineStrategy, type StrategyPlan } from '../../strategies/machineStrategies.js';
import { differentiation, generateSets, type Differentiation } from '../../strategies/sets.js';
import { PopularityDataError, PopularityService, storedPrizeSource, type PrizeRoundSource } from '../popularity/service.js';
import { SHARING_TRIES, sharingScorer, type SharingScorer } from '../popularity/sharing.js';
import type { ModelLoader } from '../modelManager.js';
import { backtestService, type BacktestService } from '../backtest/service.js';
import { DEFAULT_MODELS_DIR, modelStore } from '../modelStore.js';
import { MODEL_LOADERS, type ConfigName } from '../registry.js';
import { BASELINE_NAME, combineMachine, DEFAULT_VOTING_WEIGHTS, type CombinationMethod, type MachineCombination } from '../combining/combine.js';
import { modelResolver, type ModelScope } from './modelSource.js';
import { silentLogger, type PredictionLogger } from './parallel.js';
import { inProcessStoreRunner, workerRunner, type FamilyRunner } from './runners.js';
import type { InferenceRuntime } from '../onnx/serving.js';
import { servingOnnxDir, type ExportFailure } from '../onnx/export.js';
import { exportInWorker, staleExports } from '../onnx/refresh.js';
import type { Draw } from '../../domain/draw.js';
import type { ModelFamily } from '../../models/families.js';
import { ResponseCache, type ResponseCacheOptions, type ResponseCacheStats } from './responseCache.js';
import { scorePredictions, type ScoringSummary } from './scoring.js';
import { shortHash, VectorCache, type VectorSnapshot } from './vectors.js';
import { NoDataError, NoPopularityDataError } from './errors.js';
import { combinationLine, DIFFERENTIATION_CLAIM, fallbackLine, SHARING_EXPLANATION, SHARING_REFUSAL } from './explanations.js';
import { premiumMethod } from './premium.js';
import { machineSeed, responseKey as responseKeyOf, validateRequest } from './request.js';
import type { GeneratedPrediction, GenerateOptions, MachineMetadata, PredictionItem, PredictionMetadata, PredictionRequest, PredictionResponse, SetResult, StoredPrediction, StoredPredictionSummary } from './types.js';
import { PredictionWriter } from './writeBehind.js';

// The service's vocabulary, from the modules it is made of (callers import it from here).
export * from './types.js';
export { machineSeed, NoDataError, NoPopularityDataError, SHARING_EXPLANATION };

export const DEFAULT_INFERENCE_TIMEOUT_MS = 30_000;

export interface PredictionServiceOptions {
  db: Db;
  modelsDir?: string;
  /** Model size to serve: the `--config` models were trained with (default small). */
  config?: ConfigName;
  /** Which stored models serve machine M, in order (default: M's own, then the pooled one). */
  scopes?: readonly ModelScope[];
  /** 'worker' (default): inference in worker threads with real timeouts; 'in-process'; or a runner. */
  runner?: FamilyRunner | 'worker' | 'in-process';
  /** 'onnx': the worker runs the exported ONNX files (tfjs where one is missing or unusable); default 'tfjs'. */
  runtime?: InferenceRuntime;
  /** How refreshOnnxExports exports (default: exportInWorker); tests inject one. */
  exportOnnx?: (draws: readonly Draw[], modelsDir: string, outDir: string, keys: readonly string[], signal?: AbortSignal) => Promise<{ exported: string[]; failures: ExportFailure[] }>;
  /** Loaders for the in-process runner (default the registry's). */
  loaders?: Record<string, ModelLoader>;
  /** Per-family inference timeout (default 30 s; it covers loading a model the first time). */
  timeoutMs?: number;
  /** How often model files are checked for a retrain by another process, ms (default 1000). */
  modelsCheckMs?: number;
  votingWeights?: Readonly<Record<ModelFamily, number>>;
  /** Most numbers two sets of one machine may share (default 3). */
  maxShared?: number;
  logger?: PredictionLogger;
  now?: () => Date;
  newId?: () => string;
  newSeed?: () => number;
  /**
   * The combination method a backtest ranked best, for `premium`. Default: the latest
   * completed backtest in this database (lowest mean log-loss among weighted voting, stacking
   * and blending; see backtest/summary.ts RANKING_RULE); null without one, and premium then
   * uses weighted voting, saying why.
   */
  methodRanking?: () => { method: CombinationMethod; source: string } | null;
  /** Cache of unseeded answers (default: 5 minutes, 1000 entries, 16 MB); `{ ttlMs: 0 }` turns it off. */
  responseCache?: ResponseCacheOptions;
  /** Where the popularity model (avoid_sharing, each set's `popularity`) reads the prize tiers (default: the draws table). */
  popularitySource?: PrizeRoundSource;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
export class PredictionService {
  readonly modelsDir: string;
  readonly config: ConfigName;
  readonly runtime: InferenceRuntime;
  private readonly db: Db;
  private readonly draws;
  private readonly repo;
  private readonly cache: VectorCache;
  private readonly backtests: BacktestService;
  private readonly runner: FamilyRunner;
  private readonly logger: PredictionLogger;
  private readonly votingWeights: Readonly<Record<ModelFamily, number>>;
  private readonly options: PredictionServiceOptions;
  private readonly now: () => Date;
  /** Predictions made in this turn of the event loop, written together (one transaction) right after it. */
  private readonly writer: PredictionWriter;
  /**
   * Strategy plans (reweighting, boosted numbers) per combined vector: the vectors and window
   * frequencies are memoised per snapshot, so their identity keys the plan; a new snapshot
   * brings new vectors and the old plans are collected with them.
   */
  private readonly plans = new WeakMap<object, Map<MachineStrategy, { frequencies: object; plan: StrategyPlan }>>();
  private readonly responses: ResponseCache<GeneratedPrediction>;
  private lastPrediction: string | null = null;
  private exporting: Promise<{ exported: string[]; failures: ExportFailure[] }> | null = null;
  /** Aborted by close(): ends an export worker still running. */
  private readonly closing = new AbortController();

  constructor(options: PredictionServiceOptions) {
    this.options = options;
    this.db = options.db;
    this.draws = drawsRepo(options.db);
    this.repo = predictionsRepo(options.db);
    this.backtests = backtestService(options.db);
    this.modelsDir = options.modelsDir ?? DEFAULT_MODELS_DIR;
    this.config = options.config ?? 'small';
    this.logger = options.logger ?? silentLogger;
    this.writer = new PredictionWriter(this.repo, this.logger);
    this.now = options.now ?? (() => new Date());
    this.votingWeights = options.votingWeights ?? DEFAULT_VOTING_WEIGHTS;
    this.responses = new ResponseCache(options.responseCache);
    this.runtime = options.runtime ?? 'tfjs';
    const r = options.runner ?? 'worker';
    this.runner =
      r === 'worker'
        ? workerRunner({ modelsDir: this.modelsDir, runtime: this.runtime, onLog: (m) => this.logger.warn({}, m) })
        : r === 'in-process'
          ? inProcessStoreRunner(this.modelsDir, options.loaders ?? MODEL_LOADERS, this.runtime)
          : r;
    this.cache = new VectorCache({
      db: options.db,
      resolver: modelResolver(modelStore(this.modelsDir), this.config, options.scopes),
      runner: this.runner,
      modelsDir: this.modelsDir,
      timeoutMs: options.timeoutMs ?? DEFAULT_INFERENCE_TIMEOUT_MS,
      logger: this.logger,
      now: this.now,
      modelsCheckMs: options.modelsCheckMs,
      beforeScoring: () => this.flush(),
    });
  }

  /** The current vectors (refreshing them if data or models changed). */
  vectors(): Promise<VectorSnapshot> {
    return this.cache.current();
  }

  /** Compute the vectors now (server start), so the first request finds them warm. */
  async warm(): Promise<VectorSnapshot> {
    return this.cache.current();
  }

  /** The vectors computed last, without checking for changes or refreshing (health); null before the first. */
  peekVectors(): VectorSnapshot | null {
    return this.cache.peek();
  }

  /**
   * Forget the vectors and cached answers after models were swapped in by this process (the
   * weekly cycle); the next request re-checks the model files and recomputes.
   */
  invalidate(): void {
    this.cache.invalidate();
    this.responses.clear();
  }

  /** The response cache's size and hit rate. */
  cacheStats(): ResponseCacheStats {
    return this.responses.stats();
  }

  /** When the last answer (made or cached) was given; null before the first. */
  get lastPredictionAt(): string | null {
    return this.lastPrediction;
  }

  /** Refreshes so far (each is one inference round for all machines). */
  get refreshes(): number {
    return this.cache.refreshes;
  }

  score(): ScoringSummary {
    this.flush();
    return scorePredictions(this.db, this.now());
  }

  async generate(req: PredictionRequest, options: GenerateOptions = {}): Promise<GeneratedPrediction> {
    const { machines, algorithm, window, members } = validateRequest(req);
    const lang: Lang = req.lang ?? 'ko';
    const snapshot = await this.cache.current();
    if (snapshot.targetRound === null) throw new NoDataError();
    // The next draw by the calendar, not the stored latest + 1: a history that has fallen behind
    // must not make predictions for a round already drawn (the vectors are the same either way).
    const targetRound = Math.max(snapshot.targetRound, nextRound(this.now()));
    // Only unseeded requests are cached: a seeded one is reproducible by its seed and is stored each time.
    let responseKey: string | null = null;
    if (req.seed === undefined && this.responses.enabled) {
      const ranking = algorithm === 'premium' ? (this.options.methodRanking?.() ?? null) : null;
      responseKey = `${targetRound}|${responseKeyOf(snapshot, req, { algorithm, window, members }, lang, ranking)}`;
      if (options.fresh) this.responses.countMiss();
      else {
        const hit = this.responses.get(responseKey, this.now().getTime());
        if (hit) {
          this.lastPrediction = this.now().toISOString();
          // The same object for every hit of the entry, so the API can reuse its serialized form.
          return hit;
        }
      }
    }
    const seed = req.seed ?? (this.options.newSeed ?? (() => randomInt(0, 2 ** 31)))();

    // premium: the latest completed backtest's best method by log-loss; weighted voting without one, saying so.
    let method: CombinationMethod = req.method ?? 'weighted_voting';
    let methodReason: Localized | null = null;
    if (algorithm === 'premium') {
      const chosen = premiumMethod((this.options.methodRanking ?? (() => this.backtests.methodRanking()))(), Boolean(snapshot.stacking.combiner));
      method = chosen.method;
      methodReason = chosen.reason;
    }
    const spec = { algorithm, method, members, window, votingWeights: this.votingWeights };
    const combos = machines.map((m) => combineMachine(snapshot, m, spec, this.repo));

    const sharing = this.sharing(req.avoidSharing === true);
    const items: PredictionItem[] = [];
    const setsByMachine = new Map<string, number[][]>();
    const machineMeta: MachineMetadata[] = [];
    let dropped = 0;
    for (const c of combos) {
      const strategy = strategyFor(c.machine);
      const generated = generateSets({
        probabilities: c.probabilities,
        strategy,
        context: { frequencies: c.frequencies },
        plan: this.planFor(c, strategy),
        count: req.count,
        seed: machines.length === 1 ? seed : machineSeed(seed, c.machine),
        include: req.include,
        exclude: req.exclude,
        maxShared: this.options.maxShared,
        lang,
        percentileTable: c.table,
        ...(req.avoidSharing && sharing
          ? {
              tilt: sharing.tilt,
              accept: {
                test: sharing.passes,
                tries: SHARING_TRIES,
                why: SHARING_REFUSAL,
              },
            }
          : {}),
      });
      // Compared as reported (4 decimals), so every returned score is ≥ the threshold the client sees.
      const kept = req.confidenceThreshold === undefined ? generated.sets : generated.sets.filter((s) => round4(s.confidenceScore) >= (req.confidenceThreshold as number));
      dropped += generated.sets.length - kept.length;
      const head = [combinationLine(c, algorithm), ...c.notes.map(fallbackLine)];
      if (methodReason) head.push(methodReason);
      for (const s of kept) {
        items.push({
          set_number: items.length + 1,
          machine_type: formatMachine(c.machine),
          numbers: s.numbers,
          confidence_score: round4(s.confidenceScore),
          expected_matches: round4(s.expectedMatches),
          algorithm_used: strategy.id,
          explanation: [...head.map((h) => h[lang]), ...s.explanation, ...(req.avoidSharing ? [SHARING_EXPLANATION[lang]] : [])],
          popularity: sharing ? sharing.describe(s.numbers) : null,
        });
      }
      setsByMachine.set(formatMachine(c.machine), kept.map((s) => s.numbers));
      machineMeta.push({
        machine_type: formatMachine(c.machine),
        strategy: strategy.id,
        combination_method: c.methodUsed,
        models_used: c.modelsUsed,
        models: c.models,
        fallback: c.fallback,
        fallback_reasons: c.notes.map((n) => n[lang]),
        weights: c.weights,
        stacking_coefficients: c.stackingCoefficients,
        blending_scored_draws: c.blendingScoredDraws,
        analysis_window_draws: c.windowDraws,
        sets_generated: generated.sets.length,
        sets_dropped: generated.sets.length - kept.length,
      });
    }

    let diff: PredictionMetadata['differentiation'] = null;
    if (machines.length > 1 && [...setsByMachine.values()].filter((s) => s.length > 0).length >= 2) {
      const d: Differentiation = differentiation(setsByMachine);
      diff = {
        score: round4(d.score),
        distinct_numbers: d.distinctNumbers,
        shared_numbers: d.sharedNumbers,
        per_machine: d.perMachine.map((p) => ({ machine_type: p.machine, distinct: p.distinct, exclusive: p.exclusive })),
        claim: DIFFERENTIATION_CLAIM[lang],
      };
    }
    const usedModels = combos.flatMap((c) =>
      c.methodUsed === 'frequency_baseline' ? [] : c.models.filter((m) => c.modelsUsed.includes(m.name)).map((m) => `${m.key}@${m.created_at}`),
    );
    const usesStacking = combos.some((c) => c.methodUsed === 'stacking');
    const modelVersion =
      usedModels.length === 0
        ? BASELINE_NAME
        : `${this.config}-${shortHash([...new Set(usedModels)].sort().join(',') + (usesStacking ? `|stacking@${snapshot.stacking.file?.training.createdAt}` : ''))}`;
    const methods = [...new Set(combos.map((c) => c.methodUsed))];
    const requestId = (this.options.newId ?? randomUUID)();
    const response: PredictionResponse = {
      request_id: requestId,
      machine_type: req.machine === 'all' ? 'all' : formatMachine(req.machine),
      predictions: items,
      metadata: {
        algorithm,
        combination_method: methods.length === 1 ? methods[0] : methods.join(','),
        analysis_window: window,
        model_version: modelVersion,
        features_used: [...new Set(combos.flatMap((c) => c.featuresUsed))],
        models_used: [...new Set(combos.flatMap((c) => c.modelsUsed))],
        fallback: combos.some((c) => c.fallback),
        fallback_reasons: combos.flatMap((c) => c.notes.map((n) => (machines.length > 1 ? `${formatMachine(c.machine)}: ${n[lang]}` : n[lang]))),
        target_round: targetRound,
        chance_expected_matches: CHANCE_EXPECTED_MATCHES,
        seed,
        data_version: snapshot.dataVersion,
        cache_key: shortHash(snapshot.cacheKey),
        lang,
        method_reason: methodReason ? methodReason[lang] : null,
        weights: combos.length === 1 ? combos[0].weights : null,
        machines: machineMeta,
        differentiation: diff,
        requested_sets: req.count,
        confidence_threshold: req.confidenceThreshold ?? null,
        dropped_below_threshold: dropped,
        avoid_sharing: req.avoidSharing === true,
        average_combination_popularity: sharing ? sharing.average : null,
      },
      generated_at: this.now().toISOString(),
    };
    const bytes = this.writer.queue(response, req, machines);
    if (responseKey !== null) this.responses.set(responseKey, Object.freeze({ ...response, cache_status: 'hit' as const }), bytes, this.now().getTime());
    this.lastPrediction = response.generated_at;
    return { ...response, cache_status: 'miss' };
  }

  private popularityService: PopularityService | null = null;
  private sharingCache: { key: number; scorer: SharingScorer | null; missing: string | null } | null = null;

  /**
   * The popularity figures for this request: null when the prize tiers are not stored, unless
   * avoid_sharing needs them, which is then refused with the reason. Kept per data version (an
   * injected source is read each time), so a request without prize tiers costs one map lookup.
   */
  private sharing(required: boolean): SharingScorer | null {
    const service = (this.popularityService ??= new PopularityService(this.options.popularitySource ?? storedPrizeSource(this.draws)));
    const version = this.draws.dataVersion();
    let cached = this.sharingCache;
    if (!cached || cached.key !== version || this.options.popularitySource) {
      try {
        cached = { key: version, scorer: sharingScorer(service), missing: null };
      } catch (e) {
        if (!(e instanceof PopularityDataError)) throw e;
        cached = { key: version, scorer: null, missing: e.message };
      }
      this.sharingCache = cached;
    }
    if (cached.scorer === null && required) throw new NoPopularityDataError(cached.missing ?? 'no prize tiers stored');
    return cached.scorer;
  }

  private planFor(c: MachineCombination, strategy: MachineStrategy): StrategyPlan {
    let byStrategy = this.plans.get(c.probabilities);
    if (!byStrategy) this.plans.set(c.probabilities, (byStrategy = new Map()));
    const hit = byStrategy.get(strategy);
    if (hit && hit.frequencies === c.frequencies) return hit.plan;
    const plan = strategy.plan(c.probabilities, { frequencies: c.frequencies });
    byStrategy.set(strategy, { frequencies: c.frequencies, plan });
    return plan;
  }

  /** Write the predictions still queued; reads (get, list, scoring) call it first. */
  flush(): void {
    this.writer.flush();
  }

  private result(set: PredictionSetRow | undefined): SetResult {
    return { matches: set?.matches ?? null, bonus_match: set?.bonusMatch ?? null, prize_rank: set?.prizeRank ?? null };
  }

  /** A stored prediction with its results once the target draw is stored; null when unknown. */
  get(requestId: string): StoredPrediction | null {
    this.flush();
    const row = this.repo.get(requestId);
    if (!row) return null;
    const response = JSON.parse(row.prediction.responseJson) as PredictionResponse;
    const draw = this.draws.get(row.prediction.targetRound);
    const scored = row.sets.length > 0 && row.sets.every((s) => s.scoredAt !== null);
    return {
      ...response,
      status: draw && scored ? 'scored' : 'pending',
      draw: draw ? { round: draw.round, numbers: [...draw.numbers], bonus: draw.bonus, machine_type: draw.machine === null ? null : formatMachine(draw.machine) } : null,
      predictions: response.predictions.map(({ popularity: _answeredWhenMade, ...p }) => ({ ...p, ...this.result(row.sets.find((s) => s.setNumber === p.set_number)) })),
    };
  }

  /** Stored predictions, newest first; `machine` is 1..3 or 'all' (the three-machine requests). */
  list(q: { machine?: Machine | 'all'; round?: number; apiKeyId?: number; limit?: number; offset?: number } = {}): { items: StoredPredictionSummary[]; total: number } {
    this.flush();
    const filter = { machineType: q.machine === undefined ? undefined : String(q.machine), round: q.round, apiKeyId: q.apiKeyId };
    const rows = this.repo.list({ ...filter, limit: q.limit ?? 20, offset: q.offset ?? 0 });
    return {
      total: this.repo.count(filter),
      items: rows.map(({ prediction: p, sets }) => ({
        request_id: p.requestId,
        machine_type: p.machineType === 'all' ? 'all' : formatMachine(Number(p.machineType)),
        target_round: p.targetRound,
        algorithm: p.algorithm,
        combination_method: p.method,
        source: p.source,
        created_at: p.createdAt,
        status: sets.length > 0 && sets.every((s) => s.scoredAt !== null) ? 'scored' : 'pending',
        sets: sets.map((s) => ({
          set_number: s.setNumber,
          machine_type: formatMachine(s.machine),
          numbers: s.numbers,
          confidence_score: s.confidenceScore,
          ...this.result(s),
        })),
      })),
    };
  }

  /**
   * With the ONNX runtime: export (in a worker thread) every model of the served config whose
   * ONNX export is missing or of an earlier training, then recompute the vectors so the new
   * files serve. Runs at server start and after each retrain; one at a time; a no-op for tfjs.
   */
  refreshOnnxExports(): Promise<{ exported: string[]; failures: ExportFailure[] }> {
    if (this.runtime !== 'onnx') return Promise.resolve({ exported: [], failures: [] });
    this.exporting ??= (async () => {
      try {
        const dir = servingOnnxDir(this.modelsDir);
        const keys = staleExports(modelStore(this.modelsDir), dir, this.config);
        if (keys.length === 0) return { exported: [], failures: [] };
        this.logger.info({ models: keys }, 'exporting models to ONNX for serving');
        const r = await (this.options.exportOnnx ?? exportInWorker)(this.draws.list(), this.modelsDir, dir, keys, this.closing.signal);
        if (r.failures.length) this.logger.warn({ failures: r.failures }, 'some models could not be exported to ONNX; tfjs serves them');
        if (r.exported.length) this.invalidate();
        return r;
      } finally {
        this.exporting = null;
      }
    })();
    return this.exporting;
  }

  /** Store what is queued and stop the inference workers. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.exporting?.catch(() => undefined);
    if (this.db.open) this.flush();
    await this.runner.close();
  }
}

export function createPredictionService(options: PredictionServiceOptions): PredictionService {
  return new PredictionService(options);
}

