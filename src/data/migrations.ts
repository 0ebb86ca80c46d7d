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
];
