// saveWheelAsTickets: a wheel becomes ceil(n/5) tickets of one round in one transaction, through the
// tickets service; the default round comes from the draw calendar at the injected clock.
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/data/db.js';
import { drawTime } from '../../../src/domain/calendar.js';
import { makeWheel, WheelInputError } from '../../../src/domain/wheels/index.js';
import { DuplicateTicketError, TicketInputError, ticketsService } from '../../../src/service/tickets/service.js';
import { saveWheelAsTickets } from '../../../src/service/wheels.js';

const games = (db: ReturnType<typeof openDb>) => (db.prepare('SELECT COUNT(*) AS n FROM ticket_games').get() as { n: number }).n;

describe('saving a wheel as tickets', () => {
  it('a 13-ticket wheel becomes three tickets (5, 5, 3 games) for the round after the last draw, labelled with their part', () => {
    const db = openDb(':memory:');
    const svc = ticketsService({ db });
    const w = makeWheel({ pool: Array.from({ length: 20 }, (_, i) => i + 21), guarantee: { match: 3, if: 6 } });
    expect(w.tickets).toHaveLength(13);
    // One minute after round 1200's draw: the next undrawn round is 1201.
    const now = new Date(drawTime(1200).getTime() + 60_000);
    const s = saveWheelAsTickets(svc, { pool: w.pool, guarantee: w.guarantee, tickets: w.tickets }, now);
    expect(s.round).toBe(1201);
    expect(s.roundSource).toBe('next_draw');
    expect(s.tickets.map((t) => t.games.length)).toEqual([5, 5, 3]);
    expect(s.tickets.map((t) => t.label)).toEqual(['휠 3if6 · 20개 번호 · 1/3', '휠 3if6 · 20개 번호 · 2/3', '휠 3if6 · 20개 번호 · 3/3']);
    expect(s.tickets.flatMap((t) => t.games.map((g) => g.slot))).toEqual(['A', 'B', 'C', 'D', 'E', 'A', 'B', 'C', 'D', 'E', 'A', 'B', 'C']);
    expect(games(db)).toBe(13);
    // A minute before round 1201's draw it is still the next round.
    expect(saveWheelAsTickets(svc, { pool: w.pool, guarantee: w.guarantee, tickets: w.tickets }, new Date(drawTime(1201).getTime() - 60_000)).round).toBe(1201);
  });

  it('refuses a bad round or an over-long label before storing anything', () => {
    const db = openDb(':memory:');
    const svc = ticketsService({ db });
    const w = makeWheel({ pool: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], guarantee: { match: 3, if: 6 } });
    for (const [input, field] of [
      [{ round: 10_000 }, 'round'],
      [{ round: 1.5 }, 'round'],
      [{ label: 'x'.repeat(61) }, 'label'],
    ] as const) {
      let err: unknown = null;
      try {
        saveWheelAsTickets(svc, { pool: w.pool, guarantee: w.guarantee, tickets: w.tickets, ...input }, new Date());
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(WheelInputError);
      expect((err as WheelInputError).field).toBe(field);
    }
    expect(games(db)).toBe(0);
  });

  it('the tickets service stores a batch in one transaction: one refused input stores none of them', () => {
    const db = openDb(':memory:');
    const svc = ticketsService({ db });
    expect(() => svc.addAll([{ round: 5, games: [[1, 2, 3, 4, 5, 6]] }, { round: 5, games: [[1, 2, 3, 4, 5, 5]] }])).toThrow(TicketInputError);
    try {
      svc.addAll([{ round: 5, games: [[1, 2, 3, 4, 5, 6]] }, { round: 5, games: [[1, 2, 3, 4, 5, 5]] }]);
    } catch (e) {
      expect((e as TicketInputError).field).toBe('tickets[1].games.0');
    }
    expect(games(db)).toBe(0);
    // Refused inside the transaction, after the first ticket was written: that one is rolled back too.
    const qr = 'http://m.dhlottery.co.kr/?v=0002m091321253242m020913212532q010304091321n000000000000n0000000000008248193812';
    expect(() => svc.addAll([{ round: 5, games: [[1, 2, 3, 4, 5, 6]] }, { qr }, { qr }])).toThrow(DuplicateTicketError);
    expect(games(db)).toBe(0);
    expect(svc.addAll([{ round: 5, games: [[1, 2, 3, 4, 5, 6]] }, { round: 5, games: [[7, 8, 9, 10, 11, 12]] }]).map((t) => t.id)).toEqual([1, 2]);
    expect(games(db)).toBe(2);
  });
});
