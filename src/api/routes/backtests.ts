import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import type { BacktestDetail as BacktestDetailResult } from '../../service/backtest/service.js';
import { BacktestDetail, BacktestIdParams, BacktestList, BacktestListQuery, BacktestRoundPage, BacktestRoundsQuery } from '../backtestSchemas.js';
import { apiErrors } from '../errors.js';
import { errorResponses } from '../schemas.js';
import { backtestRoundsToWire } from '../wireNames.js';

/** /api/backtests: stored walk-forward backtests (run them with `hogi backtest`). */
async function backtestRoutes(plain: FastifyInstance): Promise<void> {
  // Request and answer types come from the route schemas (one definition each).
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '',
    {
      schema: {
        tags: ['backtests'],
        summary: 'Stored backtests, newest first: parameters, status and progress',
        querystring: BacktestListQuery,
        response: { 200: BacktestList, ...errorResponses() },
      },
    },
    async (request) => {
      const { page, page_size } = request.query;
      const { items, total } = app.backtests.list(page_size, (page - 1) * page_size);
      return { items, total, page, page_size };
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags: ['backtests'],
        summary: 'One backtest: parameters, progress and the analysed summary (null until it completes)',
        description:
          'The summary has, per method and per machine and overall: mean matches per set against the exact chance value 0.8 with a 95% bootstrap interval, ' +
          'the exact one-sided p-value and its Holm adjustment, best of N against the chance value of the same tickets, prize-tier counts against expectation, ' +
          'log-loss and Brier against the uniform 6/45, calibration bins, and a plain-language conclusion in Korean and English.',
        params: BacktestIdParams,
        response: { 200: BacktestDetail, ...errorResponses(404) },
      },
    },
    async (request): Promise<BacktestDetailResult> => {
      const b = app.backtests.get(request.params.id);
      if (!b) throw apiErrors.notFound(`no backtest ${JSON.stringify(request.params.id)}`, 'id');
      return b;
    },
  );

  app.get(
    '/:id/rounds',
    {
      schema: {
        tags: ['backtests'],
        summary: "A page of a backtest's stored rounds: every method's tickets, matches, bonus hits and probability scores",
        params: BacktestIdParams,
        querystring: BacktestRoundsQuery,
        response: { 200: BacktestRoundPage, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { page, page_size, include_probabilities } = request.query;
      const r = app.backtests.rounds(request.params.id, page_size, (page - 1) * page_size, include_probabilities);
      if (!r) throw apiErrors.notFound(`no backtest ${JSON.stringify(request.params.id)}`, 'id');
      return { ...r, items: backtestRoundsToWire(r.items), page, page_size };
    },
  );
}

export default fp(backtestRoutes, { name: 'hogi-routes-backtests', dependencies: ['hogi-services', 'hogi-errors'], encapsulate: true });
