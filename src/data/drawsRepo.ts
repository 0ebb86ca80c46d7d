import type { Draw } from '../domain/draw.js';
import type { Machine } from '../domain/machine.js';
import { acValue, highLowRatio, lastDigitSum, oddEvenRatio, totalSum } from '../domain/stats.js';
import type { Db } from './db.js';
import { roundsWritten } from './roundHooks.js';

interface DrawRow {
  draw_round: number;
  machine_type: number | null;
  winning_numbers: string;
  bonus_number: number;
  draw_date: string;
  first_prize_each: number | null;
  first_prize_winners: number | null;
  total_sales: number | null;
  special_memo: string | null;
}

export interface DrawQuery {
  from?: number;
  to?: number;
  machine?: Machine;
  limit?: number;
  offset?: number;
  /** Newest first when true (listing pages); oldest first otherwise. */
  descending?: boolean;
}

function toDraw(r: DrawRow): Draw {
  return {
    round: r.draw_round,
    date: r.draw_date,
    numbers: JSON.parse(r.winning_numbers) as number[],
    bonus: r.bonus_number,
    machine: r.machine_type,
    firstPrizeEach: r.first_prize_each,
    firstPrizeWinners: r.first_prize_winners,
    totalSales: r.total_sales,
    memo: r.special_memo,
  };
}

const COLS = 'draw_round, machine_type, winning_numbers, bonus_number, draw_date, first_prize_each, first_prize_winners, total_sales, special_memo';

function where(q: DrawQuery): { sql: string; params: Record<string, number> } {
  const parts: string[] = [];
  const params: Record<string, number> = {};
  if (q.from !== undefined) {
    parts.push('draw_round >= @from');
    params.from = q.from;
  }
  if (q.to !== undefined) {
    parts.push('draw_round <= @to');
    params.to = q.to;
  }
  if (q.machine !== undefined) {
    parts.push('machine_type = @machine');
    params.machine = q.machine;
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** SQL for draws only; rules live in the services. */
export function drawsRepo(db: Db) {
  const getStmt = db.prepare<[number], DrawRow>(`SELECT ${COLS} FROM lottery_draws WHERE draw_round = ?`);
  const upsertStmt = db.prepare(`
    INSERT INTO lottery_draws (draw_round, machine_type, winning_numbers, bonus_number, draw_date,
      odd_even_ratio, high_low_ratio, ac_value, last_digit_sum, total_sum,
      first_prize_each, first_prize_winners, total_sales, special_memo, created_at, updated_at)
    VALUES (@round, @machine, @numbers, @bonus, @date, @oddEven, @highLow, @ac, @lastDigitSum, @totalSum,
      @firstPrizeEach, @firstPrizeWinners, @totalSales, @memo, @now, @now)
    ON CONFLICT (draw_round) DO UPDATE SET
      machine_type = excluded.machine_type, winning_numbers = excluded.winning_numbers,
      bonus_number = excluded.bonus_number, draw_date = excluded.draw_date,
      odd_even_ratio = excluded.odd_even_ratio, high_low_ratio = excluded.high_low_ratio,
      ac_value = excluded.ac_value, last_digit_sum = excluded.last_digit_sum, total_sum = excluded.total_sum,
      first_prize_each = excluded.first_prize_each, first_prize_winners = excluded.first_prize_winners,
      total_sales = excluded.total_sales, special_memo = excluded.special_memo, updated_at = excluded.updated_at`);
  const metaGet = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const metaSet = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');

  const bump = () => {
    const v = Number(metaGet.get('data_version')?.value ?? '0') + 1;
    metaSet.run('data_version', String(v));
  };

  return {
    get(round: number): Draw | null {
      const r = getStmt.get(round);
      return r ? toDraw(r) : null;
    },
    /** Draws in round order (or newest first with `descending`). */
    list(q: DrawQuery = {}): Draw[] {
      const w = where(q);
      const order = q.descending ? 'DESC' : 'ASC';
      // LIMIT/OFFSET are bound like every other value (never spliced into the SQL text).
      const page = q.limit !== undefined ? ' LIMIT @limit OFFSET @offset' : '';
      const params = q.limit !== undefined ? { ...w.params, limit: Math.trunc(q.limit), offset: Math.trunc(q.offset ?? 0) } : w.params;
      return db.prepare<Record<string, number>, DrawRow>(`SELECT ${COLS} FROM lottery_draws ${w.sql} ORDER BY draw_round ${order}${page}`).all(params).map(toDraw);
    },
    count(q: DrawQuery = {}): number {
      const w = where(q);
      return (db.prepare<Record<string, number>, { n: number }>(`SELECT COUNT(*) AS n FROM lottery_draws ${w.sql}`).get(w.params) as { n: number }).n;
    },
    latest(): Draw | null {
      const r = db.prepare<[], DrawRow>(`SELECT ${COLS} FROM lottery_draws ORDER BY draw_round DESC LIMIT 1`).get();
      return r ? toDraw(r) : null;
    },
    /** Insert or replace many draws in ONE transaction: all are written or none. */
    upsertMany(draws: readonly Draw[], now: string): void {
      if (draws.length === 0) return;
      db.transaction(() => {
        for (const d of draws) {
          upsertStmt.run({
            round: d.round,
            machine: d.machine,
            numbers: JSON.stringify(d.numbers),
            bonus: d.bonus,
            date: d.date,
            oddEven: oddEvenRatio(d.numbers),
            highLow: highLowRatio(d.numbers),
            ac: acValue(d.numbers),
            lastDigitSum: lastDigitSum(d.numbers),
            totalSum: totalSum(d.numbers),
            firstPrizeEach: d.firstPrizeEach,
            firstPrizeWinners: d.firstPrizeWinners,
            totalSales: d.totalSales,
            memo: d.memo ?? null,
            now,
          });
        }
        bump();
        // Tickets of these rounds are checked in this same transaction (see roundHooks.ts).
        roundsWritten(db, draws.map((d) => d.round));
      })();
    },
    /** Increments on every write; caches and models key on it. */
    dataVersion(): number {
      return Number(metaGet.get('data_version')?.value ?? '0');
    },
    getMeta(key: string): string | null {
      return metaGet.get(key)?.value ?? null;
    },
    setMeta(key: string, value: string): void {
      metaSet.run(key, value);
    },
  };
}

export type DrawsRepo = ReturnType<typeof drawsRepo>;
