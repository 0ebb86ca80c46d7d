// The design's wire names of the two families live in src/api/wireNames.ts alone: the service
// names them by family, stores family names, and the API answers the wire names for new rows
// and for rows stored before the change (which hold the wire names) alike.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { backtestRoundsToWire, familiesFromWire, weightsToWire, wireName } from '../../src/api/wireNames.js';
import type { Db } from '../../src/data/db.js';
import { appWithFakeModels, envelopeOf } from './fixtures.js';

const WIRE = /pytorch_transformer|sklearn_ensemble|enhanced_predictor/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the wire names in src/', () => {
  it('are spelled only in src/api/wireNames.ts', () => {
    const spelling = sourceFiles('src').filter((f) => WIRE.test(readFileSync(f, 'utf8')));
    // The positive control: the module itself is found, so the scan does read the files.
    expect(spelling).toEqual([join('src', 'api', 'wireNames.ts')]);
  });
});

describe('wire name mapping', () => {
  it('maps request names to families, enhanced_predictor to the ensemble', () => {
    expect(familiesFromWire(['pytorch_transformer', 'sklearn_ensemble', 'enhanced_predictor'])).toEqual(['transformer', 'ensemble', 'ensemble']);
  });

  it('answers family-named and wire-named weights the same, in their order', () => {
    const fromFamilies = weightsToWire({ transformer: 0.55, ensemble: 0.45 });
    expect(fromFamilies).toEqual({ pytorch_transformer: 0.55, sklearn_ensemble: 0.45 });
    expect(Object.keys(fromFamilies!)).toEqual(['pytorch_transformer', 'sklearn_ensemble']);
    expect(weightsToWire({ pytorch_transformer: 0.55, sklearn_ensemble: 0.45 })).toEqual(fromFamilies);
    expect(weightsToWire(null)).toBeNull();
    expect(wireName('frequency_baseline')).toBe('frequency_baseline');
  });

  it('maps the weights in backtest round details, old rows and new alike', () => {
    const round = (weights: Record<string, number> | null) => ({
      round: 900,
      machine_type: '1호기',
      methods: [{ method: 'weighted_voting', sets: [], matches: [], bonus_hits: [], log_loss: null, brier: null, detail: { method_used: 'weighted_voting', weights } }],
    });
    const fresh = backtestRoundsToWire([round({ ensemble: 1 })]);
    expect(fresh[0].methods[0].detail?.weights).toEqual({ sklearn_ensemble: 1 });
    expect(backtestRoundsToWire([round({ sklearn_ensemble: 1 })])).toEqual(fresh);
    expect(backtestRoundsToWire([round(null)])[0].methods[0].detail?.weights).toBeNull();
  });
});

describe('prediction answers over the API', () => {
  let db: Db;
  let app: FastifyInstance;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, app, close } = await appWithFakeModels(800));
  });
  afterAll(() => close());

  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
  const storedJson = (id: string) => (db.prepare('SELECT response_json FROM predictions WHERE request_id = ?').get(id) as { response_json: string }).response_json;

  it('answers a stored prediction the same whether its row holds family names (new) or wire names (stored before)', async () => {
    const made = await post('/api/predictions/generate', { machine_type: 'all', sets_count: 2, seed: 3 });
    expect(made.statusCode).toBe(200);
    const id = (made.json() as { request_id: string }).request_id;
    const fresh = await app.inject({ url: `/api/predictions/${id}` });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toMatch(/"models_used":\["pytorch_transformer","sklearn_ensemble"\]/);
    expect(fresh.body).toMatch(/"weights":\{"pytorch_transformer":0\.55,"sklearn_ensemble":0\.45\}/);

    const stored = storedJson(id);
    expect(stored).not.toMatch(WIRE);
    expect(stored).toMatch(/"models_used":\["transformer","ensemble"\]/);
    const old = stored
      .replaceAll('"transformer"', '"pytorch_transformer"')
      .replaceAll('"ensemble"', '"sklearn_ensemble"');
    expect(old).toMatch(WIRE);
    db.prepare('UPDATE predictions SET response_json = ? WHERE request_id = ?').run(old, id);
    const fromOld = await app.inject({ url: `/api/predictions/${id}` });
    expect(fromOld.statusCode).toBe(200);
    expect(fromOld.body).toBe(fresh.body);
  });

  it('refuses stacking with one family in the wire names, as the request spelled them', async () => {
    const res = await post('/api/ensemble/predictions', { machine_type: 1, ensemble_method: 'stacking', models: ['enhanced_predictor'] });
    expect(res.statusCode).toBe(422);
    const e = envelopeOf(res).error;
    expect(e.field).toBe('models');
    expect(e.message).toBe('models: expected both pytorch_transformer and sklearn_ensemble: stacking combines the two, found enhanced_predictor');
  });
});
