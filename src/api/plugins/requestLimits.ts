// Bounds on what a request body may be, beyond the byte limit (bodyLimit, 64 KB): JSON nesting
// depth and array length are checked by one linear scan before parsing, so a hostile body is
// refused with a 400 envelope instead of reaching the parser or the validator.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { jsonShapeProblem } from '../../data/formats/jsonShape.js';
import { ApiError, ErrorCode } from '../errors.js';

/** No request schema of hogi nests deeper than 3; leave room for clients, refuse pathological input. */
export const MAX_JSON_DEPTH = 16;
/** No request array of hogi has more than 45 items. */
export const MAX_JSON_ARRAY_ITEMS = 1000;

/** How long a request body may take to arrive once its headers have (default 10 s). */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

export interface RequestLimitsOptions {
  bodyTimeoutMs?: number;
}

const hasBody = (request: FastifyRequest) =>
  request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');

export const requestLimits = fp(
  async (app: FastifyInstance, opts: RequestLimitsOptions) => {
    // Only JSON bodies: fastify's own text/plain parser would hand a string to routes that
    // expect an object (answered as a confusing 422); without it such a body is a 415.
    app.removeContentTypeParser('text/plain');

    // A body that stops arriving would hold the connection (and an in-flight slot) until Node's
    // own request timeout, minutes later: answer 408 and close the connection instead.
    const bodyTimeoutMs = opts.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
    app.addHook('preParsing', async (request, reply, payload) => {
      if (!hasBody(request)) return payload;
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        reply.header('connection', 'close');
        // fastify's body reader answers an 'error' on the payload with the error's status.
        payload.emit('error', new ApiError(408, ErrorCode.REQUEST_TIMEOUT, `the request body did not arrive within ${bodyTimeoutMs} ms`, null, { limit_ms: bodyTimeoutMs }));
      }, bodyTimeoutMs);
      const finish = () => {
        done = true;
        clearTimeout(timer);
      };
      payload.once('end', finish);
      payload.once('close', finish);
      payload.once('error', finish);
      return payload;
    });

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
