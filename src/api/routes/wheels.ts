import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { guaranteeName, WheelBudgetError, WheelInputError } from '../../domain/wheels/index.js';
import { wheelView } from '../../service/wheels.js';
import { apiErrors } from '../errors.js';
import { errorResponses } from '../schemas.js';
import { WheelBody, WheelResponse } from '../wheelSchemas.js';

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
          'more than 5, an unknown or impossible guarantee). A wheel does not change the odds that your numbers are drawn.',
        body: WheelBody,
        response: { 200: WheelResponse, ...errorResponses() },
      },
    },
    async (request): Promise<WheelResponse> => {
      const b = request.body;
      const lang = b.lang ?? 'ko';
      try {
        return wheelView(app.wheels.make({ pool: b.pool, guarantee: b.guarantee, fixed: b.fixed, budget: b.budget, seed: b.seed }));
      } catch (e) {
        if (e instanceof WheelInputError) {
          throw apiErrors.fromDomain(e, { message: `${e.field} ${e.reason.en}`, details: { reasons: [e.reason[lang]] } });
        }
        if (e instanceof WheelBudgetError) {
          throw apiErrors.fromDomain(e, {
            details: {
              reasons: [e.reason[lang]],
              considered: e.considered.map((c) => ({ guarantee: guaranteeName(c.guarantee), tickets: c.tickets, lower_bound: c.lowerBound })),
            },
          });
        }
        throw e;
      }
    },
  );
}

export default fp(wheelRoutes, { name: 'hogi-routes-wheels', dependencies: ['hogi-services', 'hogi-errors'], encapsulate: true });
