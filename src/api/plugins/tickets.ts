import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../data/db.js';
import { CombinationHistoryService } from '../../service/tickets/combinationHistory.js';
import { TicketNotifier } from '../../service/tickets/notify.js';
import { ticketsService, type TicketsService } from '../../service/tickets/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    tickets: TicketsService;
    combinations: CombinationHistoryService;
  }
}

export interface TicketsPluginOptions {
  db: Db;
  /** Injected by tests (a ready service over a fixture prize source); default one over `db`. */
  tickets?: TicketsService;
  now?: () => Date;
}

/**
 * The player's tickets. Creating the service registers its round hook on `db`, so draws written
 * by the weekly cycle or an import in this process check that round's tickets in their transaction.
 */
export const ticketsPlugin = fp(
  async (app: FastifyInstance, opts: TicketsPluginOptions) => {
    const notifier = new TicketNotifier({ db: opts.db, log: (message) => app.log.warn({ component: 'webhooks' }, message) });
    const tickets = opts.tickets ?? ticketsService({ db: opts.db, notifier, ...(opts.now ? { now: opts.now } : {}) });
    app.decorate('tickets', tickets);
    app.decorate('combinations', new CombinationHistoryService(tickets.prizeSource));
  },
  { name: 'hogi-tickets', fastify: '5.x' },
);
