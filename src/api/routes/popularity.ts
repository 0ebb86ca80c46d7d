import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { EvidenceBusyError, EvidenceWindowError, type EvidenceView } from '../../service/popularity/evidence.js';
import { PopularityDataError } from '../../service/popularity/service.js';
import { ApiError, apiErrors, ErrorCode, LOAD_DATA_HINT } from '../errors.js';
import { PopularityEvidence, PopularityEvidenceQuery, PopularityScore, PopularityScoreQuery } from '../popularitySchemas.js';
import { errorResponses } from '../schemas.js';

/** /api/popularity: how many others would share a combination's prize. */
async function popularityRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: PopularityScoreQuery }>(
    '/score',
    {
      schema: {
        tags: ['popularity'],
        summary: 'Co-winner ratio per tier and expected prize if won, for any six numbers',
        description:
          'The ratio estimates how many other tickets hold this combination relative to an average one (tiers 1–5), from a model fitted on every stored round. ' +
          'It never changes the chance of winning. 409 NO_DATA when the prize tiers are not stored.',
        querystring: PopularityScoreQuery,
        response: { 200: PopularityScore, ...errorResponses(409) },
      },
    },
    async (request) => {
      const parts = request.query.numbers.split(',').map((s) => s.trim());
      const nums = parts.map((p) => (/^\d{1,2}$/.test(p) ? Number(p) : NaN));
      if (nums.some((n) => Number.isNaN(n))) throw apiErrors.validation(`numbers must be six whole numbers 1..45 separated by commas, got "${request.query.numbers}"`, 'numbers');
      try {
        return app.popularity.score(nums);
      } catch (e) {
        if (e instanceof RangeError) throw apiErrors.validation(e.message, 'numbers');
        if (e instanceof PopularityDataError) throw apiErrors.fromDomain(e, { details: { hint: LOAD_DATA_HINT } });
        throw e;
      }
    },
  );

  app.get<{ Querystring: PopularityEvidenceQuery }>(
    '/evidence',
    {
      schema: {
        tags: ['popularity'],
        summary: 'Walk-forward evidence: predicted against realized co-winner ratio per tier over a window of rounds',
        description:
          'Each round of the window is scored by a model fitted only on earlier rounds (refitted every retrain_every rounds). Per tier: the correlation with its ' +
          'bootstrap 95% interval and permutation p, Spearman, calibration by predicted decile, the realized ratio and prize per winner by predicted quintile, ' +
          'and the issue-14 goals, beside the public peers’ figures. A run takes minutes for the default window (the last 300 rounds with all five prize tiers, ' +
          'refitted every 10), so the first request starts it in a worker thread and answers 202 with its progress (Retry-After); ask again until status is ' +
          'done (200). A finished window is kept per stored prize data, so later requests answer at once. 422 for a window the stored data cannot serve, ' +
          '429 when three other windows already wait, 409 NO_DATA when the prize tiers are not stored.',
        querystring: PopularityEvidenceQuery,
        response: { 200: PopularityEvidence, 202: PopularityEvidence, ...errorResponses(409, 422, 429) },
      },
    },
    async (request, reply): Promise<EvidenceView> => {
      const q = request.query;
      let view: EvidenceView;
      try {
        view = app.popularityEvidence.request({ from: q.from, to: q.to, retrainEvery: q.retrain_every });
      } catch (e) {
        if (e instanceof EvidenceWindowError) throw apiErrors.validation(e.message, e.field);
        if (e instanceof PopularityDataError) throw apiErrors.fromDomain(e, { details: { hint: LOAD_DATA_HINT } });
        if (e instanceof EvidenceBusyError) {
          reply.header('retry-after', '30');
          throw new ApiError(429, ErrorCode.RATE_LIMIT_EXCEEDED, e.message, null);
        }
        throw e;
      }
      if (view.status === 'queued' || view.status === 'running') reply.code(202).header('retry-after', '2');
      return view;
    },
  );
}

export default fp(popularityRoutes, { name: 'hogi-routes-popularity', dependencies: ['hogi-services', 'hogi-errors', 'hogi-popularity'], encapsulate: true });
