// Bounds on what a request body may be, beyond the byte limit (bodyLimit, 64 KB): JSON nesting
// depth and array length are checked by one linear scan before parsing, so a hostile body is
// refused with a 400 envelope instead of reaching the parser or the validator.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonShapeProblem } from '../../data/formats/jsonShape.js';
import { ApiError, ErrorCode } from '../errors.js';

/** No request schema of hogi nests deeper than 3; leave room for clients, refuse pathological input. */
export const MAX_JSON_DEPTH = 16;
/** No request array of hogi has more than 45 items. */
export const MAX_JSON_ARRAY_ITEMS = 1000;

export const requestLimits = fp(
  async (app: FastifyInstance) => {
    const parse = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      const problem = jsonShapeProblem(text, MAX_JSON_DEPTH, MAX_JSON_ARRAY_ITEMS);
      if (problem) {
        const message =
          problem.kind === 'depth'
            ? `the JSON body nests deeper than ${problem.limit} levels`
            : `a JSON array in the body has more than ${problem.limit} items`;
        done(
          problem.kind === 'depth'
            ? new ApiError(400, ErrorCode.JSON_TOO_DEEP, message, null, { limit: problem.limit })
            : new ApiError(413, ErrorCode.PAYLOAD_TOO_LARGE, message, null, { limit: problem.limit }),
          undefined,
        );
        return;
      }
      parse(request, text, done);
    });
  },
  { name: 'hogi-request-limits', fastify: '5.x', dependencies: ['hogi-errors'] },
);
