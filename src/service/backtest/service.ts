/**
 * Reading stored backtests for the API, the CLI and the rest of the service: list, detail,
 * per-round rows, and what other features take from the latest completed backtest (the
 * machine analysis's performance_metrics, premium's method ranking). Nothing here invents a
 * number: without a completed backtest the answers say so.
 */
import { backtestsRepo, type BacktestResultRow, type BacktestRow } from '../../data/backtestsRepo.js';
import type { Db } from '../../data/db.js';
import { formatMachine, type Machine } from '../../domain/machine.js';
import type { CombinationMethod } from '../combining/combine.js';
import type { StoredParams } from './engine.js';
import type { BacktestSummary, MethodSummary } from './summary.js';

export interface BacktestParamsView {
  from: number;
  to: number;
  machine: string;
  retrain_every: number;
  methods: string[];
  sets: number;
  seed: number;
  config: string;
  window: number;
  data_hash: string;
  target_rounds: number;
  skipped_unlabelled: number;
  skipped_other_machine: number;
}

export interface BacktestListItem {
  id: string;
  status: 'running' | 'completed' | 'failed';
  params: BacktestParamsView;
  progress: { rounds_done: number; rounds_total: number; fraction: number };
  created_at: string;
  updated_at: string;
  error: string | null;
}

export interface BacktestDetail extends BacktestListItem {
  summary: BacktestSummary | null;
}

export interface BacktestRoundMethod {
  method: string;
  sets: number[][];
  matches: number[];
  bonus_hits: boolean[];
  log_loss: number | null;
  brier: number | null;
  probabilities?: number[] | null;
  detail: Record<string, unknown> | null;
}

export interface BacktestRound {
  round: number;
  machine_type: string | null;
  methods: BacktestRoundMethod[];
}

export interface PerformanceMetrics {
  /** 'backtest' when the figures come from a stored backtest; 'none' when no completed one exists. */
  source: 'backtest' | 'none';
  backtest_id: string | null;
  completed_at: string | null;
  rounds: number;
  period: { from: number; to: number } | null;
  prediction_accuracy: {
    /** The product path measured: strategy_M for a machine, weighted_voting for all. */
    method: string;
    mean_matches_per_set: number;
    chance_mean_matches: number;
    ci95: { lower: number; upper: number } | null;
    p_value: number;
    p_value_holm: number | null;
    verdict: string;
    log_loss: number | null;
    uniform_log_loss: number | null;
  } | null;
  differentiation: {
    /** Each machine strategy on its own machine's rounds. */
    per_machine: Array<{ machine_type: string; method: string; rounds: number; mean_matches_per_set: number; p_value_holm: number | null; verdict: string }>;
    note: string;
  } | null;
  note: string;
}

function paramsView(row: BacktestRow): BacktestParamsView {
  const p = JSON.parse(row.paramsJson) as StoredParams;
  return {
    from: p.from,
    to: p.to,
    machine: p.machine === 'all' ? 'all' : formatMachine(p.machine),
    retrain_every: p.retrainEvery,
    methods: [...p.methods],
    sets: p.sets,
    seed: p.seed,
    config: p.config,
    window: p.window,
    data_hash: p.dataHash,
    target_rounds: p.targetRounds,
    skipped_unlabelled: p.skippedUnlabelled,
    skipped_other_machine: p.skippedOtherMachine,
  };
}

function listItem(row: BacktestRow): BacktestListItem {
  return {
    id: row.id,
    status: row.status,
    params: paramsView(row),
    progress: { rounds_done: row.roundsDone, rounds_total: row.roundsTotal, fraction: row.roundsTotal > 0 ? row.roundsDone / row.roundsTotal : 0 },
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    error: row.error,
  };
}

function roundsOf(rows: readonly BacktestResultRow[], withProbabilities: boolean): BacktestRound[] {
  const byRound = new Map<number, BacktestRound>();
  for (const r of rows) {
    let g = byRound.get(r.round);
    if (!g) byRound.set(r.round, (g = { round: r.round, machine_type: r.machine === null ? null : formatMachine(r.machine), methods: [] }));
    g.methods.push({
      method: r.method,
      sets: r.sets,
      matches: r.matches,
      bonus_hits: r.bonus,
      log_loss: r.logLoss,
      brier: r.brier,
      ...(withProbabilities ? { probabilities: r.probabilities } : {}),
      detail: r.detail,
    });
  }
  return [...byRound.values()];
}

const NO_BACKTEST =
  'No completed backtest is stored, so there is no measured accuracy to show. Run `hogi backtest --from R1 --to R2` (see docs/evaluation.md).';

export function backtestService(db: Db) {
  const repo = backtestsRepo(db);
  const summaryOf = (row: BacktestRow): BacktestSummary | null => (row.summaryJson ? (JSON.parse(row.summaryJson) as BacktestSummary) : null);
  // Completed runs' details, re-read only when a run completes or is re-summarised (premium asks on every request).
  const details = new Map<string, BacktestDetail>();
  return {
    list(limit = 50, offset = 0): { items: BacktestListItem[]; total: number } {
      return { items: repo.list(limit, offset).map(listItem), total: repo.count() };
    },
    get(id: string): BacktestDetail | null {
      const row = repo.get(id);
      return row ? { ...listItem(row), summary: summaryOf(row) } : null;
    },
    /** The stored rows of `limit` rounds after the first `offset`, grouped by round. */
    rounds(id: string, limit: number, offset: number, withProbabilities = false): { items: BacktestRound[]; total: number } | null {
      const row = repo.get(id);
      if (!row) return null;
      return { items: roundsOf(repo.resultsPage(id, limit, offset), withProbabilities), total: row.roundsDone };
    },
    latestCompleted(): BacktestDetail | null {
      return latestDetail();
    },

    /**
     * The machine analysis's performance_metrics: the product path's measured matches on
     * that machine's rounds in the latest completed backtest that measured it (strategy_M for
     * a machine, weighted_voting over all rounds for 'all'), or an honest "none".
     */
    performanceMetrics(machine: Machine | null): PerformanceMetrics {
      // The latest completed run that measured this machine's product path; else the latest, which says it did not.
      const wanted = machine === null ? 'weighted_voting' : `strategy_${machine}`;
      const runs = completed();
      const latest =
        runs.find((d) => {
          const sc = machine === null ? d.summary?.overall : d.summary?.machines.find((m) => m.machine === machine);
          return sc?.methods.some((x) => x.method === wanted) ?? false;
        }) ??
        runs[0] ??
        null;
      if (!latest?.summary) {
        return { source: 'none', backtest_id: null, completed_at: null, rounds: 0, period: null, prediction_accuracy: null, differentiation: null, note: NO_BACKTEST };
      }
      const s = latest.summary;
      const scope = machine === null ? s.overall : s.machines.find((m) => m.machine === machine);
      const method = machine === null ? 'weighted_voting' : `strategy_${machine}`;
      const m: MethodSummary | undefined = scope?.methods.find((x) => x.method === method) ?? scope?.methods.find((x) => x.method === 'weighted_voting');
      const perMachine = s.machines.flatMap((sc) => {
        const st = sc.methods.find((x) => x.method === `strategy_${sc.machine}`);
        return st ? [{ machine_type: sc.scope, method: st.method, rounds: st.rounds, mean_matches_per_set: st.mean_matches, p_value_holm: st.p_value_holm, verdict: st.verdict }] : [];
      });
      return {
        source: 'backtest',
        backtest_id: latest.id,
        completed_at: latest.updated_at,
        rounds: scope?.rounds ?? 0,
        period: { from: latest.params.from, to: latest.params.to },
        prediction_accuracy: m
          ? {
              method: m.method,
              mean_matches_per_set: m.mean_matches,
              chance_mean_matches: m.chance_mean_matches,
              ci95: m.mean_matches_ci ? { lower: m.mean_matches_ci.lower, upper: m.mean_matches_ci.upper } : null,
              p_value: m.p_value,
              p_value_holm: m.p_value_holm,
              verdict: m.verdict,
              log_loss: m.log_loss?.mean ?? null,
              uniform_log_loss: m.log_loss?.uniform ?? null,
            }
          : null,
        differentiation: perMachine.length
          ? {
              per_machine: perMachine,
              note: 'Each machine strategy scored on the rounds drawn on its own machine, against the same chance value 0.8; different means are only meaningful where the verdicts differ.',
            }
          : null,
        note: m
          ? `Measured by walk-forward backtest ${latest.id} (rounds ${latest.params.from}–${latest.params.to}): ${m.method} matched ${m.mean_matches.toFixed(3)} numbers per set against ${m.chance_mean_matches.toFixed(3)} by chance (Holm p = ${(m.p_value_holm ?? m.p_value).toFixed(3)}).`
          : `Backtest ${latest.id} has no rounds for this machine.`,
      };
    },

    /** Premium's method: the best combination method by mean log-loss (summary.RANKING_RULE) of the latest completed backtest that scored them. */
    methodRanking(): { method: CombinationMethod; source: string } | null {
      // The latest completed run that scored the combination methods.
      const latest = completed().find((d) => d.summary?.ranking.best) ?? null;
      const r = latest?.summary?.ranking;
      if (!latest || !r || !r.best) return null;
      const verdict = r.beats_chance ? 'its log-loss beats the uniform 6/45' : 'but no method beats the uniform 6/45 log-loss: it is the least bad, not a predictor';
      return { method: r.best as CombinationMethod, source: `backtest ${latest.id}, rounds ${latest.params.from}–${latest.params.to}: lowest mean log-loss ${r.best_log_loss?.toFixed(4)} vs uniform ${r.uniform_log_loss.toFixed(4)}; ${verdict}` };
    },
  };

  /** The completed runs, newest first (the last 20). */
  function completed(): BacktestDetail[] {
    const stamps = repo.completedStamps(20);
    const out: BacktestDetail[] = [];
    for (const stamp of stamps) {
      let d = details.get(stamp);
      if (!d) {
        const row = repo.get(stamp.slice(0, stamp.indexOf('@')));
        if (!row || !row.summaryJson) continue;
        d = { ...listItem(row), summary: summaryOf(row) };
        details.set(stamp, d);
      }
      out.push(d);
    }
    for (const k of details.keys()) if (!stamps.includes(k)) details.delete(k);
    return out;
  }

  function latestDetail(): BacktestDetail | null {
    return completed()[0] ?? null;
  }
}

export type BacktestService = ReturnType<typeof backtestService>;
