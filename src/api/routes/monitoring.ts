import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { HealthService } from '../../service/health.js';
import { parsePeriod } from '../../service/metrics.js';
import { ApiError, ErrorCode } from '../errors.js';
import { healthView } from '../healthView.js';
import { Health, MetricsQuery, MetricsReport } from '../monitoringSchemas.js';
import { errorResponses } from '../schemas.js';

/** /api/monitoring: health of every component, and the measured request metrics. */
async function monitoringRoutes(plain: FastifyInstance): Promise<void> {
  // Request and answer types come from the route schemas (one definition each).
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const health = new HealthService({ draws: app.draws, predictions: app.predictions, cycle: () => app.cycle?.status() ?? null, clock: app.clock });

  app.get(
    '/health',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Health of the server and its components (database, models, cache, sync)',
        description:
          'HTTP 200 when healthy or degraded (the reasons say why: empty database, stale data (DATA_STALE: a drawn round missing 12 h after its draw), a machine served by a fallback, no trained models, last sync failed); ' +
          '`components.database.freshness` compares the stored rounds with the draw calendar and gives the next draw. ' +
          '503 unhealthy when the database cannot be read. Never requires an API key.',
        response: { 200: Health, 503: Health, ...errorResponses() },
      },
    },
    async (request, reply): Promise<Health> => {
      const report = health.report((err) => request.log.error({ err }, 'health check: database failed'));
      if (report.status === 'unhealthy') reply.code(503);
      return healthView(report);
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Request counts, latency percentiles, predictions, cache hit rate, CPU and memory over a trailing period',
        description:
          'Measured by this process: every response is timed into 10-second buckets kept for 24 h; CPU from process.cpuUsage, memory from process.memoryUsage. ' +
          'The same figures are at GET /metrics in Prometheus format.',
        querystring: MetricsQuery,
        response: { 200: MetricsReport, ...errorResponses() },
      },
    },
    async (request) => {
      const ms = parsePeriod(request.query.period, app.metrics.bucketMs);
      if (ms === null) throw new ApiError(422, ErrorCode.VALIDATION_ERROR, `period must be 10s..24h, e.g. 5m, 1h, 24h; got ${JSON.stringify(request.query.period)}`, 'period');
      return app.metrics.summary(ms, request.query.period);
    },
  );
}

export default fp(monitoringRoutes, { name: 'hogi-routes-monitoring', dependencies: ['hogi-services', 'hogi-errors', 'hogi-metrics', 'hogi-cycle'], encapsulate: true });
