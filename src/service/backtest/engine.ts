/**
 * The walk-forward backtest engine: for every labelled draw t in [from, to], train only on
 * the draws before t (retraining every K rounds, models reused in between), predict, score
 * every method, and store the round's rows in one transaction.
 *
 * - Reproducible: every random choice is seeded from (seed, round, method); models get the
 *   run's seed. Same data + params + seed → identical stored rows.
 * - Resumable: the run's id is a hash of its parameters and the data it sees (draws up to
 *   `to`), so the same command finds the interrupted run and continues after its last stored
 *   round. Everything a round depends on besides the draws (stacking's records, blending's
 *   scores) is read from the rows already stored, so a resumed run computes exactly what an
 *   uninterrupted one would have.
 * - Parallel: retrain blocks are independent; a pool of worker threads trains the next
 *   blocks while this thread scores the rounds of finished ones in order.
 * - Rounds without a machine label are skipped (a machine strategy needs the machine), and
 *   counted in the stored parameters.
 */
import { createHash } from 'node:crypto';
import type { CombinerRecord } from '../../combination/combiner.js';
import { StackingCombiner } from '../../combination/stacking.js';
import { backtestsRepo, type BacktestResultRow, type BacktestRow } from '../../data/backtestsRepo.js';
import type { Db } from '../../data/db.js';
import { historyBefore, sortByRound, type Draw } from '../../domain/draw.js';
import { isKnownMachine, type Machine } from '../../domain/machine.js';
import { ValidationError, type Problem } from '../../domain/problems.js';
import { MAX_SETS } from '../../strategies/sets.js';
import { dataHash } from '../dataHash.js';
import { planBlocks, type BacktestModelFactory } from './blocks.js';
import { scoreRound, type RoundResult } from './round.js';
import { computeSummary, type BacktestSummary } from './summary.js';
import { defaultWorkers, inProcessTrainer, workerPoolTrainer, type BlockTrainer, type TrainerSetup } from './trainers.js';
import {
  BACKTEST_METHODS,
  MODEL_METHODS,
  type BacktestEvent,
  type BacktestMethod,
  type BacktestParams,
  type BlockResult,
  type RoundForecast,
} from './types.js';

export interface RunBacktestOptions {
  db: Db;
  /** Every stored draw (any order); only those up to `params.to` are used. */
  draws: readonly Draw[];
  params: BacktestParams;
  /** 'worker' (default): a pool of worker threads; 'in-process'; or a custom trainer. */
  trainer?: 'worker' | 'in-process' | ((setup: TrainerSetup) => BlockTrainer);
  /** Pool size for 'worker'. */
  workers?: number;
  /** Model factory for the in-process trainer (tests inject small or fake models). */
  createModel?: BacktestModelFactory;
  onEvent?: (e: BacktestEvent) => void;
  onLog?: (message: string) => void;
  /** Checked after every stored round: when aborted the run stops there, resumable. */
  signal?: AbortSignal;
  now?: () => Date;
}

export interface BacktestRunResult {
  id: string;
  status: 'completed' | 'interrupted';
  resumed: boolean;
  roundsTotal: number;
  roundsDone: number;
  summary: BacktestSummary | null;
}

/** What the run stores as params_json: the parameters and how the rounds were chosen. */
export interface StoredParams extends BacktestParams {
  dataHash: string;
  /** Rounds in [from, to] without a machine label (skipped), and labelled on another machine. */
  skippedUnlabelled: number;
  skippedOtherMachine: number;
  targetRounds: number;
}

/** Sorted, deduplicated methods; stacking and blending learn from the two families' rows, so those are always scored with them. */
export function normaliseMethods(methods: readonly BacktestMethod[]): BacktestMethod[] {
  const set = new Set(methods);
  if (set.has('stacking') || set.has('blending')) {
    set.add('transformer');
    set.add('ensemble');
  }
  return BACKTEST_METHODS.filter((m) => set.has(m));
}

export function validateParams(p: BacktestParams): void {
  const problems: Problem[] = [];
  if (!Number.isInteger(p.from) || p.from < 2) problems.push({ field: 'from', expected: 'an integer ≥ 2', found: String(p.from) });
  if (!Number.isInteger(p.to) || p.to < p.from) problems.push({ field: 'to', expected: `an integer ≥ from (${p.from})`, found: String(p.to) });
  if (!Number.isInteger(p.retrainEvery) || p.retrainEvery < 1) problems.push({ field: 'retrainEvery', expected: 'an integer ≥ 1', found: String(p.retrainEvery) });
  if (!Number.isInteger(p.sets) || p.sets < 1 || p.sets > MAX_SETS) problems.push({ field: 'sets', expected: `an integer 1..${MAX_SETS}`, found: String(p.sets) });
  if (!Number.isSafeInteger(p.seed)) problems.push({ field: 'seed', expected: 'an integer', found: String(p.seed) });
  if (!Number.isInteger(p.window) || p.window < 10 || p.window > 100) problems.push({ field: 'window', expected: 'an integer 10..100', found: String(p.window) });
  if (p.machine !== 'all' && !isKnownMachine(p.machine)) problems.push({ field: 'machine', expected: '1, 2, 3 or all', found: String(p.machine) });
  const bad = p.methods.filter((m) => !BACKTEST_METHODS.includes(m));
  if (p.methods.length === 0 || bad.length) problems.push({ field: 'methods', expected: BACKTEST_METHODS.join(', '), found: bad.join(', ') || 'none' });
  if (problems.length) throw new ValidationError(problems, 'invalid backtest parameters');
}

/** Hash of the parameters and the data seen: equal keys mean "the same backtest". */
export function resumeKeyOf(params: BacktestParams, hash: string): string {
  const canonical = JSON.stringify({
    from: params.from,
    to: params.to,
    machine: params.machine,
    retrainEvery: params.retrainEvery,
    methods: normaliseMethods(params.methods),
    sets: params.sets,
    seed: params.seed,
    config: params.config,
    window: params.window,
    modelOverrides: params.modelOverrides ?? null,
    data: hash,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** Stacking records and blending scores from stored rows: the only state carried between rounds. */
class RoundHistory {
  private readonly records: CombinerRecord[] = [];
  private readonly blending = new Map<Machine, Array<{ targetRound: number; transformer: number; ensemble: number }>>();

  constructor(private readonly drawsByRound: ReadonlyMap<number, Draw>) {}

  add(rows: readonly Pick<BacktestResultRow, 'round' | 'machine' | 'method' | 'probabilities' | 'logLoss' | 'detail'>[]): void {
    const t = rows.find((r) => r.method === 'transformer');
    const e = rows.find((r) => r.method === 'ensemble');
    if (!t || !e || !t.probabilities || !e.probabilities || t.logLoss === null || e.logLoss === null || t.machine === null) return;
    const round = t.round;
    const tt = Number(t.detail?.trained_through_round);
    const te = Number(e.detail?.trained_through_round);
    this.records.push({
      targetRound: round,
      members: { transformer: { vector: t.probabilities, trainedThroughRound: tt }, ensemble: { vector: e.probabilities, trainedThroughRound: te } },
      drawn: [...this.drawsByRound.get(round)!.numbers],
    });
    const list = this.blending.get(t.machine) ?? [];
    // The per-draw log-likelihood blending uses: −45 × the binary log-loss stored with the row.
    list.push({ targetRound: round, transformer: -45 * t.logLoss, ensemble: -45 * e.logLoss });
    this.blending.set(t.machine, list);
  }

  /** Combiner fitted on every earlier round; null while too few exist (the product's 409). */
  stacking(): StackingCombiner | null {
    const c = new StackingCombiner();
    if (this.records.length < c.getParams().minRecords) return null;
    return c.fit(this.records);
  }

  blendingHistory(machine: number, limit: number) {
    const list = this.blending.get(machine) ?? [];
    return list.slice(Math.max(0, list.length - limit));
  }
}

const groupByRound = (rows: readonly BacktestResultRow[]) => {
  const out = new Map<number, BacktestResultRow[]>();
  for (const r of rows) out.set(r.round, [...(out.get(r.round) ?? []), r]);
  return out;
};

export async function runBacktest(options: RunBacktestOptions): Promise<BacktestRunResult> {
  const params: BacktestParams = { ...options.params, methods: normaliseMethods(options.params.methods) };
  validateParams(params);
  const now = options.now ?? (() => new Date());
  const emit = options.onEvent ?? (() => undefined);
  const repo = backtestsRepo(options.db);

  const draws = sortByRound(options.draws).filter((d) => d.round <= params.to);
  const hash = dataHash(draws);
  const inRange = draws.filter((d) => d.round >= params.from);
  const labelled = inRange.filter((d): d is Draw & { machine: Machine } => d.machine !== null && isKnownMachine(d.machine));
  const targets = labelled.filter((d) => params.machine === 'all' || d.machine === params.machine);
  if (targets.length === 0) {
    throw new ValidationError(
      [{ field: 'from', expected: `stored draws with a machine label${params.machine === 'all' ? '' : ` of machine ${params.machine}`} in rounds ${params.from}–${params.to}`, found: `${inRange.length} draws, none usable` }],
      'nothing to backtest',
    );
  }
  const stored: StoredParams = {
    ...params,
    dataHash: hash,
    skippedUnlabelled: inRange.length - labelled.length,
    skippedOtherMachine: labelled.length - targets.length,
    targetRounds: targets.length,
  };
  const resumeKey = resumeKeyOf(params, hash);
  const id = `bt-${resumeKey.slice(0, 12)}`;

  let run: BacktestRow | null = repo.get(id);
  const resumed = run !== null;
  if (!run) {
    const at = now().toISOString();
    repo.create({ id, createdAt: at, updatedAt: at, status: 'running', paramsJson: JSON.stringify(stored), resumeKey, dataHash: hash, fromRound: params.from, toRound: params.to, roundsTotal: targets.length });
    run = repo.get(id)!;
  } else if (run.status !== 'running') {
    repo.setStatus(id, 'running', null, now().toISOString());
  }

  const drawsByRound = new Map(draws.map((d) => [d.round, d]));
  const history = new RoundHistory(drawsByRound);
  const doneRows = groupByRound(repo.results(id));
  for (const round of [...doneRows.keys()].sort((a, b) => a - b)) history.add(doneRows.get(round)!);
  const remaining = targets.filter((t) => !doneRows.has(t.round));
  const needsModels = params.methods.some((m) => MODEL_METHODS.has(m));
  const blocks = needsModels ? planBlocks(remaining, params.from, params.retrainEvery) : [];

  const setup: TrainerSetup = { draws, config: params.config, seed: params.seed, modelOverrides: params.modelOverrides };
  let trainer: BlockTrainer | null = null;
  if (blocks.length > 0) {
    const t = options.trainer ?? 'worker';
    trainer =
      t === 'worker'
        ? workerPoolTrainer(setup, Math.min(options.workers ?? defaultWorkers(), blocks.length), options.onLog)
        : t === 'in-process'
          ? inProcessTrainer(setup, options.createModel)
          : t(setup);
  }
  emit({ type: 'start', id, resumed, roundsTotal: targets.length, roundsDone: doneRows.size, blocks: blocks.length, workers: trainer?.concurrency ?? 0 });

  let done = doneRows.size;
  let interrupted = false;
  try {
    // Blocks in flight: the next `concurrency` blocks train while earlier rounds are scored.
    const inFlight = new Map<number, Promise<BlockResult>>();
    const launch = (i: number) => {
      if (trainer && i < blocks.length && !inFlight.has(i)) {
        const p = trainer.train(blocks[i]);
        p.catch(() => undefined); // awaited below; avoid an unhandled rejection while it waits its turn
        inFlight.set(i, p);
      }
    };
    const forecastsFor = async (i: number): Promise<Map<number, RoundForecast>> => {
      if (!trainer) return new Map();
      for (let k = i; k < i + trainer.concurrency; k++) launch(k);
      const result = await inFlight.get(i)!;
      inFlight.delete(i);
      emit({ type: 'block', index: i, blocks: blocks.length, ms: result.ms });
      return new Map(result.forecasts.map((f) => [f.round, f]));
    };

    const rounds = needsModels ? blocks.map((b, i) => ({ i, targets: b.targets.map((t) => drawsByRound.get(t.round)!) })) : [{ i: -1, targets: remaining }];
    outer: for (const group of rounds) {
      const forecasts = group.i >= 0 ? await forecastsFor(group.i) : new Map<number, RoundForecast>();
      for (const target of group.targets) {
        const round = target.round;
        const rows: RoundResult[] = scoreRound({
          target: target as Draw & { machine: Machine },
          before: historyBefore(draws, round),
          forecast: forecasts.get(round) ?? null,
          methods: params.methods,
          sets: params.sets,
          seed: params.seed,
          window: params.window,
          config: params.config,
          stacking: params.methods.includes('stacking') ? history.stacking() : null,
          blending: history,
        });
        const full = rows.map((r) => ({ ...r, backtestId: id }));
        repo.saveRound(id, full, now().toISOString());
        // Carry the stored form (JSON round trip) forward, as a resumed run would read it back.
        history.add(JSON.parse(JSON.stringify(full)) as BacktestResultRow[]);
        done++;
        emit({ type: 'round', round, done, total: targets.length });
        if (options.signal?.aborted) {
          interrupted = true;
          break outer;
        }
      }
    }
  } catch (e) {
    repo.setStatus(id, 'failed', (e as Error).message, now().toISOString());
    throw e;
  } finally {
    await trainer?.close();
  }
  if (interrupted && done < targets.length) return { id, status: 'interrupted', resumed, roundsTotal: targets.length, roundsDone: done, summary: null };

  const summary = computeSummary(repo.results(id), drawsByRound, stored);
  repo.complete(id, JSON.stringify(summary), now().toISOString());
  emit({ type: 'summary' });
  return { id, status: 'completed', resumed, roundsTotal: targets.length, roundsDone: done, summary };
}
