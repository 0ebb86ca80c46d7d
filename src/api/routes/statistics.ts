import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import type { PerformanceMetrics as PerformanceMetricsResult } from '../../service/backtest/service.js';
import type { MachineAnalysis as MachineAnalysisResult } from '../../service/statistics.js';
import { apiErrors } from '../errors.js';
import { parseMachineType } from '../machineType.js';
import { AnalysisQuery, MachineAnalysis, MachineTypeParams, errorResponses } from '../schemas.js';

/** /api/statistics: window statistics per machine. */
async function statisticsRoutes(plain: FastifyInstance): Promise<void> {
  // Request and answer types come from the route schemas (one definition each).
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/machine-analysis/:machine_type',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Number frequencies and pattern averages over the last N draws of a machine',
        description:
          '`machine_type` is 1, "1", "1호기" or "all" (every draw, labelled or not). `rounds` is the window (1..2000, default 50); ' +
          'fewer draws than asked are used when fewer exist (see analysis_period.total_rounds). ' +
          'With no draws to analyse the answer is 409 NO_DATA with a hint on loading data. ' +
          '`performance_metrics` comes from the latest completed walk-forward backtest (`hogi backtest`): the product path\'s measured matches per set ' +
          'on that machine\'s rounds against chance; with no completed backtest, source is "none" and every figure is null.',
        params: MachineTypeParams,
        querystring: AnalysisQuery,
        response: { 200: MachineAnalysis, ...errorResponses(400, 409) },
      },
    },
    async (request): Promise<MachineAnalysisResult & { performance_metrics: PerformanceMetricsResult }> => {
      const machine = parseMachineType(request.params.machine_type, app.draws.isServedMachine, 'machine_type');
      const analysis = app.statistics.machineAnalysis(machine, request.query.rounds);
      if (analysis.analysis_period.total_rounds === 0) {
        throw app.draws.summary().totalDraws === 0 ? apiErrors.noData() : apiErrors.noData(`no draws of ${analysis.machine_type} are stored yet`);
      }
      return { ...analysis, performance_metrics: app.backtests.performanceMetrics(machine) };
    },
  );
}

export default fp(statisticsRoutes, { name: 'hogi-routes-statistics', dependencies: ['hogi-services', 'hogi-errors'], encapsulate: true });
