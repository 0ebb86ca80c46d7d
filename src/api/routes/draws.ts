import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { apiErrors } from '../errors.js';
import { parseMachineType } from '../machineType.js';
import { DrawItem, DrawListQuery, DrawPage, RoundParams, errorResponses } from '../schemas.js';
import { drawView } from '../views.js';

/** /api/draws: the stored history, paged with page/page_size, newest first by default. */
async function drawsRoutes(plain: FastifyInstance): Promise<void> {
  // Request and answer types come from the route schemas (one definition each).
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '',
    {
      schema: {
        tags: ['draws'],
        summary: 'List draws',
        description:
          'Pages with `page` (1-based) and `page_size` (1..100, default 20). Filters: `machine` (1, "1", "1호기" or "all"), ' +
          '`from`/`to` rounds (inclusive). An empty database answers an empty list.',
        querystring: DrawListQuery,
        response: { 200: DrawPage, ...errorResponses(400) },
      },
    },
    async (request): Promise<DrawPage> => {
      const q = request.query;
      const machine = q.machine === undefined ? null : parseMachineType(q.machine, app.draws.isServedMachine, 'machine');
      if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
        throw apiErrors.validation(`from (${q.from}) must not exceed to (${q.to})`, 'from');
      }
      const { items, total } = app.draws.page({
        page: q.page,
        pageSize: q.page_size,
        order: q.order,
        ...(machine !== null ? { machine } : {}),
        ...(q.from !== undefined ? { from: q.from } : {}),
        ...(q.to !== undefined ? { to: q.to } : {}),
      });
      return { items: items.map(drawView), total, page: q.page, page_size: q.page_size, total_pages: Math.ceil(total / q.page_size) };
    },
  );

  app.get(
    '/:round',
    {
      schema: {
        tags: ['draws'],
        summary: 'One draw by round',
        params: RoundParams,
        response: { 200: DrawItem, ...errorResponses(404) },
      },
    },
    async (request): Promise<DrawItem> => {
      const draw = app.draws.get(request.params.round);
      if (!draw) throw apiErrors.notFound(`round ${request.params.round} is not stored`, 'round');
      return drawView(draw);
    },
  );
}

export default fp(drawsRoutes, { name: 'hogi-routes-draws', dependencies: ['hogi-services', 'hogi-errors'], encapsulate: true });
