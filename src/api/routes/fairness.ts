import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import type { FairnessReport, FairnessScopeSpec } from '../../domain/fairness/index.js';
import { apiErrors } from '../errors.js';
import { FairnessBusyError } from '../../service/fairness.js';
import { FairnessQuery, FairnessResponse } from '../fairnessSchemas.js';
import { parseMachineType } from '../machineType.js';
import { errorResponses } from '../schemas.js';

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The API's snake_case view of a report. */
export function fairnessView(report: FairnessReport, dataVersion: number): FairnessResponse {
  const p = report.params;
  return {
    data_version: dataVersion,
    params: {
      machines: p.machines,
      from: p.from,
      to: p.to,
      seed: p.seed,
      permutations: p.permutations,
      null_simulations: p.nullSimulations,
      power_simulations: p.powerSimulations,
      ljung_box_lags: p.ljungBoxLags,
      alpha: p.alpha,
      target_power: p.targetPower,
    },
    correction: report.correction,
    scopes: report.scopes.map((s) => ({
      machine: s.machine,
      label: s.label,
      draws: s.draws,
      from_round: s.fromRound,
      to_round: s.toRound,
      min_adjusted_p: s.minAdjustedP,
      conclusion: s.conclusion,
      tests: s.tests.map((t) => ({
        test: t.test,
        name: t.name,
        statistic: t.statistic,
        df: t.df,
        p_value: t.pValue,
        adjusted_p: t.adjustedP,
        p_method: t.pMethod,
        power: {
          effect_model: t.power.effectModel,
          effect_unit: t.power.effectUnit,
          detectable_effect: t.power.detectableEffect,
          max_effect_tried: t.power.maxEffectTried,
          power: t.power.power,
          simulations: t.power.simulations,
          alpha: t.power.alpha,
          target_power: t.power.targetPower,
        },
        conclusion: t.conclusion,
        details: Object.fromEntries(Object.entries(t.details).map(([k, v]) => [snake(k), v])),
      })),
    })),
  };
}

/** /api/statistics/fairness: do the draws, and each machine's, look like fair 6-of-45 draws? */
async function fairnessRoutes(plain: FastifyInstance): Promise<void> {
  // Request and answer types come from the route schemas (one definition each).
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/fairness',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Fairness tests of the draws, all machines together and per machine, with each test’s power',
        description:
          'χ² on number frequencies (×44/39, Genest–Lockhart–Stephens), χ² on pairs and a pooled gap test (both simulation-calibrated), ' +
          'runs and Ljung–Box tests on draw sums, and (all machines) a permutation test of the machine × number table. p-values are ' +
          'Holm-adjusted within each scope; each test reports the smallest simulated bias it detects with 80% power at α = 0.05, and ' +
          'conclusions are given in Korean and English. A report costs seconds to compute the first time (in a worker thread); it is ' +
          'cached per stored data version and parameters; at most one is computed at a time with 4 waiting, beyond which the answer is 503 ' +
          'FAIRNESS_BUSY with Retry-After. 409 NO_DATA when no draws are stored.',
        querystring: FairnessQuery,
        response: { 200: FairnessResponse, ...errorResponses(400, 409, 503) },
      },
    },
    async (request, reply): Promise<FairnessResponse> => {
      const q = request.query;
      if (q.from !== undefined && q.to !== undefined && q.from > q.to) throw apiErrors.validation(`from (${q.from}) is after to (${q.to})`, 'to');
      let machines: FairnessScopeSpec[] | undefined;
      if (q.machine !== undefined) {
        const m = parseMachineType(q.machine, app.draws.isServedMachine, 'machine');
        machines = [m === null ? 'all' : m];
      }
      if (app.draws.summary().totalDraws === 0) throw apiErrors.noData();
      const version = app.fairnessDataVersion();
      const report = await app.fairness
        .reportAsync({
          ...(machines ? { machines } : {}),
          from: q.from,
          to: q.to,
          seed: q.seed,
          permutations: q.permutations,
          nullSimulations: q.null_simulations,
          powerSimulations: q.power_simulations,
        })
        .catch((e: unknown) => {
          if (e instanceof FairnessBusyError) {
            reply.header('retry-after', '30');
            throw apiErrors.fromDomain(e);
          }
          throw e;
        });
      return fairnessView(report, version);
    },
  );
}

export default fp(fairnessRoutes, { name: 'hogi-routes-fairness', dependencies: ['hogi-services', 'hogi-errors', 'hogi-fairness'], encapsulate: true });
