import type { Draw } from '../domain/draw.js';
import { completeLowerTiers, type FirstPrizeSplit, type LowerTiers } from '../domain/prizes.js';
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
  winners_2: number | null;
  prize_each_2: number | null;
  winners_3: number | null;
  prize_each_3: number | null;
  winners_4: number | null;
  prize_each_4: number | null;
  winners_5: number | null;
  prize_each_5: number | null;
  first_auto: number | null;
  first_manual: number | null;
  first_semi_auto: number | null;
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

const LOWER_RANKS = [2, 3, 4, 5] as const;

// Tiers are stored whole or not at all (one NULL means the round's tiers are unknown).
function lowerTiersOf(r: DrawRow): LowerTiers | null {
  return completeLowerTiers(LOWER_RANKS.map((k) => ({ winners: r[`winners_${k}`], prizeEach: r[`prize_each_${k}`] })));
}

function splitOf(r: DrawRow): FirstPrizeSplit | null {
  if (r.first_auto === null || r.first_manual === null || r.first_semi_auto === null) return null;
  return { auto: r.first_auto, manual: r.first_manual, semiAuto: r.first_semi_auto };
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
    lowerTiers: lowerTiersOf(r),
    firstPrizeSplit: splitOf(r),
  };
}

const COLS =
  'draw_round, machine_type, winning_numbers, bonus_number, draw_date, first_prize_each, first_prize_winners, total_sales, special_memo, ' +
  'winners_2, prize_each_2, winners_3, prize_each_3, winners_4, prize_each_4, winners_5, prize_each_5, first_auto, first_manual, first_semi_auto';

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

function tierParams(t: LowerTiers | null): Record<'w2' | 'p2' | 'w3' | 'p3' | 'w4' | 'p4' | 'w5' | 'p5', number | null> {
  return {
    w2: t?.[0].winners ?? null, p2: t?.[0].prizeEach ?? null,
    w3: t?.[1].winners ?? null, p3: t?.[1].prizeEach ?? null,
    w4: t?.[2].winners ?? null, p4: t?.[2].prizeEach ?? null,
    w5: t?.[3].winners ?? null, p5: t?.[3].prizeEach ?? null,
  };
}

/** SQL for draws only; rules live in the services. */
export function drawsRepo(db: Db) {
  const getStmt = db.prepare<[number], DrawRow>(`SELECT ${COLS} FROM lottery_draws WHERE draw_round = ?`);
  const upsertStmt = db.prepare(`
    INSERT INTO lottery_draws (draw_round, machine_type, winning_numbers, bonus_number, draw_date,
      odd_even_ratio, high_low_ratio, ac_value, last_digit_sum, total_sum,
      first_prize_each, first_prize_winners, total_sales, special_memo,
      winners_2, prize_each_2, winners_3, prize_each_3, winners_4, prize_each_4, winners_5, prize_each_5,
      first_auto, first_manual, first_semi_auto, created_at, updated_at)
    VALUES (@round, @machine, @numbers, @bonus, @date, @oddEven, @highLow, @ac, @lastDigitSum, @totalSum,
      @firstPrizeEach, @firstPrizeWinners, @totalSales, @memo,
      @w2, @p2, @w3, @p3, @w4, @p4, @w5, @p5, @auto, @manual, @semiAuto, @now, @now)
    ON CONFLICT (draw_round) DO UPDATE SET
      machine_type = excluded.machine_type, winning_numbers = excluded.winning_numbers,
      bonus_number = excluded.bonus_number, draw_date = excluded.draw_date,
      odd_even_ratio = excluded.odd_even_ratio, high_low_ratio = excluded.high_low_ratio,
      ac_value = excluded.ac_value, last_digit_sum = excluded.last_digit_sum, total_sum = excluded.total_sum,
      first_prize_each = excluded.first_prize_each, first_prize_winners = excluded.first_prize_winners,
      total_sales = excluded.total_sales, special_memo = excluded.special_memo,
      winners_2 = excluded.winners_2, prize_each_2 = excluded.prize_each_2, winners_3 = excluded.winners_3,
      prize_each_3 = excluded.prize_each_3, winners_4 = excluded.winners_4, prize_each_4 = excluded.prize_each_4,
      winners_5 = excluded.winners_5, prize_each_5 = excluded.prize_each_5, first_auto = excluded.first_auto,
      first_manual = excluded.first_manual, first_semi_auto = excluded.first_semi_auto, updated_at = excluded.updated_at`);
  const metaGet = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const metaSet = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');

  const bump = () => {
    const v = Number(metaGet.get('data_version')?.value ?? '0') + 1;
    metaSet.run('data_version', String(v));
  };

  /** Insert or replace many draws in ONE transaction: all are written or none. */
  const upsertMany = (draws: readonly Draw[], now: string): void => {
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
          ...tierParams(d.lowerTiers ?? null),
          auto: d.firstPrizeSplit?.auto ?? null,
          manual: d.firstPrizeSplit?.manual ?? null,
          semiAuto: d.firstPrizeSplit?.semiAuto ?? null,
          now,
        });
      }
      bump();
      // Tickets of these rounds are checked in this same transaction (see roundHooks.ts): a draw
      // arriving, or its prize figures filled in later by a prizes CSV or a sync.
      roundsWritten(db, draws.map((d) => d.round));
    })();
  };

  return {
    upsertMany,
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
    /**
     * Write `draws` only if no draw is stored yet, checking and writing in ONE transaction (two
     * processes starting on one empty database load it once). True when it wrote them.
     */
    seedIfEmpty(draws: readonly Draw[], now: string): boolean {
      return db.transaction(() => {
        const n = (db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM lottery_draws').get() as { n: number }).n;
        if (n > 0 || draws.length === 0) return false;
        upsertMany(draws, now);
        return true;
      }).immediate();
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
