// Route-test fixture: a fresh in-memory database with the real migrations and a slice of the shared history.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import type { ErrorEnvelope } from '../../src/api/errors.js';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import type { Draw } from '../../src/domain/draw.js';
import { clockAfterDraw } from '../helpers/clock.js';
import { loadHistoryDraws } from '../helpers/history.js';
import { rmSync } from 'node:fs';
import { PredictionService } from '../../src/service/predictions/service.js';
import { E_SPEC, T_SPEC, fakeLoader, saveFake, tempModelsDir } from '../service/predictionFakes.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  draws: Draw[];
}

/** Draws with round in [from, to] (inclusive) from the shared history. */
export function sharedSlice(from: number, to: number): Draw[] {
  return loadHistoryDraws().filter((d) => d.round >= from && d.round <= to);
}

/** `clock` defaults to one hour after the newest given draw, so a slice of history is not stale. */
export async function appWith(draws: Draw[], clock?: () => Date): Promise<TestApp> {
  const db = openDb(':memory:');
  drawsRepo(db).upsertMany(draws, '2026-01-01T00:00:00.000Z');
  const latest = draws.reduce((m, d) => Math.max(m, d.round), 0);
  const app = buildApp({ db, clock: clock ?? (latest > 0 ? clockAfterDraw(latest) : undefined) });
  await app.ready();
  return { app, db, draws };
}

export async function closeApp(t: TestApp): Promise<void> {
  await t.app.close();
  if (t.db.open) t.db.close();
}

/** The error envelope as the API defines it (src/api/schemas.ts). */
export type Envelope = ErrorEnvelope;

/** Asserts the response is the shared error envelope and returns it. */
export function envelopeOf(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }): Envelope {
  const body = res.json() as Envelope;
  if (body.status !== 'error' || typeof body.error?.code !== 'string' || typeof body.error.message !== 'string' || !('field' in body.error)) {
    throw new Error(`not an error envelope: ${JSON.stringify(body)}`);
  }
  if (Number.isNaN(Date.parse(body.timestamp))) throw new Error(`bad timestamp ${body.timestamp}`);
  if (body.request_id !== res.headers['x-request-id']) throw new Error('request_id differs from the X-Request-Id header');
  return body;
}

export interface FakeModelsApp {
  db: Db;
  /** The temp model store (removed by close). */
  dir: string;
  app: FastifyInstance;
  service: PredictionService;
  close(): Promise<void>;
}

/**
 * The API over draws 1..upTo in memory, with both stand-in families saved in a temp model store
 * and the clock just after the last draw: the prediction routes answer from "trained" models.
 */
export async function appWithFakeModels(upTo = 800): Promise<FakeModelsApp> {
  const db = openDb(':memory:');
  drawsRepo(db).upsertMany(sharedSlice(1, upTo), '2026-01-01T00:00:00.000Z');
  const dir = tempModelsDir();
  saveFake(dir, 'transformer', 'all', T_SPEC);
  saveFake(dir, 'ensemble', 'all', E_SPEC);
  const service = new PredictionService({ db, modelsDir: dir, runner: 'in-process', loaders: fakeLoader().loaders, now: clockAfterDraw(upTo) });
  const app = buildApp({ db, predictions: service, clock: clockAfterDraw(upTo) });
  await app.ready();
  return {
    db,
    dir,
    app,
    service,
    async close() {
      await app.close();
      await service.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
