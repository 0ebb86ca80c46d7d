/**
 * The popularity model's evidence for the dashboard: the walk-forward backtest over a window of
 * rounds (default: the last 300 with all five prize tiers, refitted every 10 rounds). One run costs
 * minutes of CPU, so it runs in a worker thread, one at a time, and reports progress; the finished
 * report is kept per (stored prize data, window), so later requests answer at once. A request for
 * a window that is not ready starts it (or finds it running) and gets its progress.
 */
import type { PrizeRound } from '../../domain/prizeRound.js';
import type { PopularityParams } from '../../models/popularity/model.js';
import { runPopularityBacktest, type GoalCheck, type PopularityBacktestReport, type TierKey } from './backtest.js';
import type { EvidenceWorkerInput } from './evidenceWorker.js';
import type { PopularityService } from './service.js';
import type { TierSummary } from './summary.js';
import { oneAnswer, startModuleWorker } from '../workers/thread.js';

/** The window used when a request names none: the issue-14 goal window's size and refit interval. */
export const EVIDENCE_DEFAULTS = { rounds: 300, retrainEvery: 10 } as const;
/** Rounds with all five tiers that must precede `from`: the first fit and the causal level need them. */
export const MIN_TRAINING_ROUNDS = 52;
/** Fewer evaluated rounds give no summary (correlations and quintiles need at least this many). */
export const MIN_EVALUATED_ROUNDS = 10;
/** Refits one run may need at most (rounds ÷ retrain_every, rounded up). */
export const MAX_REFITS = 100;

/** What the best public peers report, for the page to show beside our figures. */
export const PEER_FIGURES = [
  {
    value: 0.613,
    en: 'out-of-sample correlation of a public lottery-popularity model (before recalibration its R² was negative)',
    ko: '공개된 인기 모델의 표본 외 상관계수 (재보정 전에는 R²가 음수)',
  },
  { value: 0.695, en: 'split-half correlation reported by another public model', ko: '다른 공개 모델이 보고한 절반 분할(split-half) 상관계수' },
] as const;

export interface EvidenceRequest {
  from?: number;
  to?: number;
  retrainEvery?: number;
}

export interface EvidenceWindow {
  from: number;
  to: number;
  retrainEvery: number;
}

/** A window the stored data cannot serve; `field` names the parameter at fault. */
export class EvidenceWindowError extends RangeError {
  constructor(
    message: string,
    readonly field: 'from' | 'to' | 'retrain_every',
  ) {
    super(message);
    this.name = 'EvidenceWindowError';
  }
}

/** Too many different windows asked for at once. */
export class EvidenceBusyError extends Error {
  constructor(queued: number) {
    super(`one popularity backtest is running and ${queued} wait; try again shortly (finished windows are served from the cache)`);
    this.name = 'EvidenceBusyError';
  }
}

const complete = (r: PrizeRound) => r.winners.every((w) => w !== null) && r.totalSales > 0;

/** Fill in the defaults and check the window against the stored rounds (sorted by round). */
export function resolveEvidenceWindow(rounds: readonly PrizeRound[], req: EvidenceRequest): EvidenceWindow {
  const usable = rounds.filter(complete).map((r) => r.round);
  const K = req.retrainEvery ?? EVIDENCE_DEFAULTS.retrainEvery;
  if (!Number.isInteger(K) || K < 1) throw new EvidenceWindowError(`retrain_every must be a whole number ≥ 1, got ${K}`, 'retrain_every');
  if (usable.length < MIN_TRAINING_ROUNDS + MIN_EVALUATED_ROUNDS)
    throw new EvidenceWindowError(`the backtest needs at least ${MIN_TRAINING_ROUNDS + MIN_EVALUATED_ROUNDS} rounds with all five prize tiers; ${usable.length} are stored`, 'from');
  const last = usable[usable.length - 1];
  const firstAllowed = usable[MIN_TRAINING_ROUNDS];
  const to = req.to ?? last;
  if (to > last) throw new EvidenceWindowError(`to (${to}) is after the last round with all five prize tiers (${last})`, 'to');
  const toIndex = usable.filter((r) => r <= to).length - 1;
  const from = req.from ?? usable[Math.max(MIN_TRAINING_ROUNDS, toIndex - EVIDENCE_DEFAULTS.rounds + 1)];
  if (from > to) throw new EvidenceWindowError(`from (${from}) is after to (${to})`, 'from');
  if (from < firstAllowed)
    throw new EvidenceWindowError(`from (${from}) must be ${firstAllowed} or later: the first fit needs ${MIN_TRAINING_ROUNDS} rounds with all five prize tiers before it`, 'from');
  const n = usable.filter((r) => r >= from && r <= to).length;
  if (n < MIN_EVALUATED_ROUNDS) throw new EvidenceWindowError(`the window ${from}–${to} holds ${n} rounds with all five prize tiers; at least ${MIN_EVALUATED_ROUNDS} are needed`, 'to');
  if (Math.ceil(n / K) > MAX_REFITS)
    throw new EvidenceWindowError(`${n} rounds refitted every ${K} need ${Math.ceil(n / K)} fits; at most ${MAX_REFITS} (raise retrain_every or shorten the window)`, 'retrain_every');
  return { from, to, retrainEvery: K };
}

export type EvidenceCompute = (input: EvidenceWorkerInput, onProgress: (done: number, total: number) => void, signal: AbortSignal) => Promise<PopularityBacktestReport>;

/** Run the backtest in a worker thread, passing its progress on. */
export const evidenceInWorker: EvidenceCompute = (input, onProgress, signal) =>
  oneAnswer<PopularityBacktestReport>(startModuleWorker(new URL('./evidenceWorker.js', import.meta.url), input), {
    what: 'popularity backtest worker',
    onProgress,
    signal,
    abortMessage: 'popularity backtest stopped: the server is closing',
  });

/** The same in this thread (tests, and a CLI that has no event loop to keep free). */
export const evidenceInThread: EvidenceCompute = async (input, onProgress, signal) =>
  runPopularityBacktest(input.rounds, { from: input.from, to: input.to, retrainEvery: input.retrainEvery, params: input.params, onProgress, signal });

export type EvidenceStatus = 'queued' | 'running' | 'done' | 'failed';

export interface TierEvidence extends TierSummary {
  goal: GoalCheck | null;
}

export interface EvidenceView {
  status: EvidenceStatus;
  window: { from: number; to: number; retrain_every: number; rounds: number };
  /** The last stored round with prize data when the run started (the cache key's data side). */
  data_through: number;
  progress: { done: number; total: number; fraction: number };
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  /** Null until the run is done. */
  evidence: {
    tiers: Record<TierKey, TierEvidence | null>;
    goals: GoalCheck[];
    params: PopularityParams;
  } | null;
  peers: Array<{ value: number; en: string; ko: string }>;
  note: { en: string; ko: string };
}

export const EVIDENCE_NOTE = {
  en:
    'Sharing changes only how much a prize pays if you win, never the chance of winning: every combination is drawn with the same probability. ' +
    'Each round is scored by a model fitted only on earlier rounds, but the model settings were chosen while looking at rounds 939–1238, so figures over a window that overlaps them flatter the model somewhat.',
  ko:
    '당첨금을 나누는 사람 수는 당첨됐을 때 받는 금액만 바꿀 뿐, 당첨 확률은 바꾸지 않습니다. 모든 조합이 뽑힐 확률은 같습니다. ' +
    '각 회차는 그 이전 회차만으로 학습한 모델로 채점했지만, 모델 설정은 939–1238회 구간을 보며 골랐으므로 그 구간과 겹치는 구간의 수치는 다소 낙관적입니다.',
};

interface Job {
  key: string;
  window: EvidenceWindow;
  rounds: number;
  dataThrough: number;
  status: EvidenceStatus;
  done: number;
  total: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  report: PopularityBacktestReport | null;
}

export interface EvidenceServiceOptions {
  compute?: EvidenceCompute;
  /** Clock for started/finished times (injected in tests). */
  now?: () => Date;
  /** Finished windows kept (oldest dropped first; default 8). */
  maxKept?: number;
  /** Windows waiting behind the running one (default 3); more are refused with EvidenceBusyError. */
  maxQueued?: number;
}

export class PopularityEvidence {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Array<() => void> = [];
  private running = 0;
  private readonly compute: EvidenceCompute;
  private readonly now: () => Date;
  private readonly maxKept: number;
  private readonly maxQueued: number;
  private readonly stop = new AbortController();
  private idleWaiters: Array<() => void> = [];
  /** How many runs were started rather than answered from the cache. */
  runs = 0;

  constructor(
    private readonly service: PopularityService,
    options: EvidenceServiceOptions = {},
  ) {
    this.compute = options.compute ?? evidenceInWorker;
    this.now = options.now ?? (() => new Date());
    this.maxKept = options.maxKept ?? 8;
    this.maxQueued = options.maxQueued ?? 3;
  }

  /**
   * The evidence for a window: finished (from the cache), or the progress of its run, which this
   * call starts when nothing for the window and the stored data is under way. Throws
   * PopularityDataError (no prize tiers), EvidenceWindowError (bad window) or EvidenceBusyError.
   */
  request(req: EvidenceRequest): EvidenceView {
    const rounds = this.service.rounds();
    const window = resolveEvidenceWindow(rounds, req);
    const key = `${this.service.dataKey(rounds)}|${window.from}|${window.to}|${window.retrainEvery}`;
    const found = this.jobs.get(key);
    if (this.stop.signal.aborted) throw new Error('the popularity evidence service is closed');
    if (found) {
      // A failed run is shown once, then forgotten so the next request tries again.
      if (found.status === 'failed') this.jobs.delete(key);
      return this.view(found);
    }
    const waiting = [...this.jobs.values()].filter((j) => j.status === 'queued').length;
    if (this.running > 0 && waiting >= this.maxQueued) throw new EvidenceBusyError(waiting);
    const n = rounds.filter((r) => r.round >= window.from && r.round <= window.to).length;
    const job: Job = { key, window, rounds: n, dataThrough: rounds[rounds.length - 1].round, status: 'queued', done: 0, total: n, startedAt: null, finishedAt: null, error: null, report: null };
    this.jobs.set(key, job);
    this.runs++;
    const start = () => this.run(job, rounds);
    if (this.running === 0) start();
    else this.queue.push(start);
    return this.view(job);
  }

  private run(job: Job, rounds: PrizeRound[]): void {
    this.running++;
    job.status = 'running';
    job.startedAt = this.now().toISOString();
    const input: EvidenceWorkerInput = { rounds, from: job.window.from, to: job.window.to, retrainEvery: job.window.retrainEvery, params: this.service.modelParams };
    const finish = () => {
      job.finishedAt = this.now().toISOString();
      this.running--;
      this.trim();
      this.queue.shift()?.();
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    };
    // Started on the next turn so that a compute running in this thread cannot hold up the reply.
    void Promise.resolve()
      .then(() =>
        this.compute(
          input,
          (done, total) => {
            job.done = done;
            job.total = total;
          },
          this.stop.signal,
        ),
      )
      .then(
        (report) => {
          job.report = report;
          job.done = job.total;
          job.status = 'done';
          finish();
        },
        (e: unknown) => {
          job.error = e instanceof Error ? e.message : String(e);
          job.status = 'failed';
          finish();
        },
      );
  }

  /** Resolves once no run is running or waiting (tests and shutdown wait on it instead of a clock). */
  async idle(): Promise<void> {
    while (this.running > 0 || this.queue.length > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
  }

  /** Stop the running backtest and drop the waiting ones (the server is closing). */
  close(): void {
    this.queue.length = 0;
    this.stop.abort();
  }

  /** Keep the newest `maxKept` finished windows. */
  private trim(): void {
    const finished = [...this.jobs.values()].filter((j) => j.status === 'done');
    for (const j of finished.slice(0, Math.max(0, finished.length - this.maxKept))) this.jobs.delete(j.key);
  }

  private view(job: Job): EvidenceView {
    const r = job.report;
    let evidence: EvidenceView['evidence'] = null;
    if (r) {
      const tiers = {} as Record<TierKey, TierEvidence | null>;
      for (const k of ['1', '2', '3', '4', '5'] as const) {
        const s = r.summary.tiers[k];
        tiers[k] = s ? { ...s, goal: r.summary.goals.find((g) => g.tier === k) ?? null } : null;
      }
      evidence = { tiers, goals: r.summary.goals, params: r.params };
    }
    return {
      status: job.status,
      window: { from: job.window.from, to: job.window.to, retrain_every: job.window.retrainEvery, rounds: job.rounds },
      data_through: job.dataThrough,
      progress: { done: job.done, total: job.total, fraction: job.total > 0 ? job.done / job.total : 0 },
      started_at: job.startedAt,
      finished_at: job.finishedAt,
      error: job.error,
      evidence,
      peers: PEER_FIGURES.map((p) => ({ ...p })),
      note: EVIDENCE_NOTE,
    };
  }
}
