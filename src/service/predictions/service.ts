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
 * go through `generate`.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { CHANCE_EXPECTED_MATCHES } from '../../combination/normalize.js';
import type { Db } from '../../data/db.js';
import { drawsRepo } from '../../data/drawsRepo.js';
import { predictionsRepo, type NewPredictionSet, type PredictionRow, type PredictionSetRow } from '../../data/predictionsRepo.js';
import { nextRound } from '../../domain/calendar.js';
import { formatMachine, KNOWN_MACHINES, type Machine } from '../../domain/machine.js';
import { ValidationError, type Problem } from '../../domain/problems.js';
import type { Lang } from '../../strategies/constraints.js';
import { strategyFor, type Localized, type MachineStrategy, type StrategyPlan } from '../../strategies/machineStrategies.js';
import { differentiation, generateSets, MAX_SETS, type Differentiation } from '../../strategies/sets.js';
import { PopularityDataError, PopularityService, storedPrizeSource, type PrizeRoundSource } from '../popularity/service.js';
import { SHARING_BOUND, SHARING_TILT, SHARING_TRIES, sharingScorer, type SetPopularity, type SharingScorer } from '../popularity/sharing.js';
import type { ModelLoader } from '../modelManager.js';
import { backtestService, type BacktestService } from '../backtest/service.js';
import { DEFAULT_MODELS_DIR, modelStore } from '../modelStore.js';
import { MODEL_LOADERS, type ConfigName } from '../registry.js';
import { BASELINE_NAME, combineMachine, DEFAULT_VOTING_WEIGHTS, MEMBER_NAMES, type MemberName, type MemberWeights, type Algorithm, type CombinationMethod, type MachineCombination, type ModelUse } from '../combining/combine.js';
import { modelResolver, type ModelScope } from './modelSource.js';
import { silentLogger, type PredictionLogger } from './parallel.js';
import { inProcessStoreRunner, workerRunner, type FamilyRunner } from './runners.js';
import type { InferenceRuntime } from '../onnx/serving.js';
import { servingOnnxDir, type ExportFailure } from '../onnx/export.js';
import { exportInWorker, staleExports } from '../onnx/refresh.js';
import type { Draw } from '../../domain/draw.js';
import { ResponseCache, type ResponseCacheOptions, type ResponseCacheStats } from './responseCache.js';
import { scorePredictions, type ScoringSummary } from './scoring.js';
import { shortHash, VectorCache, type VectorSnapshot } from './vectors.js';
import { NoDataError, NoPopularityDataError } from './errors.js';

export const ALGORITHMS: readonly Algorithm[] = ['basic', 'enhanced', 'premium'];
export const COMBINATION_METHODS: readonly CombinationMethod[] = ['weighted_voting', 'stacking', 'blending'];
/** The design's model names accepted by the ensemble endpoint; `enhanced_predictor` is the design's class name of the scikit-learn ensemble. */
export const MODEL_NAMES = ['pytorch_transformer', 'sklearn_ensemble', 'enhanced_predictor'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
export const MIN_WINDOW = 10;
export const MAX_WINDOW = 100;
export const DEFAULT_WINDOW = 50;
export const DEFAULT_INFERENCE_TIMEOUT_MS = 30_000;

export { NoDataError, NoPopularityDataError };

/** How avoid_sharing trades the model vector against sharing, said in every such set's explanation. */
export const SHARING_EXPLANATION: Localized = {
  ko: `공유 회피: 후보는 모델 벡터에 다른 사람이 덜 고르는 번호 쪽으로 기울인 가중치(번호별 인기도 항 × ${SHARING_TILT})로 뽑고, 기계 규칙과 고정·제외 번호를 지키면서 1~3등 예상 공동당첨 비율(인기도 모델, 평균 조합 = 1)이 모두 ${SHARING_BOUND} 이하인 조합만 남긴 뒤, 그 안에서 모델 벡터 점수로 고릅니다. 당첨 확률은 그대로이며, 당첨 시 나눌 사람이 적을 것으로 예상될 뿐입니다.`,
  en: `avoid_sharing: candidates are drawn from the model vector leaned toward numbers others pick less (each number's popularity term × ${SHARING_TILT}); among those meeting the machine's rules and the fixed/excluded numbers, only sets with a predicted co-winner ratio ≤ ${SHARING_BOUND} in tiers 1–3 (popularity model, average combination = 1) are kept, and the model vector ranks those. The chance of winning is unchanged; fewer winners are expected to share the prize if it wins.`,
};

export type PredictionSource = 'api-generate' | 'api-ensemble' | 'cli';

export interface PredictionRequest {
  /** 1, 2, 3, or 'all' for the three machines side by side. */
  machine: Machine | 'all';
  /** Sets per machine, 1..20. */
  count: number;
  algorithm?: Algorithm;
  /** An explicit combination (the ensemble endpoint, `hogi predict --method`); not with basic or premium. */
  method?: CombinationMethod;
  /** Model families allowed (default both). */
  models?: readonly ModelName[];
  /** Draws of the machine the baseline and the 1호기 reweighting look at, 10..100. */
  window?: number;
  seed?: number;
  include?: readonly number[];
  exclude?: readonly number[];
  lang?: Lang;
  /** Drop sets whose confidence_score (model percentile) is below this, 0..1. */
  confidenceThreshold?: number;
  source?: PredictionSource;
  /** The API key asking (stored with the prediction; lists are scoped to it). */
  apiKeyId?: number | null;
  /** Keep only sets the popularity model predicts to be shared little (ratio ≤ 0.85 in tiers 1–3). */
  avoidSharing?: boolean;
}

export interface PredictionItem {
  set_number: number;
  machine_type: string;
  numbers: number[];
  /** Percentile of the set under the model among all C(45,6) combinations: a ranking, not a chance of winning. */
  confidence_score: number;
  /** Σ p over the six numbers; chance is 0.8. */
  expected_matches: number;
  algorithm_used: string;
  explanation: string[];
  /** Predicted co-winner ratio per tier and expected prize if won; null while the prize tiers are not stored. Not stored with the prediction. */
  popularity?: SetPopularity | null;
}

export interface MachineMetadata {
  machine_type: string;
  strategy: string;
  combination_method: string;
  models_used: string[];
  models: ModelUse[];
  fallback: boolean;
  fallback_reasons: string[];
  weights: MemberWeights | null;
  stacking_coefficients: { transformer: number; ensemble: number; intercept: number } | null;
  blending_scored_draws: number | null;
  analysis_window_draws: number;
  sets_generated: number;
  sets_dropped: number;
}

export interface PredictionMetadata {
  algorithm: Algorithm;
  combination_method: string;
  analysis_window: number;
  model_version: string;
  features_used: string[];
  models_used: string[];
  fallback: boolean;
  fallback_reasons: string[];
  target_round: number;
  chance_expected_matches: number;
  seed: number;
  data_version: number;
  cache_key: string;
  lang: Lang;
  /** Why premium uses the method it uses. */
  method_reason: string | null;
  /** The weights of a single-machine request (per machine in `machines`). */
  weights: MemberWeights | null;
  machines: MachineMetadata[];
  differentiation: DifferentiationReport | null;
  requested_sets: number;
  confidence_threshold: number | null;
  dropped_below_threshold: number;
  /** Whether avoid_sharing was asked for. */
  avoid_sharing?: boolean;
  /** An average combination's popularity figures, to read each set's next to (null while the prize tiers are not stored). */
  average_combination_popularity?: SetPopularity | null;
}

/** How different the machines' sets are (strategies' `differentiation`), in the API's snake_case. */
export interface DifferentiationReport {
  /** 1 − (numbers used by ≥ 2 machines) / (distinct numbers in all sets). */
  score: number;
  distinct_numbers: number;
  shared_numbers: number[];
  per_machine: Array<{ machine_type: string; distinct: number; exclusive: number }>;
  claim: string;
}

export type CacheStatus = 'hit' | 'miss';

export interface PredictionResponse {
  request_id: string;
  machine_type: string;
  predictions: PredictionItem[];
  metadata: PredictionMetadata;
  generated_at: string;
  /** Set on answers of `generate`: 'hit' = the stored prediction of an identical earlier request, 'miss' = made and stored now. Not stored. */
  cache_status?: CacheStatus;
}

export interface GenerateOptions {
  /** Never answer from the response cache (Cache-Control: no-cache); the new answer replaces the cached one. */
  fresh?: boolean;
}

export interface SetResult {
  matches: number | null;
  bonus_match: boolean | null;
  prize_rank: number | null;
}

export interface StoredPrediction extends Omit<PredictionResponse, 'predictions'> {
  status: 'pending' | 'scored';
  draw: { round: number; numbers: number[]; bonus: number; machine_type: string | null } | null;
  predictions: Array<PredictionItem & SetResult>;
}

export interface StoredPredictionSummary {
  request_id: string;
  machine_type: string;
  target_round: number;
  algorithm: string;
  combination_method: string;
  source: string;
  created_at: string;
  status: 'pending' | 'scored';
  sets: Array<{ set_number: number; machine_type: string; numbers: number[]; confidence_score: number } & SetResult>;
}

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
  votingWeights?: Readonly<Record<MemberName, number>>;
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

const tr = (ko: string, en: string): Localized => ({ ko, en });
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** A different, reproducible seed per machine when one request covers several. */
export function machineSeed(seed: number, machine: Machine): number {
  return ((seed | 0) + Math.imul(machine, 0x9e3779b1)) | 0;
}

function membersOf(models: readonly ModelName[] | undefined): MemberName[] {
  if (!models) return [...MEMBER_NAMES];
  const out = new Set<MemberName>();
  for (const m of models) out.add(m === 'enhanced_predictor' ? 'sklearn_ensemble' : (m as MemberName));
  return MEMBER_NAMES.filter((n) => out.has(n));
}

function combinationLine(c: MachineCombination, algorithm: Algorithm): Localized {
  const m = formatMachine(c.machine);
  if (c.methodUsed === 'frequency_baseline') {
    const what = tr(`${m} 최근 ${c.windowDraws}회 출현 빈도(+1 평활)`, `frequencies over the last ${c.windowDraws} draws of ${m} (+1 smoothing)`);
    return algorithm === 'basic' ? tr(`기본 통계: ${what.ko}`, `basic statistics: ${what.en}`) : tr(`대체 기준선: ${what.ko}`, `fallback baseline: ${what.en}`);
  }
  const w = c.weights;
  const weightsText = (ko: boolean) =>
    [w?.pytorch_transformer !== undefined ? `Transformer ${w.pytorch_transformer.toFixed(2)}` : null, w?.sklearn_ensemble !== undefined ? `${ko ? '앙상블' : 'ensemble'} ${w.sklearn_ensemble.toFixed(2)}` : null]
      .filter(Boolean)
      .join(' + ');
  if (c.methodUsed === 'stacking') {
    const k = c.stackingCoefficients!;
    return tr(
      `스태킹 메타 모델 (워크포워드 학습, 계수 Transformer ${k.transformer.toFixed(3)}, 앙상블 ${k.ensemble.toFixed(3)})`,
      `stacking meta-model (walk-forward trained; coefficients Transformer ${k.transformer.toFixed(3)}, ensemble ${k.ensemble.toFixed(3)})`,
    );
  }
  if (c.methodUsed === 'blending') {
    const basis = c.blendingScoredDraws
      ? tr(`최근 채점 ${c.blendingScoredDraws}회의 로그우도 기준`, `from the log-likelihood of the last ${c.blendingScoredDraws} scored draws`)
      : tr('채점된 회차가 10회 미만이라 기본값', 'default until 10 draws are scored');
    return tr(`블렌딩: ${weightsText(true)} (${basis.ko})`, `blending: ${weightsText(false)} (${basis.en})`);
  }
  return tr(`가중 투표: ${weightsText(true)}`, `weighted voting: ${weightsText(false)}`);
}

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
  private readonly votingWeights: Readonly<Record<MemberName, number>>;
  private readonly options: PredictionServiceOptions;
  private readonly now: () => Date;
  /** Predictions made in this turn of the event loop, written together (one transaction) right after it. */
  private pending: Array<{ prediction: PredictionRow; sets: NewPredictionSet[] }> = [];
  private flushScheduled = false;
  /**
   * Strategy plans (reweighting, boosted numbers) per combined vector: the vectors and window
   * frequencies are memoised per snapshot, so their identity keys the plan; a new snapshot
   * brings new vectors and the old plans are collected with them.
   */
  private readonly plans = new WeakMap<object, Map<MachineStrategy, { frequencies: object; plan: StrategyPlan }>>();
  private readonly responses: ResponseCache<PredictionResponse>;
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

  private validate(req: PredictionRequest): { machines: Machine[]; algorithm: Algorithm; window: number; members: MemberName[] } {
    const problems: Problem[] = [];
    const machines = req.machine === 'all' ? [...KNOWN_MACHINES] : [req.machine];
    if (req.machine !== 'all' && !KNOWN_MACHINES.includes(req.machine)) {
      problems.push({ field: 'machine_type', expected: `one of ${KNOWN_MACHINES.join(', ')} or all`, found: String(req.machine) });
    }
    if (!Number.isInteger(req.count) || req.count < 1 || req.count > MAX_SETS) problems.push({ field: 'sets_count', expected: `an integer 1..${MAX_SETS}`, found: String(req.count) });
    const algorithm = req.algorithm ?? 'enhanced';
    if (!ALGORITHMS.includes(algorithm)) problems.push({ field: 'algorithm', expected: ALGORITHMS.join(', '), found: String(algorithm) });
    if (req.method !== undefined) {
      if (!COMBINATION_METHODS.includes(req.method)) problems.push({ field: 'ensemble_method', expected: COMBINATION_METHODS.join(', '), found: String(req.method) });
      else if (algorithm !== 'enhanced') {
        problems.push({ field: 'ensemble_method', expected: `no combination method with algorithm ${algorithm} (basic uses no models; premium picks its own)`, found: req.method });
      }
    }
    const window = req.window ?? DEFAULT_WINDOW;
    if (!Number.isInteger(window) || window < MIN_WINDOW || window > MAX_WINDOW) problems.push({ field: 'analysis_window', expected: `an integer ${MIN_WINDOW}..${MAX_WINDOW}`, found: String(window) });
    if (req.seed !== undefined && !Number.isSafeInteger(req.seed)) problems.push({ field: 'seed', expected: 'an integer', found: String(req.seed) });
    const t = req.confidenceThreshold;
    if (t !== undefined && !(Number.isFinite(t) && t >= 0 && t <= 1)) problems.push({ field: 'confidence_threshold', expected: 'a number in 0..1', found: String(t) });
    const members = membersOf(req.models);
    if (req.models !== undefined) {
      const bad = req.models.filter((m) => !MODEL_NAMES.includes(m));
      if (bad.length) problems.push({ field: 'models', expected: MODEL_NAMES.join(', '), found: bad.join(', ') });
      else if (members.length === 0) problems.push({ field: 'models', expected: 'at least one model', found: 'none' });
      else if (req.method === 'stacking' && members.length < 2) {
        problems.push({ field: 'models', expected: 'both pytorch_transformer and sklearn_ensemble: stacking combines the two', found: req.models.join(', ') });
      }
    }
    if (problems.length) throw new ValidationError(problems, 'invalid prediction request');
    return { machines, algorithm, window, members };
  }

  /** Generate, store and return sets for one machine or all three (see the module comment). */
  async generate(req: PredictionRequest, options: GenerateOptions = {}): Promise<PredictionResponse> {
    const { machines, algorithm, window, members } = this.validate(req);
    const lang: Lang = req.lang ?? 'ko';
    const snapshot = await this.cache.current();
    if (snapshot.targetRound === null) throw new NoDataError();
    // The next draw by the calendar, not the stored latest + 1: a history that has fallen behind
    // must not make predictions for a round already drawn (the vectors are the same either way).
    const targetRound = Math.max(snapshot.targetRound, nextRound(this.now()));
    // Only unseeded requests are cached: a seeded one is reproducible by its seed and is stored each time.
    let responseKey: string | null = null;
    if (req.seed === undefined && this.responses.enabled) {
      responseKey = `${targetRound}|${this.responseKey(snapshot, req, algorithm, window, members, lang)}`;
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
      const ranked = (this.options.methodRanking ?? (() => this.backtests.methodRanking()))();
      if (!ranked) {
        methodReason = tr(
          '결합 방식을 채점한 완료된 백테스트가 아직 없어 프리미엄은 가중 투표를 사용합니다 (hogi backtest가 완료되면 로그손실 1위 방식을 사용).',
          'no backtest has ranked the combination methods yet (no completed `hogi backtest` scored them), so premium uses weighted voting (once one has, premium uses the method with the lowest log-loss).',
        );
      } else if (ranked.method === 'stacking' && !snapshot.stacking.combiner) {
        methodReason = tr(
          `백테스트 1위는 스태킹(${ranked.source})이지만 아직 학습되지 않아 가중 투표를 사용합니다 (hogi train --stacking).`,
          `the backtest ranks stacking best (${ranked.source}) but it is not trained yet, so premium uses weighted voting (run \`hogi train --stacking\`).`,
        );
      } else {
        method = ranked.method;
        methodReason = tr(`백테스트 1위 결합 방식: ${ranked.method} (${ranked.source})`, `best-ranked combination method in the backtest: ${ranked.method} (${ranked.source})`);
      }
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
                why: tr(
                  `공유 회피: ${SHARING_TRIES}개 후보 중 규칙을 지키면서 1~3등 예상 공동당첨 비율이 모두 ${SHARING_BOUND} 이하인 조합을 찾지 못했습니다. 고정·제외 번호를 줄이거나 개수를 줄이세요.`,
                  `avoid_sharing: none of ${SHARING_TRIES} candidate sets that meet the rules had a predicted co-winner ratio ≤ ${SHARING_BOUND} in tiers 1, 2 and 3. Fix or exclude fewer numbers, or ask for fewer sets.`,
                ),
              },
            }
          : {}),
      });
      // Compared as reported (4 decimals), so every returned score is ≥ the threshold the client sees.
      const kept = req.confidenceThreshold === undefined ? generated.sets : generated.sets.filter((s) => round4(s.confidenceScore) >= (req.confidenceThreshold as number));
      dropped += generated.sets.length - kept.length;
      const head = [combinationLine(c, algorithm), ...c.notes.map((n) => tr(`대체: ${n.ko}`, `fallback: ${n.en}`))];
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
        claim: lang === 'ko' ? '설계 문서는 70% 이상을 주장합니다. 이 값은 이번 요청에서 측정한 값입니다.' : 'The design claims 70%+; this is the value measured on this response.',
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
    const bytes = this.store(response, req, machines);
    if (responseKey !== null) this.responses.set(responseKey, Object.freeze({ ...response, cache_status: 'hit' as const }), bytes, this.now().getTime());
    this.lastPrediction = response.generated_at;
    return { ...response, cache_status: 'miss' };
  }

  /** Everything an answer depends on besides the seed: the vectors' identity and the normalised request. */
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

  private responseKey(snapshot: VectorSnapshot, req: PredictionRequest, algorithm: Algorithm, window: number, members: readonly MemberName[], lang: Lang): string {
    const sorted = (xs: readonly number[] | undefined) => (xs ? [...xs].sort((a, b) => a - b) : null);
    const ranking = algorithm === 'premium' ? (this.options.methodRanking?.() ?? null) : null;
    return JSON.stringify([
      snapshot.cacheKey,
      req.source ?? 'api-generate',
      // A cache hit returns the stored prediction of the first asker: only to the same key.
      req.apiKeyId ?? null,
      req.machine,
      req.count,
      algorithm,
      req.method ?? null,
      members,
      window,
      sorted(req.include),
      sorted(req.exclude),
      lang,
      req.confidenceThreshold ?? null,
      ranking,
      req.avoidSharing === true,
    ]);
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
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.repo.insertMany(batch);
  }

  /**
   * Queue the prediction for storage. Under load many requests finish in one turn of the
   * event loop; writing them in one transaction right after it (setImmediate) costs a
   * fraction of a transaction each. Reads flush first, so a stored prediction is visible to
   * GET at once; a crash can lose at most the predictions of the last turn.
   */
  private store(response: PredictionResponse, req: PredictionRequest, machines: readonly Machine[]): number {
    const md = response.metadata;
    const responseJson = JSON.stringify(response);
    this.pending.push({
      prediction: {
        requestId: response.request_id,
        createdAt: response.generated_at,
        source: req.source ?? 'api-generate',
        machineType: req.machine === 'all' ? 'all' : String(req.machine),
        targetRound: md.target_round,
        algorithm: md.algorithm,
        method: md.combination_method,
        dataVersion: md.data_version,
        seed: md.seed,
        modelVersion: md.model_version,
        requestJson: JSON.stringify({ ...req, machine: req.machine }),
        apiKeyId: req.apiKeyId ?? null,
        modelVersionsJson: JSON.stringify(md.machines.map((m) => ({ machine_type: m.machine_type, models: m.models }))),
        responseJson,
      },
      sets: response.predictions.map((p) => ({
        requestId: response.request_id,
        setNumber: p.set_number,
        machine: machines.find((m) => formatMachine(m) === p.machine_type) as Machine,
        targetRound: md.target_round,
        numbers: p.numbers,
        confidenceScore: p.confidence_score,
        expectedMatches: p.expected_matches,
      })),
    });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        try {
          this.flush();
        } catch (e) {
          this.logger.error({ err: { message: (e as Error).message } }, 'could not store predictions');
        }
      });
    }
    return responseJson.length;
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
      predictions: response.predictions.map((p) => ({ ...p, ...this.result(row.sets.find((s) => s.setNumber === p.set_number)) })),
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

