// Prediction routes over inject: a fresh in-memory database with the real migrations, stand-in
// models in a temp store (the service and worker paths have their own tests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openDb, type Db } from '../../src/data/db.js';
import { satisfiesConstraints, strategyFor } from '../../src/strategies/index.js';
import { fakeLoader } from '../service/predictionFakes.js';
import { appWithFakeModels, envelopeOf, sharedSlice } from './fixtures.js';
import type { FastifyInstance } from 'fastify';

const draws = sharedSlice(1, 800);
let db: Db;
let dir: string;
let app: FastifyInstance;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, dir, app, close } = await appWithFakeModels(800));
});
afterAll(() => close());

const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });

interface Body {
  request_id: string;
  machine_type: string;
  predictions: Array<{ set_number: number; machine_type: string; numbers: number[]; confidence_score: number; expected_matches: number; algorithm_used: string; explanation: string[] }>;
  metadata: Record<string, unknown> & { weights: Record<string, number> | null; target_round: number; dropped_below_threshold: number; models_used: string[] };
  generated_at: string;
}

describe('POST /api/predictions/generate', () => {
  it('returns the documented response: sets meeting the machine strategy, scores in [0, 1], metadata', async () => {
    const res = await post('/api/predictions/generate', { machine_type: '2호기', sets_count: 6, seed: 77 });
    expect(res.statusCode).toBe(200);
    const body = res.json() as Body;
    expect(body.machine_type).toBe('2호기');
    expect(body.predictions).toHaveLength(6);
    for (const p of body.predictions) {
      expect(satisfiesConstraints(p.numbers, strategyFor(2).constraints)).toBe(true);
      expect(p.confidence_score).toBeGreaterThanOrEqual(0);
      expect(p.confidence_score).toBeLessThanOrEqual(1);
      expect(p.algorithm_used).toBe('enhanced_ml_balanced');
      expect(p.explanation.length).toBeGreaterThan(3);
    }
    expect(body.metadata).toMatchObject({
      algorithm: 'enhanced',
      analysis_window: 50,
      target_round: 801,
      chance_expected_matches: 0.8,
      fallback: false,
      models_used: ['pytorch_transformer', 'sklearn_ensemble'],
      seed: 77,
    });
    expect(typeof body.metadata.model_version).toBe('string');
    expect(Array.isArray(body.metadata.features_used)).toBe(true);
    expect(Number.isNaN(Date.parse(body.generated_at))).toBe(false);
  });

  it('gives the same sets for the same seed and different ones for another seed', async () => {
    const sets = async (seed: number) => ((await post('/api/predictions/generate', { machine_type: 1, seed })).json() as Body).predictions.map((p) => p.numbers);
    expect(await sets(5)).toEqual(await sets(5));
    expect(await sets(6)).not.toEqual(await sets(5));
  });

  it('answers machine_type "all" with the three machines and their differentiation', async () => {
    const body = (await post('/api/predictions/generate', { machine_type: 'all', sets_count: 2, seed: 1, algorithm: 'basic' })).json() as Body;
    expect(body.predictions.map((p) => p.machine_type)).toEqual(['1호기', '1호기', '2호기', '2호기', '3호기', '3호기']);
    expect(body.metadata.differentiation).toMatchObject({ score: expect.any(Number), claim: expect.stringMatching(/70%/) });
  });

  it('refuses an impossible include/exclude with 422 and the reason in plain words', async () => {
    const res = await post('/api/predictions/generate', { machine_type: 3, sets_count: 1, include: [2, 4, 6, 8, 10], lang: 'en' });
    expect(res.statusCode).toBe(422);
    const env = envelopeOf(res);
    expect(env.error.code).toBe('IMPOSSIBLE_CONSTRAINTS');
    expect(env.error.field).toBe('include');
    expect(env.error.message).toMatch(/needs at least 4 odd numbers, but you fixed 5 even number/);

    const many = await post('/api/predictions/generate', { machine_type: 1, sets_count: 3, include: [1, 2, 3, 4] });
    expect(many.statusCode).toBe(422);
    expect(envelopeOf(many).error.code).toBe('IMPOSSIBLE_CONSTRAINTS');
  });

  it('reports every validation failure in the error envelope, naming the field', async () => {
    const cases: Array<[unknown, number, string | null]> = [
      [{ machine_type: 1, sets_count: 21 }, 422, 'sets_count'],
      [{ machine_type: 1, sets_count: 0 }, 422, 'sets_count'],
      [{ machine_type: 1, analysis_window: 9 }, 422, 'analysis_window'],
      [{ machine_type: 1, analysis_window: 101 }, 422, 'analysis_window'],
      [{ machine_type: 1, algorithm: 'magic' }, 422, 'algorithm'],
      [{ machine_type: 1, include: [46] }, 422, 'include.0'],
      [{ machine_type: 1, include: [1, 2, 3, 4, 5, 6] }, 422, 'include'],
      [{ machine_type: 1, include: [3], exclude: [3] }, 422, 'exclude'],
      [{ sets_count: 2 }, 422, 'machine_type'],
      [{ machine_type: '9호기' }, 400, 'machine_type'],
      [{ machine_type: 'x' }, 400, 'machine_type'],
    ];
    for (const [payload, status, field] of cases) {
      const res = await post('/api/predictions/generate', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(envelopeOf(res).error.field, JSON.stringify(payload)).toBe(field);
    }
  });
});

describe('POST /api/ensemble/predictions', () => {
  it('answers 409 STACKING_NOT_TRAINED, saying how to train it, until stacking is trained', async () => {
    const res = await post('/api/ensemble/predictions', { machine_type: 1, sets_count: 2, ensemble_method: 'stacking' });
    expect(res.statusCode).toBe(409);
    const env = envelopeOf(res);
    expect(env.error.code).toBe('STACKING_NOT_TRAINED');
    expect(env.error.message).toMatch(/hogi train --stacking/);
  });

  it('returns the weights used and how many sets fell below the confidence threshold', async () => {
    const all = (await post('/api/ensemble/predictions', { machine_type: 3, sets_count: 10, ensemble_method: 'blending', confidence_threshold: 0, seed: 4 })).json() as Body;
    expect(all.predictions).toHaveLength(10);
    expect(all.metadata.weights).toEqual({ pytorch_transformer: 0.5, sklearn_ensemble: 0.5 });
    const some = (await post('/api/ensemble/predictions', { machine_type: 3, sets_count: 10, ensemble_method: 'blending', seed: 4 })).json() as Body;
    const kept = all.predictions.filter((p) => p.confidence_score >= 0.7);
    expect(some.predictions.map((p) => p.numbers)).toEqual(kept.map((p) => p.numbers));
    expect(some.metadata.dropped_below_threshold).toBe(10 - kept.length);
    expect(some.metadata.confidence_threshold).toBe(0.7);
  });

  it('combines only the requested families', async () => {
    const body = (await post('/api/ensemble/predictions', { machine_type: 1, sets_count: 1, models: ['pytorch_transformer'], confidence_threshold: 0 })).json() as Body;
    expect(body.metadata.models_used).toEqual(['pytorch_transformer']);
    expect(body.metadata.weights).toEqual({ pytorch_transformer: 1 });
    const bad = await post('/api/ensemble/predictions', { machine_type: 1, models: ['gpt'] });
    expect(bad.statusCode).toBe(422);
    expect(envelopeOf(bad).error.field).toMatch(/^models/);
    const stackingOne = await post('/api/ensemble/predictions', { machine_type: 1, ensemble_method: 'stacking', models: ['sklearn_ensemble'] });
    expect(stackingOne.statusCode).toBe(422);
    expect(envelopeOf(stackingOne).error.field).toBe('models');
  });
});

describe('stored predictions', () => {
  it('GET /api/predictions/{request_id} returns what was generated, pending until its draw exists', async () => {
    const made = (await post('/api/predictions/generate', { machine_type: 1, sets_count: 3, seed: 10 })).json() as Body;
    const res = await app.inject({ url: `/api/predictions/${made.request_id}` });
    expect(res.statusCode).toBe(200);
    const got = res.json() as { status: string; predictions: Array<{ numbers: number[]; matches: number | null }> };
    expect(got.status).toBe('pending');
    expect(got.predictions.map((p) => p.numbers)).toEqual(made.predictions.map((p) => p.numbers));
    expect(got.predictions.every((p) => p.matches === null)).toBe(true);
    const missing = await app.inject({ url: '/api/predictions/no-such-id' });
    expect(missing.statusCode).toBe(404);
    expect(envelopeOf(missing).error.code).toBe('NOT_FOUND');
  });

  it('GET /api/predictions filters by machine and target round', async () => {
    await post('/api/predictions/generate', { machine_type: 2, sets_count: 1, seed: 1 });
    const res = await app.inject({ url: '/api/predictions?machine=2호기&round=801' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: Array<{ machine_type: string; target_round: number; sets: unknown[] }>; total: number };
    expect(body.total).toBeGreaterThan(0);
    expect(body.items.every((i) => i.machine_type === '2호기' && i.target_round === 801)).toBe(true);
    const none = (await app.inject({ url: '/api/predictions?round=5' })).json() as { total: number };
    expect(none.total).toBe(0);
    expect((await app.inject({ url: '/api/predictions?machine=7' })).statusCode).toBe(400);
  });
});

describe('empty database', () => {
  it('answers 409 NO_DATA with a hint on loading draws', async () => {
    const empty = openDb(':memory:');
    const a = buildApp({ db: empty, predictions: { modelsDir: dir, runner: 'in-process', loaders: fakeLoader().loaders } });
    await a.ready();
    try {
      const res = await a.inject({ method: 'POST', url: '/api/predictions/generate', payload: { machine_type: 1 } });
      expect(res.statusCode).toBe(409);
      expect(envelopeOf(res).error.code).toBe('NO_DATA');
    } finally {
      await a.close();
      empty.close();
    }
  });
});

describe('OpenAPI', () => {
  it('documents the prediction request bodies and responses from the same schemas', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref: string } }> }; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    // Bodies are named schemas (components.schemas), referenced from the operation.
    const body = (op: { requestBody?: { content: Record<string, { schema: { $ref: string } }> } }) =>
      doc.components.schemas[op.requestBody!.content['application/json'].schema.$ref.replace('#/components/schemas/', '')];
    const gen = doc.paths['/api/predictions/generate'].post;
    expect(Object.keys(body(gen).properties).sort()).toEqual(
      ['algorithm', 'analysis_window', 'avoid_sharing', 'exclude', 'include', 'lang', 'machine_type', 'seed', 'sets_count'].sort(),
    );
    // avoid_sharing has a default and so is not required.
    expect((body(gen) as { required?: string[] }).required ?? []).not.toContain('avoid_sharing');
    expect((body(gen).properties.avoid_sharing as { default?: unknown }).default).toBe(false);
    expect(Object.keys(gen.responses)).toEqual(expect.arrayContaining(['200', '400', '409', '422']));
    const ens = doc.paths['/api/ensemble/predictions'].post;
    expect(Object.keys(body(ens).properties)).toEqual(expect.arrayContaining(['ensemble_method', 'models', 'confidence_threshold']));
  });
});
