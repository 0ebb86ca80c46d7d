/** Numbered, append-only schema migrations. Later features add entries at the end. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'lottery_draws',
    // Column names follow the design's lottery_draws table; bonus and prize columns are additions.
    sql: `
      CREATE TABLE lottery_draws (
        draw_round          INTEGER PRIMARY KEY CHECK (draw_round >= 1),
        machine_type        INTEGER CHECK (machine_type IS NULL OR machine_type >= 1),
        winning_numbers     TEXT    NOT NULL,
        bonus_number        INTEGER NOT NULL CHECK (bonus_number BETWEEN 1 AND 45),
        draw_date           TEXT    NOT NULL,
        odd_even_ratio      TEXT    NOT NULL,
        high_low_ratio      TEXT    NOT NULL,
        ac_value            INTEGER NOT NULL,
        last_digit_sum      INTEGER NOT NULL,
        total_sum           INTEGER NOT NULL,
        first_prize_each    INTEGER,
        first_prize_winners INTEGER,
        total_sales         INTEGER,
        special_memo        TEXT,
        created_at          TEXT    NOT NULL,
        updated_at          TEXT    NOT NULL
      );
      CREATE INDEX lottery_draws_machine ON lottery_draws (machine_type, draw_round);
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'predictions',
    // Every generated prediction (request, response, model versions) with its sets, and each
    // model family's 45-number forecast per target round. A set or forecast is scored once the
    // target draw is stored: matches / bonus / prize rank for sets, log-likelihood for forecasts.
    sql: `
      CREATE TABLE predictions (
        request_id          TEXT    PRIMARY KEY,
        created_at          TEXT    NOT NULL,
        source              TEXT    NOT NULL,
        machine_type        TEXT    NOT NULL,
        target_round        INTEGER NOT NULL CHECK (target_round >= 1),
        algorithm           TEXT    NOT NULL,
        method              TEXT    NOT NULL,
        data_version        INTEGER NOT NULL,
        seed                INTEGER NOT NULL,
        model_version       TEXT    NOT NULL,
        request_json        TEXT    NOT NULL,
        model_versions_json TEXT    NOT NULL,
        response_json       TEXT    NOT NULL
      );
      CREATE INDEX predictions_round ON predictions (target_round, machine_type);
      CREATE INDEX predictions_created ON predictions (created_at);
      CREATE TABLE prediction_sets (
        request_id       TEXT    NOT NULL REFERENCES predictions (request_id) ON DELETE CASCADE,
        set_number       INTEGER NOT NULL CHECK (set_number >= 1),
        machine          INTEGER NOT NULL CHECK (machine >= 1),
        target_round     INTEGER NOT NULL,
        numbers          TEXT    NOT NULL,
        confidence_score REAL    NOT NULL,
        expected_matches REAL    NOT NULL,
        matches          INTEGER CHECK (matches IS NULL OR matches BETWEEN 0 AND 6),
        bonus_match      INTEGER CHECK (bonus_match IS NULL OR bonus_match IN (0, 1)),
        prize_rank       INTEGER CHECK (prize_rank IS NULL OR prize_rank BETWEEN 1 AND 5),
        scored_at        TEXT,
        draw_updated_at  TEXT,
        PRIMARY KEY (request_id, set_number)
      );
      CREATE INDEX prediction_sets_round ON prediction_sets (target_round, scored_at);
      CREATE TABLE forecasts (
        target_round          INTEGER NOT NULL CHECK (target_round >= 1),
        machine               INTEGER NOT NULL CHECK (machine >= 1),
        family                TEXT    NOT NULL CHECK (family IN ('transformer', 'ensemble')),
        model_key             TEXT    NOT NULL,
        model_created_at      TEXT    NOT NULL,
        trained_through_round INTEGER,
        data_version          INTEGER NOT NULL,
        probabilities         TEXT    NOT NULL,
        created_at            TEXT    NOT NULL,
        log_likelihood        REAL,
        scored_at             TEXT,
        draw_updated_at       TEXT,
        PRIMARY KEY (target_round, machine, family)
      );
    `,
  },
  {
    version: 3,
    name: 'backtests',
    // Walk-forward backtests: one row per run (its parameters, the data it saw, progress and the
    // analysed summary), and one row per (run, round, method) with the tickets and scores, so an
    // interrupted run resumes from the rounds already stored. detail_json: what the method actually
    // used that round (fallbacks, weights), as the product would have reported it.
    sql: `
      CREATE TABLE backtests (
        id           TEXT    PRIMARY KEY,
        created_at   TEXT    NOT NULL,
        updated_at   TEXT    NOT NULL,
        status       TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        params_json  TEXT    NOT NULL,
        resume_key   TEXT    NOT NULL,
        data_hash    TEXT    NOT NULL,
        from_round   INTEGER NOT NULL,
        to_round     INTEGER NOT NULL,
        rounds_total INTEGER NOT NULL,
        rounds_done  INTEGER NOT NULL DEFAULT 0,
        summary_json TEXT,
        error        TEXT
      );
      CREATE INDEX backtests_resume ON backtests (resume_key, status);
      CREATE TABLE backtest_results (
        backtest_id   TEXT    NOT NULL REFERENCES backtests (id) ON DELETE CASCADE,
        draw_round    INTEGER NOT NULL,
        machine       INTEGER,
        method        TEXT    NOT NULL,
        sets_json     TEXT    NOT NULL,
        matches_json  TEXT    NOT NULL,
        bonus_json    TEXT    NOT NULL,
        probabilities TEXT,
        log_loss      REAL,
        brier         REAL,
        detail_json   TEXT,
        PRIMARY KEY (backtest_id, draw_round, method)
      );
    `,
  },
  {
    version: 4,
    name: 'api_keys',
    // API keys are stored only as SHA-256 hashes; the prefix lets a person recognise a key in lists.
    sql: `
      CREATE TABLE api_keys (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        key_hash     TEXT    NOT NULL UNIQUE,
        prefix       TEXT    NOT NULL,
        tier         TEXT    NOT NULL CHECK (tier IN ('free', 'premium', 'enterprise')),
        label        TEXT    NOT NULL,
        created_at   TEXT    NOT NULL,
        revoked_at   TEXT,
        last_used_at TEXT
      );
    `,
  },
  {
    version: 5,
    name: 'prize_tiers',
    // Tiers 2–5 of every round (tier 1 is first_prize_winners / first_prize_each above) and how the
    // first-prize tickets were bought (자동 / 수동 / 반자동, published from round 262). NULL is
    // unknown (not published yet, or no source had it), never "nobody won".
    sql: `
      ALTER TABLE lottery_draws ADD COLUMN winners_2       INTEGER CHECK (winners_2 IS NULL OR winners_2 >= 0);
      ALTER TABLE lottery_draws ADD COLUMN prize_each_2    INTEGER CHECK (prize_each_2 IS NULL OR prize_each_2 >= 0);
      ALTER TABLE lottery_draws ADD COLUMN winners_3       INTEGER CHECK (winners_3 IS NULL OR winners_3 >= 0);
      ALTER TABLE lottery_draws ADD COLUMN prize_each_3    INTEGER CHECK (prize_each_3 IS NULL OR prize_each_3 >= 0);
      ALTER TABLE lottery_draws ADD COLUMN winners_4       INTEGER CHECK (winners_4 IS NULL OR winners_4 >= 0);
      ALTER TABLE lottery_draws ADD COLUMN prize_each_4    INTEGER CHECK (prize_each_4 IS NULL OR prize_each_4 >= 0);
      ALTER TABLE lottery_draws ADD COLUMN winners_5       INTEGER CHECK (winners_5 IS NULL OR winners_5 >= 0);
      ALTER TABLE lottery_draws ADD COLUMN prize_each_5    INTEGER CHECK (prize_each_5 IS NULL OR prize_each_5 >= 0);
      ALTER TABLE lottery_draws ADD COLUMN first_auto      INTEGER CHECK (first_auto IS NULL OR first_auto >= 0);
      ALTER TABLE lottery_draws ADD COLUMN first_manual    INTEGER CHECK (first_manual IS NULL OR first_manual >= 0);
      ALTER TABLE lottery_draws ADD COLUMN first_semi_auto INTEGER CHECK (first_semi_auto IS NULL OR first_semi_auto >= 0);
    `,
  },
  {
    version: 6,
    name: 'prediction_owner',
    // The API key that asked for a prediction (NULL: no key, e.g. the CLI or an unkeyed loopback
    // client), so GET /api/predictions lists a key's own predictions only.
    sql: `
      ALTER TABLE predictions ADD COLUMN api_key_id INTEGER REFERENCES api_keys (id);
      CREATE INDEX predictions_owner ON predictions (api_key_id, created_at);
    `,
  },
];
