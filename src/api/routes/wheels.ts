import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { guaranteeName, WheelBudgetError, WheelInputError, WON_PER_TICKET } from '../../domain/wheels/index.js';
import { saveWheelAsTickets, wheelView, GAMES_PER_TICKET } from '../../service/wheels.js';
import { apiErrors } from '../errors.js';
import { errorResponses } from '../schemas.js';
import { ticketView } from './tickets.js';
import { WheelBody, WheelResponse, WheelTicketsBody, WheelTicketsResponse } from '../wheelSchemas.js';

/** The domain's refusals as the error envelope (status and code from the error table), the reason in the asker's language. */
function wheelError(e: unknown, lang: 'ko' | 'en'): unknown {
  if (e instanceof WheelInputError) return apiErrors.fromDomain(e, { message: `${e.field} ${e.reason.en}`, details: { reasons: [e.reason[lang]] } });
  if (e instanceof WheelBudgetError) {
    return apiErrors.fromDomain(e, {
      details: {
        reasons: [e.reason[lang]],
        considered: e.considered.map((c) => ({ guarantee: guaranteeName(c.guarantee), tickets: c.tickets, lower_bound: c.lowerBound })),
      },
    });
  }
  return apiErrors.fromDomain(e);
}

/** POST /api/wheels: the fewest tickets over a pool that guarantee a prize, proved. */
async function wheelRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: WheelBody }>(
    '',
    {
      schema: {
        tags: ['wheels'],
        operationId: 'createWheel',
        summary: 'A wheel (조합 축소): the fewest tickets over your pool that guarantee m matches if p drawn numbers are in it, verified',
        description:
          'Give 7–20 pool numbers and a guarantee m-if-p (3if6, 4if6, 5if6, 3if3, 4if4, 3if4, 3if5, 4if5): if p of the six drawn numbers are in the pool, ' +
          'at least one ticket matches at least m. Every answer is verified before it is sent: all C(T, p) ways p drawn numbers can fall in the pool are ' +
          'checked against every ticket (proof.draws_checked). `fixed` numbers go on every ticket. With `budget`, the answer is the requested guarantee if its ' +
          'wheel fits, otherwise the strongest that fits (prize first: 5 > 4 > 3 matches; then fewest pool numbers needed), or 422 WHEEL_BUDGET_TOO_SMALL. ' +
          'Bad input answers 422 VALIDATION_ERROR naming the field (a duplicate or out-of-range number, 7–20 pool numbers, fixed numbers not in the pool or ' +
          'more than 5, an unknown or impossible guarantee). With `least_shared` (default true) and a popularity model that can be fitted on the stored prize rounds, ' +
          'the wheel is relabelled (free pool numbers trade places) to the labelling with the lowest mean predicted tier 1–3 co-winner ratio; `popularity` gives the figures before and after, or says why it was not applied. ' +
          'Save the answer as tickets with POST /api/wheels/tickets. A wheel does not change the odds that your numbers are drawn.',
        body: WheelBody,
        response: { 200: WheelResponse, ...errorResponses() },
      },
    },
    async (request): Promise<WheelResponse> => {
      const b = request.body;
      const lang = b.lang ?? 'ko';
      try {
        const made = app.wheels.make({ pool: b.pool, guarantee: b.guarantee, fixed: b.fixed, budget: b.budget, seed: b.seed, leastShared: b.least_shared ?? true }, app.popularity);
        return wheelView(made.wheel, made.popularity);
      } catch (e) {
        throw wheelError(e, lang);
      }
    },
  );

  app.post<{ Body: WheelTicketsBody }>(
    '/tickets',
    {
      schema: {
        tags: ['wheels', 'tickets'],
        operationId: 'saveWheelAsTickets',
        summary: 'Save a wheel as tickets (five games a ticket, as on a paper slip) for one round, checked automatically like any ticket',
        description:
          'Send the wheel as POST /api/wheels returned it (pool, guarantee, fixed, tickets) and optionally the round (default: the next round not yet drawn by the draw ' +
          `calendar). The server verifies the wheel again over every p-subset of the pool; one that does not hold its guarantee, a ticket that is not six pool numbers or lacks a fixed number is a 422 naming the field, and nothing is stored. ` +
          `The n wheel tickets become ceil(n / ${GAMES_PER_TICKET}) tickets (slots A–E) in one transaction, labelled with their part ("· 1/3"); they are checked when that round's draw and prizes arrive ` +
          '(prize after tax, 1,000 won a game in the ledger), at once for a round already drawn. Answers 201 with the tickets.',
        body: WheelTicketsBody,
        response: { 201: WheelTicketsResponse, ...errorResponses() },
      },
    },
    async (request, reply): Promise<WheelTicketsResponse> => {
      const b = request.body;
      const lang = b.lang ?? 'ko';
      try {
        const saved = saveWheelAsTickets(app.tickets, { pool: b.pool, guarantee: b.guarantee, fixed: b.fixed, tickets: b.tickets, round: b.round, label: b.label, lang }, app.clock());
        reply.code(201);
        return {
          round: saved.round,
          round_source: saved.roundSource,
          games: saved.wheel.tickets.length,
          ticket_ids: saved.tickets.map((t) => t.id),
          cost: { games: saved.wheel.tickets.length, won_per_game: WON_PER_TICKET, total_won: saved.wheel.costWon },
          guarantee: { match: saved.wheel.guarantee.match, if: saved.wheel.guarantee.if, name: guaranteeName(saved.wheel.guarantee) },
          proof: { draws_checked: saved.wheel.proof.subsetsChecked, guarantee_held: saved.wheel.proof.held, failures: saved.wheel.proof.failures },
          tickets: saved.tickets.map(ticketView),
        };
      } catch (e) {
        throw wheelError(e, lang);
      }
    },
  );
}

export default fp(wheelRoutes, { name: 'hogi-routes-wheels', dependencies: ['hogi-services', 'hogi-errors', 'hogi-tickets', 'hogi-popularity'], encapsulate: true });
