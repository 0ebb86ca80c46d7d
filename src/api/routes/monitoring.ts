import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { performance } from 'node:perf_hooks';
import { LOAD_DATA_HINT } from '../errors.js';
import { Health, errorResponses } from '../schemas.js';

/** /api/monitoring: liveness and data state. Later components (models, cache, sync) join the health answer. */
async function monitoringRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/health',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Server and database health',
        description: 'HTTP 200 when healthy or degraded (empty database: see `hint`); 503 when the database cannot be read.',
        response: { 200: Health, 503: Health, ...errorResponses() },
      },
    },
    async (request, reply): Promise<Health> => {
      const started = performance.now();
      try {
        const s = app.draws.summary();
        const empty = s.totalDraws === 0;
        return {
          status: empty ? 'degraded' : 'healthy',
          timestamp: new Date().toISOString(),
          database: {
            status: empty ? 'empty' : 'ok',
            response_time_ms: elapsed(started),
            latest_round: s.latestRound,
            total_draws: s.totalDraws,
            data_version: s.dataVersion,
          },
          hint: empty ? LOAD_DATA_HINT : null,
        };
      } catch (err) {
        request.log.error({ err }, 'health check: database failed');
        reply.code(503);
        return {
          status: 'unhealthy',
          timestamp: new Date().toISOString(),
          database: { status: 'error', response_time_ms: elapsed(started), latest_round: null, total_draws: 0, data_version: 0, error: 'database query failed' },
          hint: 'Check the database file (--db / HOGI_DB) and the server log.',
        };
      }
    },
  );
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 1000) / 1000;

export default fp(monitoringRoutes, { name: 'hogi-routes-monitoring', dependencies: ['hogi-services', 'hogi-errors'], encapsulate: true });
