/**
 * The weekly cycle a running server performs after each Saturday draw (~20:35 KST):
 *
 *   1. sync, retrying with backoff until the next round is stored (or giving up after a while);
 *   2. score the stored predictions for that round;
 *   3. retrain the stored models on the new history in a worker thread, into a staging store;
 *   4. promote the models that trained (one synchronous pass of renames) and invalidate the
 *      prediction caches, so the next request uses them.
 *
 * Serving goes on throughout: the sync is one transaction, training runs in another thread,
 * and a model that fails to train is simply not promoted, so the previous one keeps serving.
 * Clock, timers, sync and training are injected, so a test runs whole cycles in milliseconds.
 */
import type { Db } from '../data/db.js';
import { drawsRepo } from '../data/drawsRepo.js';
import { sync as runSync, type SyncSummary } from '../data/sync/syncService.js';
import { promoteStaged, recoverModelsDir, stagingDir } from './modelSwap.js';
import { modelStore } from './modelStore.js';
import type { ConfigName } from './registry.js';
import { trainInWorker } from './trainInWorker.js';
import type { TrainWorkerInput } from './trainWorker.js';
import type { TrainEvent, TrainResult, TrainTarget } from './training.js';

export const CYCLE_META_LAST_RUN = 'weekly_cycle_last_run';

/** The models a server serves by default: both families for each of the three machines (ensembles first: they are quick). */
export const SERVED_TARGETS: readonly TrainTarget[] = (['ensemble', 'transformer'] as const).flatMap((family) => [1, 2, 3].map((machine) => ({ family, machine })));
const KST_OFFSET_MS = 9 * 3600_000;
const DAY_MS = 86_400_000;

export interface CycleTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Trains in the background; `onEvent` receives the per-model start/progress/done/failed events (for health). */
export type TrainFn = (
  input: TrainWorkerInput,
  onEvent?: (e: TrainEvent) => void,
) => { done: Promise<TrainResult[]>; cancel: () => Promise<unknown> };

export interface CycleLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The prediction service as the cycle uses it. */
export interface CyclePredictions {
  readonly modelsDir: string;
  readonly config: ConfigName;
  score(): { sets: number; forecasts: number };
  invalidate(): void;
  /** Re-export retrained models for ONNX serving (a no-op unless the runtime is onnx). */
  refreshOnnxExports?(): Promise<{ exported: string[]; failures: Array<{ key: string; error: string }> }>;
}

export interface WeeklyCycleOptions {
  db: Db;
  predictions: CyclePredictions;
  /** Default: `hogi sync` against dhlottery and lottotapa. */
  sync?: () => Promise<SyncSummary>;
  /** The default sync's source addresses (the edge passes HOGI_DHLOTTERY_URL / HOGI_LOTTOTAPA_URL). */
  sources?: { dhlotteryUrl?: string; lottotapaUrl?: string };
  /** Default: trainInWorker (a worker thread). */
  train?: TrainFn;
  now?: () => Date;
  timers?: CycleTimers;
  /** When the weekly run starts, in KST (default Saturday 21:00, after the 20:35 draw). weekday: 0 = Sunday. */
  at?: { weekday: number; hour: number; minute: number };
  /** Backoff while the round is not published: first wait, cap, and when to give up (default 5 min, 1 h, 24 h). */
  retry?: { firstMs?: number; maxMs?: number; giveUpMs?: number };
  /** What to retrain (default: every model of the served config found in the models directory). */
  targets?: readonly TrainTarget[];
  seed?: number;
  logger?: CycleLogger;
}

export type CyclePhase = 'idle' | 'waiting_for_draw' | 'syncing' | 'scoring' | 'training' | 'swapping' | 'stopped';
export type CycleOutcome = 'updated' | 'no_models' | 'retrain_failed' | 'no_new_draw';

export interface CycleRun {
  started_at: string;
  finished_at: string;
  outcome: CycleOutcome;
  /** The round the cycle waited for, and the latest stored when it ended. */
  expected_round: number | null;
  latest_round: number | null;
  sync_attempts: number;
  last_sync_error: string | null;
  scored: { sets: number; forecasts: number } | null;
  /** Keys promoted into service; failed ones keep serving their previous model. */
  retrained: string[];
  failed: Array<{ key: string; error: string }>;
  message: string;
}

/** How far the retrain of this cycle has got, from the training events. */
export interface CycleTraining {
  running: true;
  models_total: number;
  /** Models finished, trained or failed. */
  models_done: number;
  /** The model training now; `value`/`total` are epochs (Transformer) or steps (ensemble). */
  current: { key: string; family: TrainTarget['family']; machine: number | 'all'; value: number; total: number } | null;
  /** 0..1 over all models: finished ones count whole, the current one by value/total. */
  fraction: number;
  started_at: string;
}

/** Folds one training event into the progress (pure, so the arithmetic is tested on its own terms). */
export function applyTrainEvent(t: CycleTraining, e: TrainEvent): CycleTraining {
  let { models_done, current } = t;
  if (e.type === 'start') current = { key: e.key, family: e.family, machine: e.machine, value: 0, total: e.total };
  else if (e.type === 'progress') {
    if (current?.key === e.key) current = { ...current, value: e.value, total: e.total };
  } else {
    models_done = Math.min(t.models_total, models_done + 1);
    if (current?.key === e.key) current = null;
  }
  const part = current && current.total > 0 ? Math.min(1, Math.max(0, current.value / current.total)) : 0;
  const fraction = t.models_total > 0 ? Math.min(1, (models_done + part) / t.models_total) : 0;
  return { ...t, models_done, current, fraction };
}

export interface CycleStatus {
  enabled: boolean;
  phase: CyclePhase;
  /** Next timer: the weekly run, or the next sync retry while waiting for the draw. */
  next_run: string | null;
  next_run_kst: string | null;
  schedule: string;
  last_run: CycleRun | null;
  /** Progress of the retrain while the cycle trains; null otherwise. */
  training: CycleTraining | null;
}

const noopLogger: CycleLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The next time strictly after `now` that is weekday/hour/minute in KST (UTC+9, no daylight saving). */
export function nextWeeklyRun(now: Date, at: { weekday: number; hour: number; minute: number }): Date {
  const k = new Date(now.getTime() + KST_OFFSET_MS);
  const days = (at.weekday - k.getUTCDay() + 7) % 7;
  let t = Date.UTC(k.getUTCFullYear(), k.getUTCMonth(), k.getUTCDate() + days, at.hour, at.minute) - KST_OFFSET_MS;
  if (t <= now.getTime()) t += 7 * DAY_MS;
  return new Date(t);
}

/** "2026-11-28 21:00 KST" */
export function formatKst(d: Date): string {
  const k = new Date(d.getTime() + KST_OFFSET_MS).toISOString();
  return `${k.slice(0, 10)} ${k.slice(11, 16)} KST`;
}

const pad = (n: number) => String(n).padStart(2, '0');

export class WeeklyCycle {
  private readonly repo;
  private readonly now: () => Date;
  private readonly timers: CycleTimers;
  private readonly logger: CycleLogger;
  private readonly at: { weekday: number; hour: number; minute: number };
  private phase: CyclePhase = 'idle';
  private timer: unknown = null;
  private nextAt: Date | null = null;
  private wake: (() => void) | null = null;
  private running: Promise<CycleRun | null> | null = null;
  private cancelTraining: (() => Promise<unknown>) | null = null;
  private training: CycleTraining | null = null;
  private stopped = false;
  private started = false;

  constructor(private readonly options: WeeklyCycleOptions) {
    this.repo = drawsRepo(options.db);
    this.now = options.now ?? (() => new Date());
    this.timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms).unref(), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.logger = options.logger ?? noopLogger;
    this.at = options.at ?? { weekday: 6, hour: 21, minute: 0 };
  }

  /** Repair the models directory and arm the weekly timer. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const a of recoverModelsDir(this.options.predictions.modelsDir)) this.logger.warn({ models_dir: this.options.predictions.modelsDir }, a);
    this.armWeekly();
  }

  private armWeekly(): void {
    if (this.stopped) return;
    const at = nextWeeklyRun(this.now(), this.at);
    // A failure outside the handled ones (database gone, disk full during the swap) is logged; serving goes on.
    this.arm(at, () => void this.runNow().catch((err: unknown) => this.logger.error({ err: { message: (err as Error).message } }, 'weekly cycle failed')));
    this.logger.info({ next_run: at.toISOString(), next_run_kst: formatKst(at) }, 'weekly sync-and-retrain scheduled');
  }

  private arm(at: Date, fn: () => void): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.nextAt = at;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      fn();
    }, Math.max(0, at.getTime() - this.now().getTime()));
  }

  /** Wait on the injected timers; stop() ends the wait early. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.arm(new Date(this.now().getTime() + ms), () => {
        this.wake = null;
        resolve();
      });
    });
  }

  /** Run one cycle now (the timer calls this; so can tests and tools). Concurrent calls share one run. */
  runNow(): Promise<CycleRun | null> {
    return this.exclusive(() => this.cycle());
  }

  /** One run at a time: a call while another runs gets that run. */
  private exclusive(job: () => Promise<CycleRun | null>): Promise<CycleRun | null> {
    this.running ??= job().finally(() => {
      this.running = null;
      this.phase = this.stopped ? 'stopped' : 'idle';
      // Retry waits reuse the timer; once the run is over the weekly one is armed again.
      if (this.started && !this.stopped && this.timer === null) this.armWeekly();
    });
    return this.running;
  }

  private latestRound(): number | null {
    return this.repo.latest()?.round ?? null;
  }

  private async cycle(): Promise<CycleRun | null> {
    const started = this.now();
    const retry = { firstMs: 5 * 60_000, maxMs: 3600_000, giveUpMs: DAY_MS, ...this.options.retry };
    const before = this.latestRound();
    const expected = before === null ? null : before + 1;
    const run: CycleRun = {
      started_at: started.toISOString(),
      finished_at: '',
      outcome: 'updated',
      expected_round: expected,
      latest_round: before,
      sync_attempts: 0,
      last_sync_error: null,
      scored: null,
      retrained: [],
      failed: [],
      message: '',
    };
    const sync = this.options.sync ?? (() => runSync({ repo: this.repo, ...this.options.sources }));

    // 1. Sync until the expected round is stored.
    for (let attempt = 0; ; attempt++) {
      if (this.stopped) return null;
      this.phase = 'syncing';
      run.sync_attempts++;
      try {
        await sync();
        run.last_sync_error = null;
      } catch (e) {
        run.last_sync_error = (e as Error).message;
        this.logger.warn({ attempt: run.sync_attempts, err: { message: run.last_sync_error } }, 'weekly cycle: sync failed');
      }
      run.latest_round = this.latestRound();
      if (run.latest_round !== null && (expected === null || run.latest_round >= expected)) break;
      const delay = Math.min(retry.maxMs, retry.firstMs * 2 ** attempt);
      if (this.now().getTime() + delay - started.getTime() > retry.giveUpMs) {
        return this.finish(run, 'no_new_draw', `round ${expected ?? 1} did not appear after ${run.sync_attempts} sync attempts; the models were not retrained`);
      }
      this.phase = 'waiting_for_draw';
      this.logger.info({ expected_round: expected, retry_in_ms: delay }, 'weekly cycle: round not published yet; retrying');
      await this.sleep(delay);
    }
    if (this.stopped) return null;

    // 2. Score the stored predictions for the new round(s).
    this.phase = 'scoring';
    run.scored = this.options.predictions.score();

    // 3–4. Retrain what is served, into staging, and swap it in.
    const targets = this.options.targets ?? this.storedTargets();
    if (targets.length === 0) return this.finish(run, 'no_models', 'no trained models to retrain (run `hogi train` once); synced and scored only');
    return this.retrain(run, targets, (n) => `synced to round ${run.latest_round}, retrained ${n} model(s)`);
  }

  /**
   * Train `targets` on the stored history in the worker, into a staging store, then promote the
   * ones that trained and drop the prediction caches. Progress is in status().training meanwhile.
   */
  private async retrain(run: CycleRun, targets: readonly TrainTarget[], done: (retrained: number) => string): Promise<CycleRun | null> {
    const { modelsDir, config } = this.options.predictions;
    this.phase = 'training';
    const staging = stagingDir(modelsDir, this.now().getTime());
    const train: TrainFn = this.options.train ?? ((input, onEvent) => trainInWorker(input, { onEvent }));
    let results: TrainResult[];
    this.training = { running: true, models_total: targets.length, models_done: 0, current: null, fraction: 0, started_at: this.now().toISOString() };
    const onEvent = (e: TrainEvent) => {
      if (this.training) this.training = applyTrainEvent(this.training, e);
    };
    try {
      const job = train({ draws: this.repo.list(), modelsDir: staging, targets: [...targets], config, seed: this.options.seed ?? 42 }, onEvent);
      this.cancelTraining = job.cancel;
      results = await job.done;
    } catch (e) {
      results = targets.map((t) => ({ key: `${t.family}-${t.machine === 'all' ? 'all' : `m${t.machine}`}-${config}`, family: t.family, machine: t.machine, manifest: null, error: (e as Error).message, model: null }));
    } finally {
      this.cancelTraining = null;
      this.training = null;
    }
    if (this.stopped) {
      recoverModelsDir(modelsDir);
      return null;
    }
    run.failed = results.filter((r) => r.error !== null || r.manifest === null).map((r) => ({ key: r.key, error: r.error ?? 'no manifest' }));
    const ok = results.filter((r) => r.error === null && r.manifest !== null).map((r) => r.key);

    // Swap them in and drop the caches built on the old ones.
    this.phase = 'swapping';
    run.retrained = promoteStaged(staging, modelsDir, ok);
    if (run.retrained.length > 0) {
      this.options.predictions.invalidate();
      // The ONNX exports of the replaced models are now of an earlier training (tfjs serves them until this ends).
      await this.options.predictions.refreshOnnxExports?.().catch((e: unknown) => this.logger.warn({ err: { message: (e as Error).message } }, 'ONNX export after the retrain failed; tfjs serves the retrained models'));
    }
    if (run.failed.length > 0) {
      return this.finish(run, 'retrain_failed', `retrained ${run.retrained.length}, failed ${run.failed.length} (those keep serving their previous model)`);
    }
    return this.finish(run, 'updated', done(run.retrained.length));
  }

  /**
   * Start-up training: a server with draws but without some of the served models trains those in
   * the worker and swaps them in, exactly as the weekly retrain does (progress in
   * status().training, the frequency fallback serving meanwhile). Shares the one-run-at-a-time
   * slot with the weekly cycle. Resolves to null when nothing was missing.
   */
  trainMissing(targets: readonly TrainTarget[]): Promise<CycleRun | null> {
    const stored = new Set(this.storedTargets().map((t) => `${t.family}-${t.machine}`));
    const missing = targets.filter((t) => !stored.has(`${t.family}-${t.machine}`));
    if (missing.length === 0 || this.repo.count() === 0) return Promise.resolve(null);
    return this.exclusive(async () => {
      const latest = this.latestRound();
      const run: CycleRun = {
        started_at: this.now().toISOString(), finished_at: '', outcome: 'updated', expected_round: latest, latest_round: latest,
        sync_attempts: 0, last_sync_error: null, scored: null, retrained: [], failed: [], message: '',
      };
      this.logger.info({ models: missing.length, config: this.options.predictions.config }, 'start-up training: no trained models yet; training them in a worker (the frequency baseline serves meanwhile)');
      return this.retrain(run, missing, (n) => `start-up training: trained ${n} model(s) on rounds 1–${latest}; predictions now come from them`);
    });
  }

  private storedTargets(): TrainTarget[] {
    const { modelsDir, config } = this.options.predictions;
    return modelStore(modelsDir)
      .list()
      .filter((e) => e.manifest && e.manifest.config === config)
      .map((e) => ({ family: e.manifest!.family, machine: e.manifest!.machine }));
  }

  private finish(run: CycleRun, outcome: CycleOutcome, message: string): CycleRun {
    run.finished_at = this.now().toISOString();
    run.outcome = outcome;
    run.message = message;
    this.phase = 'idle';
    if (this.options.db.open) this.repo.setMeta(CYCLE_META_LAST_RUN, JSON.stringify(run));
    const log = outcome === 'updated' || outcome === 'no_models' ? this.logger.info : this.logger.warn;
    log.call(this.logger, { outcome, retrained: run.retrained, failed: run.failed, latest_round: run.latest_round }, `weekly cycle: ${message}`);
    return run;
  }

  lastRun(): CycleRun | null {
    const raw = this.options.db.open ? this.repo.getMeta(CYCLE_META_LAST_RUN) : null;
    return raw ? (JSON.parse(raw) as CycleRun) : null;
  }

  status(): CycleStatus {
    const next = this.stopped ? null : this.nextAt;
    return {
      enabled: this.started && !this.stopped,
      phase: this.stopped ? 'stopped' : this.phase,
      next_run: next ? next.toISOString() : null,
      next_run_kst: next ? formatKst(next) : null,
      schedule: `${WEEKDAYS[this.at.weekday]}s ${pad(this.at.hour)}:${pad(this.at.minute)} KST`,
      last_run: this.lastRun(),
      training: this.training,
    };
  }

  /** Disarm the timer, end a wait, stop a training worker (nothing is promoted), and wait for the run to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.wake?.();
    this.wake = null;
    await this.cancelTraining?.();
    await this.running?.catch(() => undefined);
  }
}
