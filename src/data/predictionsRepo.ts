import type { Db } from './db.js';

/** One stored prediction (a whole response: one or three machines' sets). */
export interface PredictionRow {
  requestId: string;
  createdAt: string;
  /** Where it was asked: 'api-generate', 'api-ensemble' or 'cli'. */
  source: string;
  /** '1', '2', '3' or 'all'. */
  machineType: string;
  targetRound: number;
  algorithm: string;
  method: string;
  dataVersion: number;
  seed: number;
  modelVersion: string;
  requestJson: string;
  modelVersionsJson: string;
  responseJson: string;
  /** The API key that asked for it; null without one (CLI, unkeyed loopback). */
  apiKeyId: number | null;
}

export interface PredictionSetRow {
  requestId: string;
  setNumber: number;
  machine: number;
  targetRound: number;
  numbers: number[];
  confidenceScore: number;
  expectedMatches: number;
  matches: number | null;
  bonusMatch: boolean | null;
  prizeRank: number | null;
  scoredAt: string | null;
}

export type NewPredictionSet = Omit<PredictionSetRow, 'matches' | 'bonusMatch' | 'prizeRank' | 'scoredAt'>;

export interface PredictionQuery {
  machineType?: string;
  round?: number;
  /** Only the predictions of this API key (undefined: everyone's). */
  apiKeyId?: number;
  limit?: number;
  offset?: number;
}

/** A family's forecast for one machine and target round. */
export interface ForecastRow {
  targetRound: number;
  machine: number;
  family: 'transformer' | 'ensemble';
  modelKey: string;
  modelCreatedAt: string;
  trainedThroughRound: number | null;
  dataVersion: number;
  probabilities: number[];
  createdAt: string;
  logLikelihood: number | null;
  scoredAt: string | null;
}

/** A stored row waiting for (re)scoring, with the draw of its target round. */
export interface ScoringCandidate<K> {
  key: K;
  numbers: number[];
  drawn: number[];
  bonus: number;
  /** The draw row's updated_at, recorded with the score so a rewritten draw is scored again. */
  drawUpdatedAt: string;
}

interface PredictionDbRow {
  request_id: string;
  created_at: string;
  source: string;
  machine_type: string;
  target_round: number;
  algorithm: string;
  method: string;
  data_version: number;
  seed: number;
  model_version: string;
  request_json: string;
  model_versions_json: string;
  response_json: string;
  api_key_id: number | null;
}

interface SetDbRow {
  request_id: string;
  set_number: number;
  machine: number;
  target_round: number;
  numbers: string;
  confidence_score: number;
  expected_matches: number;
  matches: number | null;
  bonus_match: number | null;
  prize_rank: number | null;
  scored_at: string | null;
}

interface ForecastDbRow {
  target_round: number;
  machine: number;
  family: 'transformer' | 'ensemble';
  model_key: string;
  model_created_at: string;
  trained_through_round: number | null;
  data_version: number;
  probabilities: string;
  created_at: string;
  log_likelihood: number | null;
  scored_at: string | null;
}

const toPrediction = (r: PredictionDbRow): PredictionRow => ({
  requestId: r.request_id,
  createdAt: r.created_at,
  source: r.source,
  machineType: r.machine_type,
  targetRound: r.target_round,
  algorithm: r.algorithm,
  method: r.method,
  dataVersion: r.data_version,
  seed: r.seed,
  modelVersion: r.model_version,
  requestJson: r.request_json,
  modelVersionsJson: r.model_versions_json,
  responseJson: r.response_json,
  apiKeyId: r.api_key_id,
});

const toSet = (r: SetDbRow): PredictionSetRow => ({
  requestId: r.request_id,
  setNumber: r.set_number,
  machine: r.machine,
  targetRound: r.target_round,
  numbers: JSON.parse(r.numbers) as number[],
  confidenceScore: r.confidence_score,
  expectedMatches: r.expected_matches,
  matches: r.matches,
  bonusMatch: r.bonus_match === null ? null : r.bonus_match === 1,
  prizeRank: r.prize_rank,
  scoredAt: r.scored_at,
});

const toForecast = (r: ForecastDbRow): ForecastRow => ({
  targetRound: r.target_round,
  machine: r.machine,
  family: r.family,
  modelKey: r.model_key,
  modelCreatedAt: r.model_created_at,
  trainedThroughRound: r.trained_through_round,
  dataVersion: r.data_version,
  probabilities: JSON.parse(r.probabilities) as number[],
  createdAt: r.created_at,
  logLikelihood: r.log_likelihood,
  scoredAt: r.scored_at,
});

function where(q: PredictionQuery): { sql: string; params: Record<string, string | number> } {
  const parts: string[] = [];
  const params: Record<string, string | number> = {};
  if (q.machineType !== undefined) {
    parts.push('machine_type = @machineType');
    params.machineType = q.machineType;
  }
  if (q.round !== undefined) {
    parts.push('target_round = @round');
    params.round = q.round;
  }
  if (q.apiKeyId !== undefined) {
    parts.push('api_key_id = @apiKeyId');
    params.apiKeyId = q.apiKeyId;
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** SQL for stored predictions, their sets and the per-family forecasts; the rules live in src/service/predictions. */
export function predictionsRepo(db: Db) {
  const insertPrediction = db.prepare(`
    INSERT INTO predictions (request_id, created_at, source, machine_type, target_round, algorithm, method, data_version, seed,
      model_version, request_json, model_versions_json, response_json, api_key_id)
    VALUES (@requestId, @createdAt, @source, @machineType, @targetRound, @algorithm, @method, @dataVersion, @seed,
      @modelVersion, @requestJson, @modelVersionsJson, @responseJson, @apiKeyId)`);
  const insertSet = db.prepare(`
    INSERT INTO prediction_sets (request_id, set_number, machine, target_round, numbers, confidence_score, expected_matches)
    VALUES (@requestId, @setNumber, @machine, @targetRound, @numbers, @confidenceScore, @expectedMatches)`);
  const getPrediction = db.prepare<[string], PredictionDbRow>('SELECT * FROM predictions WHERE request_id = ?');
  const setsOf = db.prepare<[string], SetDbRow>('SELECT * FROM prediction_sets WHERE request_id = ? ORDER BY set_number');
  // A set is (re)scored when it never was, or when its draw was rewritten since it was scored.
  const unscoredSets = db.prepare<[], SetDbRow & { winning_numbers: string; bonus_number: number; updated_at: string }>(`
    SELECT s.*, d.winning_numbers, d.bonus_number, d.updated_at FROM prediction_sets s
    JOIN lottery_draws d ON d.draw_round = s.target_round
    WHERE s.scored_at IS NULL OR s.draw_updated_at IS NOT d.updated_at`);
  const scoreSet = db.prepare(`
    UPDATE prediction_sets SET matches = @matches, bonus_match = @bonusMatch, prize_rank = @prizeRank, scored_at = @scoredAt,
      draw_updated_at = @drawUpdatedAt
    WHERE request_id = @requestId AND set_number = @setNumber`);
  const upsertForecast = db.prepare(`
    INSERT INTO forecasts (target_round, machine, family, model_key, model_created_at, trained_through_round, data_version, probabilities, created_at)
    VALUES (@targetRound, @machine, @family, @modelKey, @modelCreatedAt, @trainedThroughRound, @dataVersion, @probabilities, @createdAt)
    ON CONFLICT (target_round, machine, family) DO UPDATE SET
      model_key = excluded.model_key, model_created_at = excluded.model_created_at,
      trained_through_round = excluded.trained_through_round, data_version = excluded.data_version,
      probabilities = excluded.probabilities, created_at = excluded.created_at, log_likelihood = NULL, scored_at = NULL,
      draw_updated_at = NULL`);
  const getForecast = db.prepare<[number, number, string], ForecastDbRow>('SELECT * FROM forecasts WHERE target_round = ? AND machine = ? AND family = ?');
  const unscoredForecasts = db.prepare<[], ForecastDbRow & { winning_numbers: string; bonus_number: number; updated_at: string }>(`
    SELECT f.*, d.winning_numbers, d.bonus_number, d.updated_at FROM forecasts f
    JOIN lottery_draws d ON d.draw_round = f.target_round
    WHERE f.scored_at IS NULL OR f.draw_updated_at IS NOT d.updated_at`);
  const scoreForecast = db.prepare(`
    UPDATE forecasts SET log_likelihood = @logLikelihood, scored_at = @scoredAt, draw_updated_at = @drawUpdatedAt
    WHERE target_round = @targetRound AND machine = @machine AND family = @family`);
  // Rounds where both families forecast for this machine, the draw was on this machine, and both are scored.
  const blendingRows = db.prepare<[number, number], { target_round: number; transformer: number; ensemble: number }>(`
    SELECT t.target_round, t.log_likelihood AS transformer, e.log_likelihood AS ensemble
    FROM forecasts t
    JOIN forecasts e ON e.target_round = t.target_round AND e.machine = t.machine AND e.family = 'ensemble'
    JOIN lottery_draws d ON d.draw_round = t.target_round AND d.machine_type = t.machine
    WHERE t.family = 'transformer' AND t.machine = ? AND t.log_likelihood IS NOT NULL AND e.log_likelihood IS NOT NULL
    ORDER BY t.target_round DESC LIMIT ?`);

  return {
    /** Predictions and their sets, all in one transaction. */
    insertMany(items: ReadonlyArray<{ prediction: PredictionRow; sets: readonly NewPredictionSet[] }>): void {
      if (items.length === 0) return;
      db.transaction(() => {
        for (const { prediction, sets } of items) {
          insertPrediction.run(prediction);
          for (const s of sets) insertSet.run({ ...s, numbers: JSON.stringify(s.numbers) });
        }
      })();
    },
    get(requestId: string): { prediction: PredictionRow; sets: PredictionSetRow[] } | null {
      const r = getPrediction.get(requestId);
      return r ? { prediction: toPrediction(r), sets: setsOf.all(requestId).map(toSet) } : null;
    },
    /** Newest first. */
    list(q: PredictionQuery = {}): Array<{ prediction: PredictionRow; sets: PredictionSetRow[] }> {
      const w = where(q);
      // LIMIT/OFFSET are bound like every other value (never spliced into the SQL text).
      return db
        .prepare<Record<string, string | number>, PredictionDbRow>(`SELECT * FROM predictions ${w.sql} ORDER BY created_at DESC, request_id LIMIT @limit OFFSET @offset`)
        .all({ ...w.params, limit: Math.trunc(q.limit ?? 20), offset: Math.trunc(q.offset ?? 0) })
        .map((r) => ({ prediction: toPrediction(r), sets: setsOf.all(r.request_id).map(toSet) }));
    },
    count(q: PredictionQuery = {}): number {
      const w = where(q);
      return (db.prepare<Record<string, string | number>, { n: number }>(`SELECT COUNT(*) AS n FROM predictions ${w.sql}`).get(w.params) as { n: number }).n;
    },
    setsToScore(): Array<ScoringCandidate<{ requestId: string; setNumber: number }>> {
      return unscoredSets.all().map((r) => ({
        key: { requestId: r.request_id, setNumber: r.set_number },
        numbers: JSON.parse(r.numbers) as number[],
        drawn: JSON.parse(r.winning_numbers) as number[],
        bonus: r.bonus_number,
        drawUpdatedAt: r.updated_at,
      }));
    },
    forecastsToScore(): Array<ScoringCandidate<{ targetRound: number; machine: number; family: string }> & { probabilities: number[] }> {
      return unscoredForecasts.all().map((r) => ({
        key: { targetRound: r.target_round, machine: r.machine, family: r.family },
        numbers: [],
        probabilities: JSON.parse(r.probabilities) as number[],
        drawn: JSON.parse(r.winning_numbers) as number[],
        bonus: r.bonus_number,
        drawUpdatedAt: r.updated_at,
      }));
    },
    /** Write set and forecast scores in one transaction. */
    saveScores(
      sets: ReadonlyArray<{ requestId: string; setNumber: number; matches: number; bonusMatch: boolean; prizeRank: number | null; drawUpdatedAt: string }>,
      forecasts: ReadonlyArray<{ targetRound: number; machine: number; family: string; logLikelihood: number; drawUpdatedAt: string }>,
      scoredAt: string,
    ): void {
      if (sets.length === 0 && forecasts.length === 0) return;
      db.transaction(() => {
        for (const s of sets) scoreSet.run({ ...s, bonusMatch: s.bonusMatch ? 1 : 0, scoredAt });
        for (const f of forecasts) scoreForecast.run({ ...f, scoredAt });
      })();
    },
    upsertForecasts(rows: ReadonlyArray<Omit<ForecastRow, 'logLikelihood' | 'scoredAt'>>): void {
      if (rows.length === 0) return;
      db.transaction(() => {
        for (const r of rows) upsertForecast.run({ ...r, probabilities: JSON.stringify(r.probabilities) });
      })();
    },
    getForecast(targetRound: number, machine: number, family: 'transformer' | 'ensemble'): ForecastRow | null {
      const r = getForecast.get(targetRound, machine, family);
      return r ? toForecast(r) : null;
    },
    /** Scored per-draw log-likelihoods of both families for `machine`, oldest first, at most `limit`. */
    blendingHistory(machine: number, limit: number): Array<{ targetRound: number; transformer: number; ensemble: number }> {
      return blendingRows
        .all(machine, limit)
        .reverse()
        .map((r) => ({ targetRound: r.target_round, transformer: r.transformer, ensemble: r.ensemble }));
    },
  };
}

export type PredictionsRepo = ReturnType<typeof predictionsRepo>;
