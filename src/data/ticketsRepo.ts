// SQL for the player's tickets and their games; the rules (parsing, checking, money) live in
// src/service/tickets. Every multi-row write is one transaction.
import type { GameType, Slot } from '../domain/tickets/qr.js';
import type { Db } from './db.js';

export type TicketSource = 'qr' | 'manual' | 'prediction';

export interface GameResultRow {
  matches: number;
  bonusMatch: boolean;
  rank: number | null;
  prizeGross: number | null;
  tax: number | null;
  prizeNet: number | null;
}

export interface TicketGameRow {
  slot: Slot;
  type: GameType;
  numbers: number[];
  /** Null until the round's draw is stored. */
  result: GameResultRow | null;
}

export interface TicketRow {
  id: number;
  round: number;
  source: TicketSource;
  label: string | null;
  predictionId: string | null;
  createdAt: string;
  checkedAt: string | null;
  games: TicketGameRow[];
}

export interface NewTicket {
  round: number;
  source: TicketSource;
  label: string | null;
  serialHash: string | null;
  predictionId: string | null;
  createdAt: string;
  games: ReadonlyArray<{ slot: Slot; type: GameType; numbers: readonly number[] }>;
}

export interface TicketQuery {
  round?: number;
  status?: 'pending' | 'checked';
  limit?: number;
  offset?: number;
}

export interface GameResultWrite extends GameResultRow {
  ticketId: number;
  slot: Slot;
}

interface TicketDbRow {
  id: number;
  round: number;
  source: TicketSource;
  label: string | null;
  prediction_id: string | null;
  created_at: string;
  checked_at: string | null;
}

interface GameDbRow {
  ticket_id: number;
  slot: Slot;
  type: GameType;
  numbers: string;
  matches: number | null;
  bonus_match: number | null;
  rank: number | null;
  prize_gross: number | null;
  tax: number | null;
  prize_net: number | null;
}

function toGame(g: GameDbRow): TicketGameRow {
  return {
    slot: g.slot,
    type: g.type,
    numbers: JSON.parse(g.numbers) as number[],
    result:
      g.matches === null
        ? null
        : { matches: g.matches, bonusMatch: g.bonus_match === 1, rank: g.rank, prizeGross: g.prize_gross, tax: g.tax, prizeNet: g.prize_net },
  };
}

function where(q: TicketQuery): { sql: string; params: Record<string, number> } {
  const parts: string[] = [];
  const params: Record<string, number> = {};
  if (q.round !== undefined) {
    parts.push('round = @round');
    params.round = q.round;
  }
  if (q.status === 'pending') parts.push('checked_at IS NULL');
  if (q.status === 'checked') parts.push('checked_at IS NOT NULL');
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export function ticketsRepo(db: Db) {
  const insertTicket = db.prepare(
    'INSERT INTO tickets (round, source, label, serial_hash, prediction_id, created_at) VALUES (@round, @source, @label, @serialHash, @predictionId, @createdAt)',
  );
  const insertGame = db.prepare('INSERT INTO ticket_games (ticket_id, slot, type, numbers) VALUES (@ticketId, @slot, @type, @numbers)');
  const getTicket = db.prepare<[number], TicketDbRow>('SELECT id, round, source, label, prediction_id, created_at, checked_at FROM tickets WHERE id = ?');
  const gamesOf = db.prepare<[number], GameDbRow>('SELECT * FROM ticket_games WHERE ticket_id = ? ORDER BY slot');
  const bySerial = db.prepare<[string], { id: number }>('SELECT id FROM tickets WHERE serial_hash = ?');
  const setResult = db.prepare(
    `UPDATE ticket_games SET matches = @matches, bonus_match = @bonusMatch, rank = @rank, prize_gross = @prizeGross, tax = @tax, prize_net = @prizeNet
     WHERE ticket_id = @ticketId AND slot = @slot`,
  );
  const setChecked = db.prepare('UPDATE tickets SET checked_at = @checkedAt WHERE id = @id');
  const gamesOfMany = db.prepare<[string], GameDbRow>('SELECT * FROM ticket_games WHERE ticket_id IN (SELECT value FROM json_each(?)) ORDER BY ticket_id, slot');
  // Checking reads only what it ranks (the result columns would be read and thrown away).
  const gamesOfRound = db.prepare<[number], Pick<GameDbRow, 'ticket_id' | 'slot' | 'numbers'>>('SELECT g.ticket_id, g.slot, g.numbers FROM ticket_games g JOIN tickets t ON t.id = g.ticket_id WHERE t.round = ?');
  const gamesOfTicketInRound = db.prepare<[{ round: number; ticketId: number }], Pick<GameDbRow, 'ticket_id' | 'slot' | 'numbers'>>(
    'SELECT g.ticket_id, g.slot, g.numbers FROM ticket_games g JOIN tickets t ON t.id = g.ticket_id WHERE g.ticket_id = @ticketId AND t.round = @round',
  );

  const withGames = (rows: TicketDbRow[]): TicketRow[] => {
    if (rows.length === 0) return [];
    const games = new Map<number, TicketGameRow[]>();
    // One query for the page's games: the ids are bound as one JSON array.
    const gs = gamesOfMany.all(JSON.stringify(rows.map((r) => r.id)));
    for (const g of gs) {
      const list = games.get(g.ticket_id);
      if (list) list.push(toGame(g));
      else games.set(g.ticket_id, [toGame(g)]);
    }
    return rows.map((r) => ({
      id: r.id,
      round: r.round,
      source: r.source,
      label: r.label,
      predictionId: r.prediction_id,
      createdAt: r.created_at,
      checkedAt: r.checked_at,
      games: games.get(r.id) ?? [],
    }));
  };

  return {
    /** The ticket and its games in one transaction; returns the new id. */
    insert(t: NewTicket): number {
      return db.transaction(() => {
        const id = Number(insertTicket.run({ round: t.round, source: t.source, label: t.label, serialHash: t.serialHash, predictionId: t.predictionId, createdAt: t.createdAt }).lastInsertRowid);
        for (const g of t.games) insertGame.run({ ticketId: id, slot: g.slot, type: g.type, numbers: JSON.stringify(g.numbers) });
        return id;
      })();
    },
    get(id: number): TicketRow | null {
      const r = getTicket.get(id);
      if (!r) return null;
      return { id: r.id, round: r.round, source: r.source, label: r.label, predictionId: r.prediction_id, createdAt: r.created_at, checkedAt: r.checked_at, games: gamesOf.all(id).map(toGame) };
    },
    idBySerialHash(hash: string): number | null {
      return bySerial.get(hash)?.id ?? null;
    },
    /** Newest first. */
    list(q: TicketQuery = {}): TicketRow[] {
      const w = where(q);
      const page = q.limit !== undefined ? ' LIMIT @limit OFFSET @offset' : '';
      const params = q.limit !== undefined ? { ...w.params, limit: Math.trunc(q.limit), offset: Math.trunc(q.offset ?? 0) } : w.params;
      return withGames(db.prepare<Record<string, number>, TicketDbRow>(`SELECT id, round, source, label, prediction_id, created_at, checked_at FROM tickets ${w.sql} ORDER BY round DESC, id DESC${page}`).all(params));
    },
    count(q: TicketQuery = {}): number {
      const w = where(q);
      return (db.prepare<Record<string, number>, { n: number }>(`SELECT COUNT(*) AS n FROM tickets ${w.sql}`).get(w.params) as { n: number }).n;
    },
    /** Every game of every ticket of a round (for checking), or of one ticket of it. */
    gamesOfRound(round: number, ticketId?: number): Array<{ ticketId: number; slot: Slot; numbers: number[] }> {
      const rows = ticketId === undefined ? gamesOfRound.all(round) : gamesOfTicketInRound.all({ round, ticketId });
      return rows.map((g) => ({ ticketId: g.ticket_id, slot: g.slot, numbers: JSON.parse(g.numbers) as number[] }));
    },
    /** Rounds that have at least one ticket. */
    rounds(): number[] {
      return db.prepare<[], { round: number }>('SELECT DISTINCT round FROM tickets ORDER BY round').all().map((r) => r.round);
    },
    /** Store results and mark their tickets checked, in one transaction. */
    saveResults(results: readonly GameResultWrite[], checkedAt: string): void {
      if (results.length === 0) return;
      db.transaction(() => {
        const tickets = new Set<number>();
        for (const r of results) {
          setResult.run({ ticketId: r.ticketId, slot: r.slot, matches: r.matches, bonusMatch: r.bonusMatch ? 1 : 0, rank: r.rank, prizeGross: r.prizeGross, tax: r.tax, prizeNet: r.prizeNet });
          tickets.add(r.ticketId);
        }
        for (const id of tickets) setChecked.run({ id, checkedAt });
      })();
    },
    setLabel(id: number, label: string | null): boolean {
      return db.prepare('UPDATE tickets SET label = ? WHERE id = ?').run(label, id).changes > 0;
    },
    /** The ticket and its games (ON DELETE CASCADE) in one statement. */
    remove(id: number): boolean {
      return db.prepare('DELETE FROM tickets WHERE id = ?').run(id).changes > 0;
    },
    /** Every game with its round (the ledger). */
    allGames(): Array<{ ticketId: number; round: number; checked: boolean; game: TicketGameRow }> {
      const rows = db
        .prepare<[], GameDbRow & { round: number; checked_at: string | null }>('SELECT g.*, t.round, t.checked_at FROM ticket_games g JOIN tickets t ON t.id = g.ticket_id ORDER BY t.round, g.ticket_id, g.slot')
        .all();
      return rows.map((r) => ({ ticketId: r.ticket_id, round: r.round, checked: r.checked_at !== null, game: toGame(r) }));
    },
  };
}

export type TicketsRepo = ReturnType<typeof ticketsRepo>;
