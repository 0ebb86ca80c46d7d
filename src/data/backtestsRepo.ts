import type { Db } from './db.js';

/** One walk-forward backtest run (migration 3, table `backtests`). */
export interface BacktestRow {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: 'running' | 'completed' | 'failed';
  paramsJson: string;
  /** Parameters + data hash: the same command on the same data resumes this run. */
  resumeKey: string;
  dataHash: string;
  fromRound: number;
  toRound: number;
  roundsTotal: number;
  roundsDone: number;
  summaryJson: string | null;
  error: string | null;
}

/** One method's tickets and scores for one round of a backtest. */
export interface BacktestResultRow {
  backtestId: string;
  round: number;
  machine: number | null;
  method: string;
  sets: number[][];
  matches: number[];
  bonus: boolean[];
  /** The method's 45 probabilities, when it has a vector. */
  probabilities: number[] | null;
  logLoss: number | null;
  brier: number | null;
  /** What the method actually used that round (fallbacks, weights); free-form JSON. */
  detail: Record<string, unknown> | null;
}

interface RunRecord {
  id: string;
  created_at: string;
  updated_at: string;
  status: BacktestRow['status'];
  params_json: string;
  resume_key: string;
  data_hash: string;
  from_round: number;
  to_round: number;
  rounds_total: number;
  rounds_done: number;
  summary_json: string | null;
  error: string | null;
}

interface ResultRecord {
  backtest_id: string;
  draw_round: number;
  machine: number | null;
  method: string;
  sets_json: string;
  matches_json: string;
  bonus_json: string;
  probabilities: string | null;
  log_loss: number | null;
  brier: number | null;
  detail_json: string | null;
}

const toRun = (r: RunRecord): BacktestRow => ({
  id: r.id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  status: r.status,
  paramsJson: r.params_json,
  resumeKey: r.resume_key,
  dataHash: r.data_hash,
  fromRound: r.from_round,
  toRound: r.to_round,
  roundsTotal: r.rounds_total,
  roundsDone: r.rounds_done,
  summaryJson: r.summary_json,
  error: r.error,
});

const toResult = (r: ResultRecord): BacktestResultRow => ({
  backtestId: r.backtest_id,
  round: r.draw_round,
  machine: r.machine,
  method: r.method,
  sets: JSON.parse(r.sets_json) as number[][],
  matches: JSON.parse(r.matches_json) as number[],
  bonus: (JSON.parse(r.bonus_json) as number[]).map((b) => b === 1),
  probabilities: r.probabilities === null ? null : (JSON.parse(r.probabilities) as number[]),
  logLoss: r.log_loss,
  brier: r.brier,
  detail: r.detail_json === null ? null : (JSON.parse(r.detail_json) as Record<string, unknown>),
});

/** SQL for backtests and their per-round results; the rules live in src/service/backtest. */
export function backtestsRepo(db: Db) {
  const insertRun = db.prepare(
    `INSERT INTO backtests (id, created_at, updated_at, status, params_json, resume_key, data_hash, from_round, to_round, rounds_total, rounds_done)
     VALUES (@id, @createdAt, @updatedAt, @status, @paramsJson, @resumeKey, @dataHash, @fromRound, @toRound, @roundsTotal, 0)`,
  );
  const getRun = db.prepare('SELECT * FROM backtests WHERE id = ?');
  const byResumeKey = db.prepare('SELECT * FROM backtests WHERE resume_key = ? ORDER BY created_at DESC LIMIT 1');
  const listRuns = db.prepare('SELECT * FROM backtests ORDER BY created_at DESC, id LIMIT ? OFFSET ?');
  const countRuns = db.prepare('SELECT COUNT(*) AS n FROM backtests');
  const completedStamps = db.prepare("SELECT id, updated_at FROM backtests WHERE status = 'completed' AND summary_json IS NOT NULL ORDER BY updated_at DESC, id LIMIT ?");
  const setStatus = db.prepare('UPDATE backtests SET status = ?, error = ?, updated_at = ? WHERE id = ?');
  const setSummary = db.prepare("UPDATE backtests SET summary_json = ?, status = 'completed', error = NULL, updated_at = ? WHERE id = ?");
  const bumpDone = db.prepare('UPDATE backtests SET rounds_done = (SELECT COUNT(DISTINCT draw_round) FROM backtest_results WHERE backtest_id = ?), updated_at = ? WHERE id = ?');
  const insertResult = db.prepare(
    `INSERT OR REPLACE INTO backtest_results (backtest_id, draw_round, machine, method, sets_json, matches_json, bonus_json, probabilities, log_loss, brier, detail_json)
     VALUES (@backtestId, @round, @machine, @method, @sets, @matches, @bonus, @probabilities, @logLoss, @brier, @detail)`,
  );
  const resultsOf = db.prepare('SELECT * FROM backtest_results WHERE backtest_id = ? ORDER BY draw_round, method');
  const resultsPage = db.prepare('SELECT * FROM backtest_results WHERE backtest_id = ? AND draw_round IN (SELECT DISTINCT draw_round FROM backtest_results WHERE backtest_id = ? ORDER BY draw_round LIMIT ? OFFSET ?) ORDER BY draw_round, method');
  const doneRounds = db.prepare('SELECT DISTINCT draw_round AS r FROM backtest_results WHERE backtest_id = ? ORDER BY draw_round');
  const deleteRun = db.prepare('DELETE FROM backtests WHERE id = ?');

  /** Every result of one round in one transaction: a round is either fully stored or not at all. */
  const saveRoundTx = db.transaction((id: string, rows: readonly BacktestResultRow[], now: string) => {
    for (const r of rows) {
      insertResult.run({
        backtestId: id,
        round: r.round,
        machine: r.machine,
        method: r.method,
        sets: JSON.stringify(r.sets),
        matches: JSON.stringify(r.matches),
        bonus: JSON.stringify(r.bonus.map((b) => (b ? 1 : 0))),
        probabilities: r.probabilities === null ? null : JSON.stringify(r.probabilities),
        logLoss: r.logLoss,
        brier: r.brier,
        detail: r.detail === null ? null : JSON.stringify(r.detail),
      });
    }
    bumpDone.run(id, now, id);
  });

  return {
    create(run: Omit<BacktestRow, 'roundsDone' | 'summaryJson' | 'error'>): void {
      insertRun.run(run);
    },
    get(id: string): BacktestRow | null {
      const r = getRun.get(id) as RunRecord | undefined;
      return r ? toRun(r) : null;
    },
    findByResumeKey(key: string): BacktestRow | null {
      const r = byResumeKey.get(key) as RunRecord | undefined;
      return r ? toRun(r) : null;
    },
    list(limit = 50, offset = 0): BacktestRow[] {
      return (listRuns.all(limit, offset) as RunRecord[]).map(toRun);
    },
    count(): number {
      return (countRuns.get() as { n: number }).n;
    },
    /** `id@updated_at` of the completed runs, newest first. */
    completedStamps(limit = 20): string[] {
      return (completedStamps.all(limit) as Array<{ id: string; updated_at: string }>).map((r) => `${r.id}@${r.updated_at}`);
    },
    setStatus(id: string, status: BacktestRow['status'], error: string | null, now: string): void {
      setStatus.run(status, error, now, id);
    },
    complete(id: string, summaryJson: string, now: string): void {
      setSummary.run(summaryJson, now, id);
    },
    saveRound(id: string, rows: readonly BacktestResultRow[], now: string): void {
      saveRoundTx(id, rows, now);
    },
    results(id: string): BacktestResultRow[] {
      return (resultsOf.all(id) as ResultRecord[]).map(toResult);
    },
    /** Results of the `limit` rounds after the first `offset` rounds (round order). */
    resultsPage(id: string, limit: number, offset: number): BacktestResultRow[] {
      return (resultsPage.all(id, id, limit, offset) as ResultRecord[]).map(toResult);
    },
    doneRounds(id: string): number[] {
      return (doneRounds.all(id) as Array<{ r: number }>).map((x) => x.r);
    },
    delete(id: string): void {
      deleteRun.run(id);
    },
  };
}

export type BacktestsRepo = ReturnType<typeof backtestsRepo>;
