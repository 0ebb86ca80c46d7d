// Bounds on what a request body may be, beyond the byte limit (bodyLimit, 64 KB): JSON nesting
// depth and array length are checked by one linear scan before parsing, so a hostile body is
// refused with a 400 envelope instead of reaching the parser or the validator.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, ErrorCode } from '../errors.js';

/** No request schema of hogi nests deeper than 3; leave room for clients, refuse pathological input. */
export const MAX_JSON_DEPTH = 16;
/** No request array of hogi has more than 45 items. */
export const MAX_JSON_ARRAY_ITEMS = 1000;

export type JsonShapeProblem = { kind: 'depth'; limit: number } | { kind: 'array'; limit: number };

/**
 * The first bound a JSON text breaks, or null. Strings are skipped (brackets and commas in them
 * do not count); the text need not be valid JSON, the parser decides that afterwards.
 */
export function jsonShapeProblem(text: string, maxDepth = MAX_JSON_DEPTH, maxItems = MAX_JSON_ARRAY_ITEMS): JsonShapeProblem | null {
  // Per open container: -1 for an object, else the array's item count so far (commas + 1 once non-empty).
  const stack: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    switch (c) {
      case 0x22: // "
        inString = true;
        break;
      case 0x5b: // [
      case 0x7b: // {
        if (stack.length >= maxDepth) return { kind: 'depth', limit: maxDepth };
        stack.push(c === 0x5b ? 0 : -1);
        break;
      case 0x5d: // ]
      case 0x7d: // }
        stack.pop();
        break;
      case 0x2c: {
        // ,
        const top = stack.length - 1;
        if (top >= 0 && stack[top] >= 0 && ++stack[top] >= maxItems) return { kind: 'array', limit: maxItems };
        break;
      }
    }
  }
  return null;
}

export const requestLimits = fp(
  async (app: FastifyInstance) => {
    const parse = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      const problem = jsonShapeProblem(text);
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
