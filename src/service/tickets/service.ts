// The player's tickets: add (from a paper ticket's QR, typed games or a stored prediction),
// list, label, remove, check against that round's draw and prize per winner, and the ledger.
// A scanned ticket's serial is never stored, logged or returned: only a keyed SHA-256 of it, so
// scanning the same ticket twice is recognised.
import { createHmac, randomBytes } from 'node:crypto';
import { MAX_NUMBER, MIN_NUMBER, NUMBERS_PER_DRAW } from '../../domain/draw.js';
import { expectedWins, RANKS, tierProbability } from '../../domain/tickets/odds.js';
import { prizeAfterTax, rankGame, TICKET_PRICE_WON, type Rank } from '../../domain/tickets/prize.js';
import { parseTicketQr, SLOTS, type GameType, type QrProblem, type Slot } from '../../domain/tickets/qr.js';
import type { Db } from '../../data/db.js';
import { drawsRepo } from '../../data/drawsRepo.js';
import { predictionsRepo } from '../../data/predictionsRepo.js';
import { hasRoundsWrittenHook, onRoundsWritten } from '../../data/roundHooks.js';
import { ticketsRepo, type GameResultWrite, type TicketGameRow, type TicketRow, type TicketSource, type TicketsRepo } from '../../data/ticketsRepo.js';
import type { RoundResults } from './notify.js';
import { drawsPrizeSource, type PrizeTier, type TicketPrizeSource } from './prizeSource.js';

import { MAX_LABEL_LENGTH, MAX_TICKET_ROUND } from '../../domain/tickets/limits.js';

export { MAX_LABEL_LENGTH, MAX_TICKET_ROUND };
const SERIAL_KEY_META = 'ticket_serial_key';

/** Why a ticket was refused: a stable code, the request field at fault, an English sentence. */
export class TicketInputError extends Error {
  readonly code: string;
  readonly field: string;
  constructor(code: string, field: string, message: string) {
    super(message);
    this.name = 'TicketInputError';
    this.code = code;
    this.field = field;
  }
  static fromQr(p: QrProblem): TicketInputError {
    return new TicketInputError(p.code, p.field === 'url' ? 'qr' : `qr.${p.field.replace(/ /g, '_')}`, p.message);
  }
}

export class DuplicateTicketError extends Error {
  readonly existingId: number;
  constructor(existingId: number) {
    super(`this ticket was scanned before: it is ticket ${existingId}`);
    this.name = 'DuplicateTicketError';
    this.existingId = existingId;
  }
}

export class TicketNotFoundError extends Error {
  constructor(id: number) {
    super(`no ticket ${id}`);
    this.name = 'TicketNotFoundError';
  }
}

export type TicketInput =
  | { qr: string; label?: string | null }
  | { round: number; games: ReadonlyArray<readonly number[]>; label?: string | null }
  | { predictionId: string; setNumbers?: readonly number[]; label?: string | null };

export interface GameResult {
  matches: number;
  bonusMatch: boolean;
  rank: Rank | null;
  prizeGross: number | null;
  tax: number | null;
  prizeNet: number | null;
  /** Won a tier whose prize per winner is not stored yet. */
  amountPending: boolean;
}

export interface TicketGame {
  slot: Slot;
  type: GameType;
  numbers: number[];
  result: GameResult | null;
}

/** A stored ticket with each game's result and the ticket's status. */
export interface Ticket extends Omit<TicketRow, 'games'> {
  status: 'pending' | 'checked';
  amountPending: boolean;
  games: TicketGame[];
}

/** Money in and out over some tickets, in won. */
export interface LedgerTotals {
  tickets: number;
  games: number;
  spent: number;
  gross: number;
  tax: number;
  net: number;
  /** net − spent */
  result: number;
}

export interface LedgerRound extends LedgerTotals {
  round: number;
  cumulativeResult: number;
  status: 'pending' | 'checked';
  amountPendingGames: number;
}

export interface TicketSummary extends LedgerTotals {
  checkedGames: number;
  pendingGames: number;
  amountPendingGames: number;
  /** Tiers won among checked games, beside what chance expects from that many games. */
  tiers: Array<{ rank: Rank; won: number; expected: number; probability: number }>;
  rounds: LedgerRound[];
}

export interface TicketsServiceOptions {
  db: Db;
  /** Default: the draws table with its five stored prize tiers (drawsPrizeSource). */
  prizeSource?: TicketPrizeSource;
  now?: () => Date;
  /** Told each round's results after draws or prizes arriving checked them (webhooks). */
  notifier?: { send(results: RoundResults): void; idle?(): Promise<void> };
}

function toResult(r: NonNullable<TicketGameRow['result']>): GameResult {
  const rank = r.rank as Rank | null;
  return { matches: r.matches, bonusMatch: r.bonusMatch, rank, prizeGross: r.prizeGross, tax: r.tax, prizeNet: r.prizeNet, amountPending: rank !== null && r.prizeGross === null };
}

function toTicket(row: TicketRow): Ticket {
  const games = row.games.map((g) => ({ slot: g.slot, type: g.type, numbers: g.numbers, result: g.result ? toResult(g.result) : null }));
  return {
    id: row.id,
    round: row.round,
    source: row.source,
    label: row.label,
    predictionId: row.predictionId,
    createdAt: row.createdAt,
    status: row.checkedAt === null ? 'pending' : 'checked',
    checkedAt: row.checkedAt,
    amountPending: games.some((g) => g.result?.amountPending === true),
    games,
  };
}

/** The amount one game of `rank` won that round: null while the tier's figure is unknown. */
export function prizeFor(rank: Rank, tiers: readonly PrizeTier[] | null): number | null {
  const tier = tiers?.find((t) => t.rank === rank);
  // A tier nobody won carries no per-winner amount (sources write 0): not a figure to pay out.
  if (!tier || tier.winners <= 0) return null;
  return tier.prizeEach;
}

function cleanLabel(label: string | null | undefined): string | null {
  if (label === undefined || label === null) return null;
  const t = label.trim();
  if (t.length > MAX_LABEL_LENGTH) throw new TicketInputError('VALIDATION_ERROR', 'label', `label must be at most ${MAX_LABEL_LENGTH} characters`);
  return t === '' ? null : t;
}

/** Six distinct whole numbers 1..45, returned ascending; `field` names the game in errors. */
export function validGame(numbers: unknown, field: string): number[] {
  if (!Array.isArray(numbers) || numbers.length !== NUMBERS_PER_DRAW) {
    throw new TicketInputError('VALIDATION_ERROR', field, `${field} must be six numbers`);
  }
  for (const n of numbers) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_NUMBER || n > MAX_NUMBER) {
      throw new TicketInputError('VALIDATION_ERROR', field, `${field} must hold whole numbers ${MIN_NUMBER}..${MAX_NUMBER}, got ${JSON.stringify(n)}`);
    }
  }
  const sorted = [...(numbers as number[])].sort((a, b) => a - b);
  if (sorted.some((n, i) => i > 0 && n === sorted[i - 1])) throw new TicketInputError('VALIDATION_ERROR', field, `${field} repeats a number`);
  return sorted;
}

function validRound(round: unknown, field = 'round'): number {
  if (typeof round !== 'number' || !Number.isInteger(round) || round < 1 || round > MAX_TICKET_ROUND) {
    throw new TicketInputError('VALIDATION_ERROR', field, `${field} must be a whole number 1..${MAX_TICKET_ROUND}`);
  }
  return round;
}

export class TicketsService {
  private readonly repo: TicketsRepo;
  private readonly db: Db;
  private readonly source: TicketPrizeSource;
  private readonly now: () => Date;
  private readonly notifier: TicketsServiceOptions['notifier'];
  private readonly sending = new Set<Promise<void>>();

  constructor(options: TicketsServiceOptions) {
    this.db = options.db;
    this.repo = ticketsRepo(options.db);
    this.source = options.prizeSource ?? drawsPrizeSource(drawsRepo(options.db));
    this.now = options.now ?? (() => new Date());
    this.notifier = options.notifier;
    // Draws and prize figures arriving by import, sync or the weekly cycle check this round's
    // tickets inside the transaction that writes them. The first service made for a database
    // keeps the hook (the CLI's dbFor and the API plugin make theirs first, with the notifier);
    // later ones, made to list or look up, do not replace it.
    if (hasRoundsWrittenHook(options.db, 'tickets')) return;
    onRoundsWritten(options.db, 'tickets', (rounds) => {
      const checked = this.checkEach(rounds);
      const notifier = this.notifier;
      if (!notifier || checked.length === 0) return;
      // After the writing transaction: better-sqlite3 commits synchronously, so this runs once the
      // outcome is settled, and reads what was committed (nothing, if the write rolled back).
      // A CLI command awaits settled() before it closes the database; a closed one sends nothing.
      const sent = new Promise<void>((resolve) =>
        setImmediate(() => {
          try {
            if (!this.db.open) return;
            for (const { round } of checked) {
              const results = this.roundResults(round);
              if (results) notifier.send(results);
            }
          } finally {
            resolve();
          }
        }),
      );
      this.sending.add(sent);
      void sent.then(() => this.sending.delete(sent));
    });
  }

  /** Resolves once the round results of every write so far are sent and delivered or given up. */
  async settled(): Promise<void> {
    while (this.sending.size > 0) await Promise.all([...this.sending]);
    await this.notifier?.idle?.();
  }

  /** What a round's checked tickets came to; null when none of its tickets is checked. */
  roundResults(round: number): RoundResults | null {
    const rows = this.repo.list({ round, status: 'checked' });
    if (rows.length === 0) return null;
    const r: RoundResults = { round, tickets: rows.length, games: 0, wins: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }, gross: 0, net: 0, amountPendingGames: 0 };
    for (const t of rows.map(toTicket)) {
      for (const g of t.games) {
        r.games++;
        if (!g.result) continue;
        if (g.result.rank !== null) r.wins[g.result.rank]++;
        if (g.result.amountPending) r.amountPendingGames++;
        r.gross += g.result.prizeGross ?? 0;
        r.net += g.result.prizeNet ?? 0;
      }
    }
    return r;
  }

  get prizeSource(): TicketPrizeSource {
    return this.source;
  }

  /** HMAC-SHA-256 of the serial under a random key kept in this database (made on first use). */
  private serialHash(serial: string): string {
    const meta = drawsRepo(this.db);
    let key = meta.getMeta(SERIAL_KEY_META);
    if (key === null) {
      key = randomBytes(32).toString('hex');
      meta.setMeta(SERIAL_KEY_META, key);
    }
    return createHmac('sha256', Buffer.from(key, 'hex')).update(serial).digest('hex');
  }

  /** Store a ticket and check it at once when its round is drawn. Throws TicketInputError / DuplicateTicketError. */
  add(input: TicketInput): Ticket {
    return this.addAll([input])[0];
  }

  /**
   * Store several tickets in one transaction (a wheel saved as tickets): every input is checked
   * first, then all are written, or none when any is refused. Each is checked at once when its
   * round is drawn. `field` errors name the input's place (`tickets[2].games.0`) when there is more than one.
   */
  addAll(inputs: readonly TicketInput[]): Ticket[] {
    const parsed = inputs.map((input, i) => {
      try {
        return this.parseInput(input);
      } catch (e) {
        if (inputs.length > 1 && e instanceof TicketInputError) throw new TicketInputError(e.code, `tickets[${i}].${e.field}`, `ticket ${i + 1}: ${e.message}`);
        throw e;
      }
    });
    const ids = this.db.transaction(() =>
      parsed.map((p) => {
        const serialHash = p.serial === null ? null : this.serialHash(p.serial);
        if (serialHash !== null) {
          const existing = this.repo.idBySerialHash(serialHash);
          if (existing !== null) throw new DuplicateTicketError(existing);
        }
        const newId = this.repo.insert({ round: p.round, source: p.source, label: p.label, serialHash, predictionId: p.predictionId, createdAt: this.now().toISOString(), games: p.games });
        this.checkRounds([p.round], newId);
        return newId;
      }),
    )();
    return ids.map((id) => this.get(id));
  }

  private parseInput(input: TicketInput): { round: number; source: TicketSource; label: string | null; games: Array<{ slot: Slot; type: GameType; numbers: number[] }>; serial: string | null; predictionId: string | null } {
    const label = cleanLabel(input.label);
    let round: number;
    let source: TicketSource;
    let games: Array<{ slot: Slot; type: GameType; numbers: number[] }>;
    let serial: string | null = null;
    let predictionId: string | null = null;
    if ('qr' in input) {
      if (typeof input.qr !== 'string') throw new TicketInputError('VALIDATION_ERROR', 'qr', 'qr must be the text of the ticket QR code');
      const parsed = parseTicketQr(input.qr);
      if (!parsed.ok) throw TicketInputError.fromQr(parsed.problem);
      round = parsed.ticket.round;
      source = 'qr';
      games = parsed.ticket.games.map((g) => ({ slot: g.slot, type: g.type, numbers: [...g.numbers] }));
      serial = parsed.ticket.serial;
    } else if ('predictionId' in input) {
      const stored = predictionsRepo(this.db).get(input.predictionId);
      if (!stored) throw new TicketInputError('VALIDATION_ERROR', 'prediction_id', `no stored prediction ${JSON.stringify(input.predictionId.slice(0, 64))}`);
      let sets = stored.sets;
      if (input.setNumbers !== undefined) {
        const wanted = new Set(input.setNumbers);
        const missing = [...wanted].filter((n) => !sets.some((s) => s.setNumber === n));
        if (missing.length > 0) throw new TicketInputError('VALIDATION_ERROR', 'set_numbers', `the prediction has no set ${missing.join(', ')}`);
        sets = sets.filter((s) => wanted.has(s.setNumber));
      }
      if (sets.length === 0) throw new TicketInputError('VALIDATION_ERROR', 'set_numbers', 'choose at least one set');
      if (sets.length > SLOTS.length) {
        throw new TicketInputError('VALIDATION_ERROR', 'set_numbers', `a ticket holds at most ${SLOTS.length} games; the prediction has ${sets.length} sets, choose up to ${SLOTS.length} with set_numbers`);
      }
      round = stored.prediction.targetRound;
      source = 'prediction';
      predictionId = stored.prediction.requestId;
      games = sets.map((s, i) => ({ slot: SLOTS[i], type: 'manual' as const, numbers: validGame(s.numbers, `set ${s.setNumber}`) }));
    } else {
      round = validRound(input.round);
      if (!Array.isArray(input.games) || input.games.length < 1 || input.games.length > SLOTS.length) {
        throw new TicketInputError('VALIDATION_ERROR', 'games', `a ticket holds 1 to ${SLOTS.length} games`);
      }
      source = 'manual';
      games = input.games.map((g, i) => ({ slot: SLOTS[i], type: 'manual' as const, numbers: validGame(g, `games.${i}`) }));
    }

    return { round, source, label, games, serial, predictionId };
  }

  get(id: number): Ticket {
    const row = this.repo.get(id);
    if (!row) throw new TicketNotFoundError(id);
    return toTicket(row);
  }

  list(q: { round?: number; status?: 'pending' | 'checked'; page?: number; pageSize?: number } = {}): { items: Ticket[]; total: number } {
    const pageSize = q.pageSize ?? 20;
    const page = q.page ?? 1;
    const filter = { ...(q.round !== undefined ? { round: q.round } : {}), ...(q.status !== undefined ? { status: q.status } : {}) };
    return { items: this.repo.list({ ...filter, limit: pageSize, offset: (page - 1) * pageSize }).map(toTicket), total: this.repo.count(filter) };
  }

  setLabel(id: number, label: string | null): Ticket {
    const clean = cleanLabel(label);
    if (!this.repo.setLabel(id, clean)) throw new TicketNotFoundError(id);
    return this.get(id);
  }

  remove(id: number): void {
    if (!this.repo.remove(id)) throw new TicketNotFoundError(id);
  }

  /**
   * (Re)check every ticket of these rounds whose draw is stored, in one transaction: rank per
   * game and, where that round's prize per winner is known, the amount before and after tax.
   * Returns the number of games checked. `ticketId` limits it to one ticket (a new one).
   */
  checkRounds(rounds: readonly number[], ticketId?: number): number {
    return this.checkEach(rounds, ticketId).reduce((s, r) => s + r.games, 0);
  }

  private checkEach(rounds: readonly number[], ticketId?: number): Array<{ round: number; games: number }> {
    return this.db.transaction(() => {
      const checked: Array<{ round: number; games: number }> = [];
      const at = this.now().toISOString();
      for (const round of new Set(rounds)) {
        const draw = this.source.drawFor(round);
        if (!draw) continue;
        const games = this.repo.gamesOfRound(round, ticketId);
        if (games.length === 0) continue;
        const tiers = this.source.prizesFor(round);
        const results: GameResultWrite[] = games.map((g) => {
          const m = rankGame(g.numbers, draw);
          const gross = m.rank === null ? null : prizeFor(m.rank, tiers);
          const money = gross === null ? null : prizeAfterTax(gross);
          return { ticketId: g.ticketId, slot: g.slot, matches: m.matches, bonusMatch: m.bonusMatch, rank: m.rank, prizeGross: money?.gross ?? null, tax: money?.tax ?? null, prizeNet: money?.net ?? null };
        });
        this.repo.saveResults(results, at);
        checked.push({ round, games: results.length });
      }
      return checked;
    })();
  }

  /** Re-check every ticket (`hogi tickets check`, the dashboard's button). */
  checkAll(): { rounds: number; games: number } {
    const rounds = this.repo.rounds();
    return { rounds: rounds.length, games: this.checkRounds(rounds) };
  }

  summary(): TicketSummary {
    const byRound = new Map<number, LedgerRound & { ticketIds: Set<number> }>();
    const won: Record<Rank, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
    let checkedGames = 0;
    for (const { ticketId, round, checked, game } of this.repo.allGames()) {
      let r = byRound.get(round);
      if (!r) {
        r = { round, tickets: 0, games: 0, spent: 0, gross: 0, tax: 0, net: 0, result: 0, cumulativeResult: 0, status: 'checked', amountPendingGames: 0, ticketIds: new Set() };
        byRound.set(round, r);
      }
      r.ticketIds.add(ticketId);
      r.games++;
      r.spent += TICKET_PRICE_WON;
      if (!checked || game.result === null) {
        r.status = 'pending';
        continue;
      }
      checkedGames++;
      const res = toResult(game.result);
      if (res.rank !== null) won[res.rank]++;
      if (res.amountPending) r.amountPendingGames++;
      r.gross += res.prizeGross ?? 0;
      r.tax += res.tax ?? 0;
      r.net += res.prizeNet ?? 0;
    }
    let cumulative = 0;
    const rounds: LedgerRound[] = [...byRound.values()]
      .sort((a, b) => a.round - b.round)
      .map(({ ticketIds, ...r }) => {
        const result = r.net - r.spent;
        cumulative += result;
        return { ...r, tickets: ticketIds.size, result, cumulativeResult: cumulative };
      });
    const sum = (k: 'games' | 'spent' | 'gross' | 'tax' | 'net' | 'amountPendingGames' | 'tickets') => rounds.reduce((s, r) => s + r[k], 0);
    const expected = expectedWins(checkedGames);
    return {
      tickets: sum('tickets'),
      games: sum('games'),
      spent: sum('spent'),
      gross: sum('gross'),
      tax: sum('tax'),
      net: sum('net'),
      result: sum('net') - sum('spent'),
      checkedGames,
      pendingGames: sum('games') - checkedGames,
      amountPendingGames: sum('amountPendingGames'),
      tiers: RANKS.map((rank) => ({ rank, won: won[rank], expected: expected[rank], probability: tierProbability(rank) })),
      rounds,
    };
  }
}

export function ticketsService(options: TicketsServiceOptions): TicketsService {
  return new TicketsService(options);
}
