import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorRule } from '../service/errors.js';
import type { ErrorEnvelope } from './schemas.js';

/**
 * The one error envelope every route answers with:
 *   {"status":"error","error":{"code","message","field",...details},"timestamp","request_id"}
 * Details are extra keys on `error` (valid_values, hint, retry_after_seconds...), so clients that
 * only read code/message/field keep working when later routes add their own.
 */
export type ErrorBody = ErrorEnvelope['error'] & { [detail: string]: unknown };

export type { ErrorEnvelope };

/** Codes used by this server; later routes add theirs here so the list stays in one place. */
export const ErrorCode = {
  VALIDATION_ERROR: 'VALIDATION_ERROR',
  INVALID_MACHINE_TYPE: 'INVALID_MACHINE_TYPE',
  NOT_FOUND: 'NOT_FOUND',
  NO_DATA: 'NO_DATA',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  NOT_ACCEPTABLE: 'NOT_ACCEPTABLE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMIT_EXCEEDED: 'RATE_LIMIT_EXCEEDED',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  STACKING_NOT_TRAINED: 'STACKING_NOT_TRAINED',
  IMPOSSIBLE_CONSTRAINTS: 'IMPOSSIBLE_CONSTRAINTS',
  TOO_FEW_DISTINCT_SETS: 'TOO_FEW_DISTINCT_SETS',
  API_KEY_REQUIRED: 'API_KEY_REQUIRED',
  INVALID_API_KEY: 'INVALID_API_KEY',
  API_KEY_REVOKED: 'API_KEY_REVOKED',
  TIER_REQUIRED: 'TIER_REQUIRED',
  JSON_TOO_DEEP: 'JSON_TOO_DEEP',
  FAIRNESS_BUSY: 'FAIRNESS_BUSY',
  HOST_NOT_ALLOWED: 'HOST_NOT_ALLOWED',
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  HEADERS_TOO_LARGE: 'HEADERS_TOO_LARGE',
  WHEEL_BUDGET_TOO_SMALL: 'WHEEL_BUDGET_TOO_SMALL',
} as const;

/** The hint every "no data yet" answer carries. */
export const LOAD_DATA_HINT = 'No draws stored yet. Load them with `hogi sync` (official sources) or `hogi import FILE` (res.json / CSV).';

/** The hint a stale database's health answer carries. */
export const STALE_DATA_HINT = 'Drawn rounds are missing. Fetch them with `hogi sync` (needs the internet) or load a newer file with `hogi import FILE`.';

/** Throw from a route or service adapter; the error handler turns it into the envelope. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly field: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(statusCode: number, code: string, message: string, field: string | null = null, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

export const apiErrors = {
  validation: (message: string, field: string | null) => new ApiError(422, ErrorCode.VALIDATION_ERROR, message, field),
  notFound: (message: string, field: string | null = null) => new ApiError(404, ErrorCode.NOT_FOUND, message, field),
  invalidMachineType: (value: string, validValues: readonly string[], field = 'machine_type') =>
    new ApiError(400, ErrorCode.INVALID_MACHINE_TYPE, `invalid machine type ${JSON.stringify(value)}: use one of ${validValues.join(', ')}`, field, {
      valid_values: [...validValues],
    }),
  /** 409: the request is fine but the database holds nothing to answer it with yet. */
  noData: (message: string = LOAD_DATA_HINT) => new ApiError(409, ErrorCode.NO_DATA, message, null, { hint: LOAD_DATA_HINT }),
  /**
   * A domain or service refusal with the status, code and field of the error table
   * (service/errors.ts); a route passes details (reasons in the asker's language, hints) and,
   * where its wire name differs, the field or message. Anything not in the table is returned as is.
   */
  fromDomain: (e: unknown, over: { message?: string; field?: string | null; details?: Record<string, unknown> } = {}): unknown => {
    const rule = errorRule(e);
    if (!rule || !(e instanceof Error)) return e;
    return new ApiError(rule.status, rule.code, over.message ?? e.message, over.field !== undefined ? over.field : rule.field, over.details);
  },
};

export function errorEnvelope(requestId: string, body: ErrorBody, now: Date = new Date()): ErrorEnvelope {
  return { status: 'error', error: body, timestamp: now.toISOString(), request_id: requestId };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, statusCode: number, body: ErrorBody): FastifyReply {
  return reply.code(statusCode).type('application/json; charset=utf-8').send(errorEnvelope(request.id, body));
}

const CODE_BY_STATUS: Record<number, string> = {
  400: ErrorCode.BAD_REQUEST,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  406: ErrorCode.NOT_ACCEPTABLE,
  408: ErrorCode.REQUEST_TIMEOUT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  421: ErrorCode.HOST_NOT_ALLOWED,
  429: ErrorCode.RATE_LIMIT_EXCEEDED,
  431: ErrorCode.HEADERS_TOO_LARGE,
};

interface AjvIssue {
  instancePath?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** The offending field of a schema failure: the property path, or the missing/extra property. */
export function validationField(issue: AjvIssue): string | null {
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const named = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  if (typeof named === 'string') return path ? `${path}.${named}` : named;
  return path || null;
}

/** Client-supplied request ids are echoed only when short and plain, so they cannot inject into headers or logs. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}

/**
 * Errors fastify answers before any route or hook runs (a URL that does not decode, a path
 * parameter over maxParamLength): the same envelope instead of fastify's own body. Passed as
 * the `frameworkErrors` server option.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  const message = err.code === 'FST_ERR_BAD_URL' ? 'the URL is not valid (a percent-escape does not decode)' : err.message.slice(0, 300);
  reply.header('x-request-id', request.id);
  void sendError(request, reply, status, { code: CODE_BY_STATUS[status] ?? ErrorCode.BAD_REQUEST, message, field: null });
}

const CLIENT_ERRORS: Record<string, { status: number; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'the request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'the request did not arrive in time' },
  ERR_HTTP_HEADERS_TIMEOUT: { status: 408, message: 'the request headers did not arrive in time' },
};

/**
 * Requests Node's HTTP parser refuses before fastify sees them (a malformed request line,
 * headers over the size limit, a request that does not arrive in time): answered in the same
 * envelope, with a fresh request id, then the connection is closed. The `clientErrorHandler`
 * server option.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable) {
    socket.destroy();
    return;
  }
  const known = (err.code && CLIENT_ERRORS[err.code]) || { status: 400, message: 'the request is not valid HTTP' };
  const id = randomUUID();
  const body = JSON.stringify(errorEnvelope(id, { code: CODE_BY_STATUS[known.status] ?? ErrorCode.BAD_REQUEST, message: known.message, field: null }));
  socket.end(
    `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${id}\r\n\r\n${body}`,
  );
}

/**
 * Error handler, 404 handler and the X-Request-Id echo for the whole app.
 * Unknown failures are logged with their stack and answered without it.
 */
export const errorHandling = fp(
  async (app: FastifyInstance) => {
    app.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });

    app.setErrorHandler((err: FastifyError, request, reply) => {
      if (err instanceof ApiError) {
        return sendError(request, reply, err.statusCode, { code: err.code, message: err.message, field: err.field, ...err.details });
      }
      const rule = errorRule(err);
      if (rule) return sendError(request, reply, rule.status, { code: rule.code, message: err.message, field: rule.field });
      if (err.validation && err.validation.length > 0) {
        const issue = err.validation[0] as AjvIssue;
        const field = validationField(issue);
        const message = `${field ?? err.validationContext ?? 'request'} ${issue.message ?? 'is invalid'}`;
        return sendError(request, reply, 422, { code: ErrorCode.VALIDATION_ERROR, message, field });
      }
      const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
      if (status >= 400 && status < 500) {
        // Fastify's own 4xx (bad JSON, media type, body size) carry messages meant for clients.
        return sendError(request, reply, status, { code: CODE_BY_STATUS[status] ?? ErrorCode.BAD_REQUEST, message: err.message, field: null });
      }
      request.log.error({ err }, 'unhandled error');
      return sendError(request, reply, 500, { code: ErrorCode.INTERNAL_ERROR, message: 'internal server error', field: null });
    });

    app.setNotFoundHandler((request, reply) =>
      sendError(request, reply, 404, { code: ErrorCode.NOT_FOUND, message: `no route ${request.method} ${request.url.split('?')[0].slice(0, 200)}`, field: null }),
    );
  },
  { name: 'hogi-errors', fastify: '5.x' },
);
