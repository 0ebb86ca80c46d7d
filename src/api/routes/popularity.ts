import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { PopularityDataError } from '../../service/popularity/service.js';
import { apiErrors, LOAD_DATA_HINT } from '../errors.js';
import { PopularityScore, PopularityScoreQuery } from '../popularitySchemas.js';
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
}

export default fp(popularityRoutes, { name: 'hogi-routes-popularity', dependencies: ['hogi-services', 'hogi-errors', 'hogi-popularity'], encapsulate: true });
