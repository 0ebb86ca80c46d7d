import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { NotTrainedError } from '../../combination/stacking.js';
import { isKnownMachine, type Machine } from '../../domain/machine.js';
import { ValidationError, formatProblem } from '../../domain/problems.js';
import { NoDataError, type GeneratedPrediction, type PredictionRequest } from '../../service/predictions/service.js';
import { InfeasibleRequestError } from '../../strategies/sets.js';
import { apiErrors, LOAD_DATA_HINT } from '../errors.js';
import { parseMachineType } from '../machineType.js';
import { familiesFromWire, predictionToWire, problemsToWire, type WireModelName } from '../wireNames.js';
import {
  EnsembleBody,
  GenerateBody,
  PredictionIdParams,
  PredictionList,
  PredictionListQuery,
  PredictionResponse as PredictionResponseSchema,
  StoredPrediction as StoredPredictionSchema,
  type PredictionResponseDto,
  predictionErrors,
} from '../predictionSchemas.js';

/** Service field names → request field names where they differ. */
const FIELD: Record<string, string> = { count: 'sets_count', maxShared: 'max_shared' };

function machineOf(raw: number | string, field = 'machine_type'): Machine | 'all' {
  return parseMachineType(String(raw), isKnownMachine, field) ?? 'all';
}

/** The service's refusals as the API's error envelope. */
function asApiError(e: unknown, req: PredictionRequest, wireModels: readonly WireModelName[] | undefined): unknown {
  if (e instanceof InfeasibleRequestError) {
    const lang = req.lang ?? 'ko';
    const field = req.include?.length ? 'include' : req.exclude?.length ? 'exclude' : null;
    return apiErrors.fromDomain(e, { field, details: { reasons: e.reasons.map((r) => r[lang]), ...(e.found !== undefined ? { sets_found: e.found } : {}) } });
  }
  if (e instanceof NotTrainedError) return apiErrors.fromDomain(e, { details: { hint: 'hogi train --stacking' } });
  if (e instanceof NoDataError) return apiErrors.fromDomain(e, { message: LOAD_DATA_HINT, details: { hint: LOAD_DATA_HINT } });
  if (e instanceof ValidationError) {
    const problems = problemsToWire(e.problems, wireModels);
    const first = problems[0];
    return apiErrors.fromDomain(e, { message: problems.map(formatProblem).join('; '), field: first ? (FIELD[first.field] ?? first.field) : null });
  }
  return apiErrors.fromDomain(e);
}

/** `Cache-Control: no-cache` (or no-store, max-age=0) asks for fresh sets instead of a cached answer. */
function wantsFresh(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  return /(?:^|,)\s*(?:no-cache|no-store|max-age=0)\s*(?:,|$)/i.test(Array.isArray(header) ? header.join(',') : header);
}

/**
 * Cache hits return the same (frozen) response object for as long as the entry lives, so its
 * JSON, made once by the route's own response serializer, is sent as is on later hits.
 */
const serializedHits = new WeakMap<object, string>();

async function run(app: FastifyInstance, req: PredictionRequest, request: FastifyRequest, reply: FastifyReply, wireModels?: readonly WireModelName[]): Promise<PredictionResponseDto> {
  let res: GeneratedPrediction;
  try {
    res = await app.predictions.generate(req, { fresh: wantsFresh(request.headers['cache-control']) });
  } catch (e) {
    throw asApiError(e, req, wireModels);
  }
  app.metrics.recordPrediction(res.cache_status);
  // The service's answer under the wire names is the wire answer (checked field by field in predictionSchemas.ts).
  let json = res.cache_status === 'hit' ? serializedHits.get(res) : undefined;
  if (json !== undefined) {
    const body = json;
    reply.type('application/json; charset=utf-8').serializer(() => body);
    return predictionToWire(res);
  }
  const dto: PredictionResponseDto = predictionToWire(res);
  if (dto.cache_status !== 'hit') return dto;
  const serialize = reply.getSerializationFunction('200');
  if (!serialize) return dto;
  json = serialize(dto);
  serializedHits.set(res, json);
  const body = json;
  reply.type('application/json; charset=utf-8').serializer(() => body);
  return dto;
}

/** /api/predictions and /api/ensemble: generate, store and look up number sets. */
async function predictionRoutes(plain: FastifyInstance): Promise<void> {
  // Request and answer types come from the route schemas (one definition each).
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/predictions/generate',
    {
      schema: {
        tags: ['predictions'],
        summary: 'Generate number sets for a machine (or all three)',
        description:
          'Combines the cached model vectors for the next draw (the calendar\'s next undrawn round, `metadata.target_round`), applies the machine strategy and returns `sets_count` sets. ' +
          'Every prediction is stored (GET /api/predictions/{request_id}) and scored once its draw is stored. ' +
          '`confidence_score` is a ranking among all C(45,6) combinations, not a chance of winning; `expected_matches` compares with 0.8 for chance. ' +
          'Impossible include/exclude combinations answer 422 with the reason in plain words. ' +
          'An identical unseeded request may be answered from the response cache (`cache_status: "hit"`, the same stored prediction); `Cache-Control: no-cache` forces fresh sets.',
        body: GenerateBody,
        response: { 200: PredictionResponseSchema, ...predictionErrors(400, 409) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      return run(app, {
        machine: machineOf(b.machine_type),
        count: b.sets_count,
        algorithm: b.algorithm,
        window: b.analysis_window,
        seed: b.seed,
        include: b.include,
        exclude: b.exclude,
        lang: b.lang,
        avoidSharing: b.avoid_sharing,
        source: 'api-generate',
        apiKeyId: request.apiKey?.id ?? null,
      }, request, reply);
    },
  );

  app.post(
    '/ensemble/predictions',
    {
      schema: {
        tags: ['predictions'],
        summary: 'Generate sets with a chosen combination method and model subset',
        description:
          'Like /api/predictions/generate with an explicit `ensemble_method` and `models`. Sets whose confidence_score is below ' +
          '`confidence_threshold` are not returned; metadata.dropped_below_threshold says how many were dropped and metadata.weights gives the weights used. ' +
          'stacking answers 409 STACKING_NOT_TRAINED until `hogi train --stacking` has fitted it on walk-forward predictions.',
        body: EnsembleBody,
        response: { 200: PredictionResponseSchema, ...predictionErrors(400, 409) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      return run(app, {
        machine: machineOf(b.machine_type),
        count: b.sets_count,
        algorithm: 'enhanced',
        method: b.ensemble_method,
        models: familiesFromWire(b.models),
        confidenceThreshold: b.confidence_threshold,
        window: b.analysis_window,
        seed: b.seed,
        include: b.include,
        exclude: b.exclude,
        lang: b.lang,
        avoidSharing: b.avoid_sharing,
        source: 'api-ensemble',
        apiKeyId: request.apiKey?.id ?? null,
      }, request, reply, b.models);
    },
  );

  app.get(
    '/predictions/:request_id',
    {
      schema: {
        tags: ['predictions'],
        summary: 'One stored prediction, with matches and prize ranks once its draw is stored',
        params: PredictionIdParams,
        response: { 200: StoredPredictionSchema, ...predictionErrors(404) },
      },
    },
    async (request) => {
      const p = app.predictions.get(request.params.request_id);
      if (!p) throw apiErrors.notFound(`no stored prediction ${JSON.stringify(request.params.request_id)}`, 'request_id');
      return predictionToWire(p);
    },
  );

  app.get(
    '/predictions',
    {
      schema: {
        tags: ['predictions'],
        summary: 'Stored predictions, newest first, by machine and target round',
        description:
          'With an API key, only the predictions made with that key are listed (other keys\' predictions, premium ones included, are not). ' +
          'Without a key (a loopback server that does not require keys) every stored prediction is listed, CLI ones included. ' +
          'GET /api/predictions/{request_id} answers any holder of the id: ids are random UUIDs handed only to the caller who made the prediction.',
        querystring: PredictionListQuery,
        response: { 200: PredictionList, ...predictionErrors(400) },
      },
    },
    async (request) => {
      const q = request.query;
      const machine = q.machine === undefined ? undefined : machineOf(q.machine, 'machine');
      const key = request.apiKey;
      const { items, total } = app.predictions.list({ machine, round: q.round, apiKeyId: key ? key.id : undefined, limit: q.page_size, offset: (q.page - 1) * q.page_size });
      return { items, total, page: q.page, page_size: q.page_size };
    },
  );
}

export default fp(predictionRoutes, { name: 'hogi-routes-predictions', dependencies: ['hogi-predictions', 'hogi-errors', 'hogi-metrics'], encapsulate: true });
