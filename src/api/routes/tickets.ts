import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CombinationHistory as History } from '../../service/tickets/combinationHistory.js';
import { DuplicateTicketError, type Ticket, type TicketInput, type TicketSummary as Summary } from '../../service/tickets/service.js';
import { ApiError, apiErrors, ErrorCode } from '../errors.js';
import { errorResponses } from '../schemas.js';
import {
  CombinationHistory,
  CombinationQuery,
  TicketCreateBody,
  TicketIdParams,
  TicketListQuery,
  TicketPage,
  TicketPatchBody,
  TicketCheckResult,
  TicketSummary,
  TicketView,
} from '../ticketSchemas.js';

export function ticketView(t: Ticket): TicketView {
  return {
    id: t.id,
    round: t.round,
    source: t.source,
    label: t.label,
    prediction_id: t.predictionId,
    created_at: t.createdAt,
    status: t.status,
    checked_at: t.checkedAt,
    amount_pending: t.amountPending,
    games: t.games.map((g) => ({
      slot: g.slot,
      type: g.type,
      numbers: g.numbers,
      result: g.result && {
        matches: g.result.matches,
        bonus_match: g.result.bonusMatch,
        rank: g.result.rank,
        prize_gross: g.result.prizeGross,
        tax: g.result.tax,
        prize_net: g.result.prizeNet,
        amount_pending: g.result.amountPending,
      },
    })),
  };
}

export function summaryView(s: Summary): TicketSummary {
  return {
    tickets: s.tickets,
    games: s.games,
    spent: s.spent,
    gross: s.gross,
    tax: s.tax,
    net: s.net,
    result: s.result,
    checked_games: s.checkedGames,
    pending_games: s.pendingGames,
    amount_pending_games: s.amountPendingGames,
    tiers: s.tiers,
    rounds: s.rounds.map((r) => ({
      round: r.round, tickets: r.tickets, games: r.games, spent: r.spent, gross: r.gross, tax: r.tax, net: r.net,
      result: r.result, cumulative_result: r.cumulativeResult, status: r.status, amount_pending_games: r.amountPendingGames,
    })),
  };
}

export function historyView(h: History): CombinationHistory {
  return {
    numbers: h.numbers,
    rounds_played: h.roundsPlayed,
    first_round: h.firstRound,
    last_round: h.lastRound,
    wins: h.wins.map((w) => ({ round: w.round, rank: w.rank, matches: w.matches, bonus_match: w.bonusMatch, prize_each: w.prizeEach, prize_net: w.prizeNet })),
    tiers: h.tiers,
    ever_first_prize: h.everFirstPrize,
    cost: h.cost,
    paid_gross: h.paidGross,
    paid_net: h.paidNet,
    amount_pending_wins: h.amountPendingWins,
    result: h.result,
  };
}

/** The service's refusals as the error envelope. */
function asApiError(e: unknown): unknown {
  if (e instanceof DuplicateTicketError) return apiErrors.fromDomain(e, { details: { ticket_id: e.existingId } });
  return apiErrors.fromDomain(e);
}

function inputOf(body: TicketCreateBody): TicketInput {
  const label = body.label;
  const kinds = [body.qr !== undefined, body.round !== undefined || body.games !== undefined, body.prediction_id !== undefined].filter(Boolean).length;
  if (kinds !== 1) {
    throw new ApiError(422, ErrorCode.VALIDATION_ERROR, 'send exactly one of: qr; round with games; prediction_id', kinds === 0 ? 'qr' : 'body');
  }
  if (body.set_numbers !== undefined && body.prediction_id === undefined) throw apiErrors.validation('set_numbers goes with prediction_id', 'set_numbers');
  if (body.qr !== undefined) return { qr: body.qr, label };
  if (body.prediction_id !== undefined) return { predictionId: body.prediction_id, ...(body.set_numbers ? { setNumbers: body.set_numbers } : {}), label };
  if (body.round === undefined) throw apiErrors.validation('round is required with games', 'round');
  if (body.games === undefined) throw apiErrors.validation('games is required with round', 'games');
  return { round: body.round, games: body.games, label };
}

const call = <T>(f: () => T): T => {
  try {
    return f();
  } catch (e) {
    throw asApiError(e);
  }
};

/** /api/tickets: the player's own tickets, checked against each round's prizes; /api/combinations/history. */
async function ticketRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: TicketCreateBody }>(
    '/tickets',
    {
      schema: {
        tags: ['tickets'],
        operationId: 'createTicket',
        summary: 'Save a ticket (QR text, typed games or a stored prediction)',
        description:
          'Answers 201 with the ticket, checked at once when its round is drawn. A QR refusal is a 422 whose code names the problem ' +
          '(QR_HOST, QR_USERINFO, QR_NUMBERS, QR_LENGTH, ...) and stores nothing; a ticket scanned before is a 409 DUPLICATE_TICKET with its ticket_id.',
        body: TicketCreateBody,
        response: { 201: TicketView, ...errorResponses(409) },
      },
    },
    async (request, reply): Promise<TicketView> => {
      const ticket = call(() => app.tickets.add(inputOf(request.body)));
      reply.code(201).header('location', `/api/tickets/${ticket.id}`);
      return ticketView(ticket);
    },
  );

  app.get<{ Querystring: TicketListQuery }>(
    '/tickets',
    {
      schema: {
        tags: ['tickets'],
        operationId: 'listTickets',
        summary: 'List tickets, newest round first',
        querystring: TicketListQuery,
        response: { 200: TicketPage, ...errorResponses() },
      },
    },
    async (request): Promise<TicketPage> => {
      const q = request.query;
      const { items, total } = app.tickets.list({ page: q.page, pageSize: q.page_size, ...(q.round !== undefined ? { round: q.round } : {}), ...(q.status ? { status: q.status } : {}) });
      return { items: items.map(ticketView), total, page: q.page, page_size: q.page_size, total_pages: Math.ceil(total / q.page_size) };
    },
  );

  app.get(
    '/tickets/summary',
    {
      schema: {
        tags: ['tickets'],
        operationId: 'getTicketSummary',
        summary: 'Money in and out: games, spent, won before and after tax, per round and cumulative; tiers won against chance',
        response: { 200: TicketSummary, ...errorResponses() },
      },
    },
    async (): Promise<TicketSummary> => summaryView(app.tickets.summary()),
  );

  app.post(
    '/tickets/check',
    {
      schema: {
        tags: ['tickets'],
        operationId: 'checkTickets',
        summary: 'Check every ticket again against the stored draws and prizes (it also happens by itself when a round arrives)',
        response: { 200: TicketCheckResult, ...errorResponses() },
      },
    },
    async (): Promise<TicketCheckResult> => {
      const done = app.tickets.checkAll();
      return { checked_rounds: done.rounds, checked_games: done.games, summary: summaryView(app.tickets.summary()) };
    },
  );

  app.get<{ Params: TicketIdParams }>(
    '/tickets/:id',
    {
      schema: { tags: ['tickets'], operationId: 'getTicket', summary: 'One ticket with its results', params: TicketIdParams, response: { 200: TicketView, ...errorResponses(404) } },
    },
    async (request): Promise<TicketView> => ticketView(call(() => app.tickets.get(request.params.id))),
  );

  app.patch<{ Params: TicketIdParams; Body: TicketPatchBody }>(
    '/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        operationId: 'updateTicketLabel',
        summary: 'Change a ticket’s label (null clears it)',
        params: TicketIdParams,
        body: TicketPatchBody,
        response: { 200: TicketView, ...errorResponses(404) },
      },
    },
    async (request): Promise<TicketView> => ticketView(call(() => app.tickets.setLabel(request.params.id, request.body.label))),
  );

  app.delete<{ Params: TicketIdParams }>(
    '/tickets/:id',
    {
      schema: { tags: ['tickets'], operationId: 'deleteTicket', summary: 'Remove a ticket and its games', params: TicketIdParams, response: { 204: { type: 'null', description: 'Removed.' }, ...errorResponses(404) } },
    },
    async (request, reply) => {
      call(() => app.tickets.remove(request.params.id));
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: CombinationQuery }>(
    '/combinations/history',
    {
      schema: {
        tags: ['tickets'],
        operationId: 'getCombinationHistory',
        summary: 'Has this combination ever won? Every past round it would have won, with that round’s prize',
        querystring: CombinationQuery,
        response: { 200: CombinationHistory, ...errorResponses() },
      },
    },
    async (request): Promise<CombinationHistory> => {
      const parts = request.query.numbers.split(',').map((s) => s.trim());
      if (!parts.every((p) => /^\d{1,2}$/.test(p))) throw apiErrors.validation('numbers must be six whole numbers 1..45 separated by commas, e.g. 1,2,3,4,5,6', 'numbers');
      return historyView(call(() => app.combinations.lookup(parts.map(Number))));
    },
  );
}

export default fp(ticketRoutes, { name: 'hogi-routes-tickets', dependencies: ['hogi-tickets', 'hogi-errors'], encapsulate: true });
