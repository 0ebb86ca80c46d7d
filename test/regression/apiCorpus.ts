/**
 * API response corpus for refactors of the edges (issue 11 §4): records what a broad set of
 * requests answer (status, content-type, JSON body) on apps built in-process over a fresh temp
 * SQLite database loaded from the shipped snapshot, with a pinned clock, fixed seeds and
 * ids, and stand-in models (no training). Not a test file.
 *
 *   npx tsx test/regression/apiCorpus.ts record OUT_DIR            # writes OUT_DIR/corpus.json
 *   npx tsx test/regression/apiCorpus.ts compare OLD NEW          # OLD/NEW: a dir with corpus.json, or a .json / .json.gz file
 *
 * What varies between two runs of the same code is normalised narrowly (see normalise).
 */
process.env.HOGI_SNAPSHOT = '0';
process.env.HOGI_STARTUP_TRAINING = '0';

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp, type AppOptions } from '../../src/api/app.js';
import { apiKeysRepo } from '../../src/data/apiKeysRepo.js';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { fairnessReport } from '../../src/domain/fairness/report.js';
import { createApiKey } from '../../src/service/apiKeys.js';
import { RequestMetrics } from '../../src/service/metrics.js';
import { runBacktest } from '../../src/service/backtest/engine.js';
import { BACKTEST_METHODS } from '../../src/service/backtest/types.js';
import type { FairnessCompute } from '../../src/service/fairness.js';
import { PredictionService } from '../../src/service/predictions/service.js';
import { ticketsService } from '../../src/service/tickets/service.js';
import { afterDraw } from '../helpers/clock.js';
import { loadHistoryDraws } from '../helpers/history.js';
import { fakeFactory } from '../service/backtest/fakes.js';
import { E_SPEC, T_SPEC, fakeLoader, saveFake, tempModelsDir } from '../service/predictionFakes.js';

type Entry = { name: string; status: number; headers: Record<string, string | null>; body: unknown };

/**
 * What differs between two runs of the same code, found by recording twice and comparing:
 * the error envelope's timestamp and request id (real clock, random UUID), the database ping
 * time in health, the measured latency / CPU / memory figures of the metrics route, and the
 * temp models folder named in fallback notes. Nothing else is touched.
 */
const MEASURED_METRICS = new Set(['latency_ms', 'cpu', 'memory']);
const TMP_MODELS = /\/[^\s"]*hogi-fake-models-[A-Za-z0-9]+/g;

function normaliseStrings(x: unknown): unknown {
  if (typeof x === 'string') return x.replace(TMP_MODELS, '<models-dir>');
  if (Array.isArray(x)) return x.map(normaliseStrings);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, normaliseStrings(v)]));
  return x;
}

function normalise(name: string, body: unknown): unknown {
  const b = normaliseStrings(body);
  if (!b || typeof b !== 'object' || Array.isArray(b)) return b;
  const o = b as Record<string, unknown>;
  if (o.status === 'error' && 'error' in o) {
    return { ...o, timestamp: typeof o.timestamp === 'string' && !Number.isNaN(Date.parse(o.timestamp)) ? '<now>' : o.timestamp, request_id: typeof o.request_id === 'string' ? '<uuid>' : o.request_id };
  }
  if (name.includes('health')) {
    const db = o.database as Record<string, unknown> | undefined;
    const comp = (o.components as Record<string, Record<string, unknown>> | undefined)?.database;
    for (const d of [db, comp]) if (d && typeof d.response_time_ms === 'number') d.response_time_ms = '<measured>';
  }
  if (name === 'monitoring metrics') {
    for (const k of MEASURED_METRICS) if (k in o) o[k] = '<measured>';
    if (Array.isArray(o.routes)) for (const r of o.routes as Array<Record<string, unknown>>) for (const k of Object.keys(r)) if (k.endsWith('_ms')) r[k] = '<measured>';
  }
  return o;
}

const cheapFairness: FairnessCompute = async (draws, options) => fairnessReport(draws, { ...options, permutations: 100, nullSimulations: 20, powerSimulations: 10 });

const LATEST = 1245;
const NOW = afterDraw(LATEST);
const clock = () => new Date(NOW.getTime());

interface Built {
  app: FastifyInstance;
  db: Db;
  close(): Promise<void>;
}

async function build(opts: { models: boolean; access?: AppOptions['access']; keys?: boolean; backtest?: boolean }, tmp: string, name: string): Promise<Built & { keys: Record<string, string> }> {
  const db = openDb(join(tmp, `${name}.sqlite`));
  const draws = loadHistoryDraws();
  drawsRepo(db).upsertMany(draws, '2026-01-01T00:00:00.000Z');
  const keys: Record<string, string> = {};
  if (opts.keys) {
    const repo = apiKeysRepo(db);
    keys.free = createApiKey(repo, { tier: 'free', label: 'free corpus' }).key;
    keys.premium = createApiKey(repo, { tier: 'premium', label: 'premium corpus' }).key;
  }
  if (opts.backtest) {
    await runBacktest({
      db,
      draws,
      params: { from: 1220, to: 1232, machine: 'all', retrainEvery: 7, methods: [...BACKTEST_METHODS], sets: 3, seed: 11, config: 'small', window: 50 },
      trainer: 'in-process',
      createModel: fakeFactory(),
      now: clock,
    });
  }
  const dir = tempModelsDir();
  if (opts.models) {
    saveFake(dir, 'transformer', 'all', T_SPEC);
    saveFake(dir, 'ensemble', 'all', E_SPEC);
  }
  let n = 0;
  const service = new PredictionService({
    db,
    modelsDir: dir,
    runner: 'in-process',
    loaders: fakeLoader().loaders,
    now: clock,
    newId: () => `pred-${name}-${++n}`,
    newSeed: () => 12345,
  });
  const tickets = ticketsService({ db, now: clock });
  const metrics = new RequestMetrics({ now: () => NOW.getTime() });
  const app = buildApp({ db, predictions: service, clock, metrics, fairness: { compute: cheapFairness }, tickets: { tickets }, access: opts.access });
  await app.ready();
  return {
    app,
    db,
    keys,
    async close() {
      await app.close();
      await service.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function hit(app: FastifyInstance, name: string, req: InjectOptions): Promise<Entry> {
  const res = await app.inject(req);
  const ct = res.headers['content-type'];
  let body: unknown;
  try {
    body = res.body === '' ? null : JSON.parse(res.body);
  } catch {
    body = { text: res.body.length > 2000 ? `<${res.body.length} chars>` : res.body };
  }
  return {
    name,
    status: res.statusCode,
    headers: {
      'content-type': typeof ct === 'string' ? ct : null,
      location: typeof res.headers.location === 'string' ? res.headers.location : null,
      'cache-control': typeof res.headers['cache-control'] === 'string' ? res.headers['cache-control'] : null,
      allow: typeof res.headers.allow === 'string' ? res.headers.allow : null,
    },
    body: normalise(name, body),
  };
}

const get = (url: string, headers?: Record<string, string>): InjectOptions => ({ method: 'GET', url, headers });
const post = (url: string, payload?: unknown, headers?: Record<string, string>): InjectOptions => ({ method: 'POST', url, payload: payload as object, headers });

const FAST = 'null_simulations=20&power_simulations=10&permutations=100';
const QR_868 = 'http://m.dhlottery.co.kr/?v=0868m041120213645m010306132438m142933354042m021823262731m1217284143441293818248';

async function record(out: string): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'hogi-apicorpus-'));
  const entries: Entry[] = [];
  const add = async (app: FastifyInstance, name: string, req: InjectOptions) => entries.push(await hit(app, name, req));
  try {
    // 1. The main app: full history, stand-in models, one stored backtest.
    const a = await build({ models: true, backtest: true }, tmp, 'main');
    const reads: Array<[string, string]> = [
      ['root', '/api'],
      ['draws page 1', '/api/draws'],
      ['draws page 3 size 5', '/api/draws?page=3&page_size=5'],
      ['draws machine 2', '/api/draws?machine=2&page_size=4'],
      ['draws range', '/api/draws?from=1000&to=1010'],
      ['draw 1200', '/api/draws/1200'],
      ['draw 1 (oldest)', '/api/draws/1'],
      ['statistics m1', '/api/statistics/machine-analysis/1'],
      ['statistics 2호기 window 30', '/api/statistics/machine-analysis/2%ED%98%B8%EA%B8%B0?window=30'],
      ['statistics all', '/api/statistics/machine-analysis/all'],
      ['fairness m3', `/api/statistics/fairness?machine=3&from=900&to=1200&seed=4&${FAST}`],
      ['fairness all', `/api/statistics/fairness?machine=all&seed=9&${FAST}`],
      ['backtests list', '/api/backtests'],
      ['health', '/api/monitoring/health'],
      ['monitoring metrics', '/api/monitoring/metrics'],
      ['popularity score', '/api/popularity/score?numbers=3,11,19,27,35,43'],
      ['popularity score birthdays', '/api/popularity/score?numbers=1,7,12,17,24,28'],
      ['combinations history', '/api/combinations/history?numbers=42,32,25,21,13,9'],
      ['combinations history unseen', '/api/combinations/history?numbers=1,2,3,4,5,6'],
    ];
    for (const [n, u] of reads) await add(a.app, n, get(u));
    const list = (await a.app.inject(get('/api/backtests'))).json() as { items: Array<{ id: string }> };
    const bt = list.items[0]?.id;
    if (bt) {
      await add(a.app, 'backtest detail', get(`/api/backtests/${bt}`));
      await add(a.app, 'backtest rounds p2', get(`/api/backtests/${bt}/rounds?page=2&page_size=3`));
      await add(a.app, 'backtest rounds probs', get(`/api/backtests/${bt}/rounds?page_size=1&include_probabilities=true`));
    }

    const preds: Array<[string, unknown]> = [
      ['generate m2', { machine_type: '2호기', sets_count: 6, seed: 77 }],
      ['generate m1 en', { machine_type: 1, sets_count: 3, seed: 5, lang: 'en' }],
      ['generate all', { machine_type: 'all', sets_count: 2, seed: 8 }],
      ['generate all en', { machine_type: 'all', sets_count: 3, seed: 8, lang: 'en' }],
      ['generate basic', { machine_type: 3, sets_count: 2, seed: 3, algorithm: 'basic' }],
      ['generate premium', { machine_type: 3, sets_count: 2, seed: 3, algorithm: 'premium' }],
      ['generate premium en', { machine_type: 1, sets_count: 2, seed: 3, algorithm: 'premium', lang: 'en' }],
      ['generate include/exclude', { machine_type: 1, sets_count: 3, seed: 9, include: [7, 14], exclude: [1, 2, 3] }],
            ['generate window 20', { machine_type: 2, sets_count: 2, seed: 21, analysis_window: 20 }],
      ['generate avoid_sharing', { machine_type: 2, sets_count: 3, seed: 4, avoid_sharing: true, lang: 'en' }],
      ['generate avoid_sharing ko', { machine_type: 1, sets_count: 2, seed: 4, avoid_sharing: true }],
      ['generate unseeded', { machine_type: 1, sets_count: 2 }],
      ['generate unseeded again (cache hit)', { machine_type: 1, sets_count: 2 }],
    ];
    for (const [n, p] of preds) await add(a.app, n, post('/api/predictions/generate', p));
    const ens: Array<[string, unknown]> = [
      ['ensemble voting', { machine_type: 1, sets_count: 2, seed: 6, ensemble_method: 'weighted_voting' }],
      ['ensemble stacking (untrained)', { machine_type: 2, sets_count: 2, seed: 6, ensemble_method: 'stacking' }],
      ['ensemble threshold', { machine_type: 2, sets_count: 5, seed: 21, confidence_threshold: 0.9 }],
      ['ensemble blending', { machine_type: 3, sets_count: 2, seed: 6, ensemble_method: 'blending', lang: 'en' }],
      ['ensemble transformer only', { machine_type: 1, sets_count: 2, seed: 6, models: ['pytorch_transformer'] }],
      ['ensemble enhanced_predictor', { machine_type: 1, sets_count: 2, seed: 6, models: ['enhanced_predictor'] }],
      ['ensemble all', { machine_type: 'all', sets_count: 2, seed: 6 }],
    ];
    for (const [n, p] of ens) await add(a.app, n, post('/api/ensemble/predictions', p));
    await add(a.app, 'prediction by id', get('/api/predictions/pred-main-1'));
    await add(a.app, 'prediction by id all', get('/api/predictions/pred-main-3'));
    await add(a.app, 'predictions list', get('/api/predictions?limit=5'));
    await add(a.app, 'predictions list m2', get('/api/predictions?machine_type=2'));
    await add(a.app, 'predictions list all', get('/api/predictions?machine_type=all&limit=2&offset=1'));

    // Wheels.
    const wheels: Array<[string, unknown]> = [
      ['wheel 3-if-3 of 8', { pool: [1, 5, 9, 14, 22, 31, 38, 44], guarantee: { match: 3, if: 3 } }],
      ['wheel with fixed', { pool: [2, 4, 6, 8, 10, 12, 14, 16, 18], fixed: [2], guarantee: { match: 3, if: 4 } }],
      ['wheel budget', { pool: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], guarantee: { match: 4, if: 6 }, budget: 5 }],
      ['wheel bad pool', { pool: [1, 2, 3], guarantee: { match: 3, if: 3 } }],
    ];
    for (const [n, p] of wheels) await add(a.app, n, post('/api/wheels', p));

    // Tickets.
    await add(a.app, 'ticket create qr', post('/api/tickets', { qr: QR_868 }));
    await add(a.app, 'ticket create manual', post('/api/tickets', { round: 1245, games: [[1, 2, 3, 4, 5, 6], [7, 14, 21, 28, 35, 42]], label: '주말' }));
    await add(a.app, 'ticket create next round', post('/api/tickets', { round: 1246, games: [[3, 11, 19, 27, 35, 43]] }));
    await add(a.app, 'ticket create bad qr', post('/api/tickets', { qr: 'hello' }));
    await add(a.app, 'ticket create bad numbers', post('/api/tickets', { round: 1245, games: [[1, 1, 3, 4, 5, 6]] }));
    await add(a.app, 'tickets list', get('/api/tickets'));
    await add(a.app, 'tickets pending', get('/api/tickets?status=pending'));
    await add(a.app, 'tickets page 2', get('/api/tickets?page=2&page_size=1'));
    await add(a.app, 'tickets check', post('/api/tickets/check'));
    await add(a.app, 'tickets summary', get('/api/tickets/summary'));
    await add(a.app, 'ticket 1', get('/api/tickets/1'));
    await add(a.app, 'ticket patch', { method: 'PATCH', url: '/api/tickets/2', payload: { label: '월요일' } });
    await add(a.app, 'ticket delete', { method: 'DELETE', url: '/api/tickets/3' });
    await add(a.app, 'ticket deleted 404', get('/api/tickets/3'));
    await add(a.app, 'ticket bad id', get('/api/tickets/abc'));

    // Errors.
    const errors: Array<[string, InjectOptions]> = [
      ['404 route', get('/api/nope')],
      ['404 draw', get('/api/draws/99999')],
      ['422 draw round', get('/api/draws/abc')],
      ['422 draws page', get('/api/draws?page=0')],
      ['unknown query ignored', get('/api/draws?colour=red')],
      ['400 machine', get('/api/statistics/machine-analysis/7')],
      ['statistics window 3', get('/api/statistics/machine-analysis/1?window=3')],
      ['400 fairness machine', get('/api/statistics/fairness?machine=7')],
      ['422 fairness range', get('/api/statistics/fairness?from=500&to=300')],
      ['404 backtest', get('/api/backtests/bt-000000000000')],
      ['404 prediction', get('/api/predictions/nope')],
      ['422 popularity numbers', get('/api/popularity/score?numbers=1,2,3')],
      ['422 combinations numbers', get('/api/combinations/history?numbers=1,2,3,4,5,99')],
      ['400 generate machine', post('/api/predictions/generate', { machine_type: 9 })],
      ['422 generate sets', post('/api/predictions/generate', { machine_type: 1, sets_count: 0 })],
      ['generate unknown field', post('/api/predictions/generate', { machine_type: 1, seed: 1, colour: 'red' })],
      ['422 ensemble threshold', post('/api/ensemble/predictions', { machine_type: 1, confidence_threshold: 2 })],
      ['422 generate include=exclude', post('/api/predictions/generate', { machine_type: 1, include: [5], exclude: [5] })],
      ['422 generate include too many', post('/api/predictions/generate', { machine_type: 1, include: [1, 2, 3, 4, 5, 6, 7] })],
      ['422 generate lang', post('/api/predictions/generate', { machine_type: 1, lang: 'fr' })],
      ['ensemble with algorithm field', post('/api/ensemble/predictions', { machine_type: 1, ensemble_method: 'blending', algorithm: 'basic' })],
      ['422 ensemble models', post('/api/ensemble/predictions', { machine_type: 1, models: ['gpt'] })],
      ['422 ensemble stacking one model', post('/api/ensemble/predictions', { machine_type: 1, ensemble_method: 'stacking', models: ['pytorch_transformer'] })],
      ['400 bad json', { method: 'POST', url: '/api/predictions/generate', payload: '{"machine_type":', headers: { 'content-type': 'application/json' } }],
      ['415 text body', { method: 'POST', url: '/api/predictions/generate', payload: 'machine_type=1', headers: { 'content-type': 'text/plain' } }],
      ['405 or 404 method', { method: 'PUT', url: '/api/draws' }],
    ];
    for (const [n, r] of errors) await add(a.app, n, r);

    // OpenAPI last (its document is the whole surface).
    await add(a.app, 'openapi', get('/openapi.json'));
    await a.close();

    // 2. No models: the frequency fallback everywhere.
    const b = await build({ models: false }, tmp, 'fallback');
    for (const [n, p] of [
      ['fallback generate m1', { machine_type: 1, sets_count: 3, seed: 2 }],
      ['fallback generate all en', { machine_type: 'all', sets_count: 2, seed: 2, lang: 'en' }],
      ['fallback generate premium', { machine_type: 2, sets_count: 2, seed: 2, algorithm: 'premium' }],
      ['fallback avoid_sharing', { machine_type: 3, sets_count: 2, seed: 2, avoid_sharing: true }],
    ] as Array<[string, unknown]>) {
      await add(b.app, n, post('/api/predictions/generate', p));
    }
    await add(b.app, 'fallback ensemble stacking', post('/api/ensemble/predictions', { machine_type: 1, sets_count: 2, seed: 2, ensemble_method: 'stacking' }));
    await add(b.app, 'fallback health', get('/api/monitoring/health'));
    await b.close();

    // 3. Keys required: 401 without, 403 for a tier below the route's.
    const c = await build({ models: false, keys: true, access: { requireKey: true } }, tmp, 'access');
    await add(c.app, '401 no key', get('/api/draws'));
    await add(c.app, '401 bad key', get('/api/draws', { 'x-api-key': 'hogi_nope' }));
    await add(c.app, 'free key draws', get('/api/draws?page_size=2', { 'x-api-key': c.keys.free }));
    await add(c.app, 'free key premium', post('/api/predictions/generate', { machine_type: 1, sets_count: 2, seed: 1, algorithm: 'premium' }, { 'x-api-key': c.keys.free }));
    await add(c.app, 'free key many sets', post('/api/predictions/generate', { machine_type: 1, sets_count: 20, seed: 1 }, { 'x-api-key': c.keys.free }));
    await add(c.app, 'premium key premium', post('/api/predictions/generate', { machine_type: 1, sets_count: 2, seed: 1, algorithm: 'premium' }, { 'x-api-key': c.keys.premium }));
    await add(c.app, 'health without key', get('/api/monitoring/health'));
    await c.close();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'corpus.json'), `${JSON.stringify(entries, null, 1)}\n`);
  console.log(`recorded ${entries.length} responses in ${join(out, 'corpus.json')}`);
}

function load(path: string): Entry[] {
  const p = resolve(path);
  const file = statSync(p).isDirectory() ? join(p, 'corpus.json') : p;
  const raw = readFileSync(file);
  return JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as Entry[];
}

function diffPaths(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length > 40) return;
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) diffPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
    return;
  }
  out.push(`${path}: ${JSON.stringify(a)?.slice(0, 300)} → ${JSON.stringify(b)?.slice(0, 300)}`);
}

function compare(oldPath: string, newPath: string): void {
  const before = load(oldPath);
  const after = load(newPath);
  const byName = new Map(after.map((e) => [e.name, e]));
  let differing = 0;
  for (const e of before) {
    const n = byName.get(e.name);
    if (!n) {
      console.log(`MISSING in new: ${e.name}`);
      differing++;
      continue;
    }
    const out: string[] = [];
    diffPaths(e, n, '', out);
    if (out.length) {
      differing++;
      console.log(`DIFF ${e.name}`);
      for (const line of out) console.log(`  ${line}`);
    }
  }
  for (const e of after) if (!before.some((b) => b.name === e.name)) console.log(`NEW only: ${e.name}`);
  console.log(`${before.length} responses compared, ${differing} differ`);
  process.exitCode = differing ? 1 : 0;
}

const [cmd, a1, a2] = process.argv.slice(2);
if (cmd === 'record' && a1) await record(a1);
else if (cmd === 'compare' && a1 && a2) compare(a1, a2);
else {
  console.error('usage: apiCorpus.ts record OUT_DIR | compare OLD NEW');
  process.exitCode = 2;
}
