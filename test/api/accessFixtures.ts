// Shared setup for the access, caching, fuzz and injection tests: an app over an in-memory
// database with a slice of the shared history, the prediction service on an empty models
// folder (frequency fallback, in-process: fast and deterministic), and keys of each tier.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/api/app.js';
import { apiKeysRepo } from '../../src/data/apiKeysRepo.js';
import { openDb, type Db } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { fairnessReport } from '../../src/domain/fairness/report.js';
import { createApiKey, type ApiKeyTier } from '../../src/service/apiKeys.js';
import type { FairnessCompute } from '../../src/service/fairness.js';
import { PredictionService } from '../../src/service/predictions/service.js';
import { sharedSlice } from './fixtures.js';

/**
 * The real fairness report, in-process and at the API's minimum simulation counts: these tests
 * exercise the HTTP layers, and the default (a worker per report, thousands of simulations)
 * would cost seconds per distinct query.
 */
export const cheapFairness: FairnessCompute = async (draws, options) =>
  fairnessReport(draws, { ...options, permutations: 100, nullSimulations: 20, powerSimulations: 10 });

export interface AccessApp {
  app: FastifyInstance;
  db: Db;
  keys: Record<ApiKeyTier, string>;
  close(): Promise<void>;
}

export async function accessApp(
  opts: Omit<AppOptions, 'db' | 'predictions'> = {},
  setup: { rounds?: [number, number]; before?: (app: FastifyInstance) => void } = {},
): Promise<AccessApp> {
  const db = openDb(':memory:');
  const [from, to] = setup.rounds ?? [1000, 1245];
  drawsRepo(db).upsertMany(sharedSlice(from, to), '2026-01-01T00:00:00.000Z');
  const repo = apiKeysRepo(db);
  const keys = {
    free: createApiKey(repo, { tier: 'free', label: 'free test' }).key,
    premium: createApiKey(repo, { tier: 'premium', label: 'premium test' }).key,
    enterprise: createApiKey(repo, { tier: 'enterprise', label: 'enterprise test' }).key,
  };
  const modelsDir = mkdtempSync(join(tmpdir(), 'hogi-nomodels-'));
  const service = new PredictionService({ db, modelsDir, runner: 'in-process' });
  const app = buildApp({ fairness: { compute: cheapFairness }, ...opts, db, predictions: service });
  setup.before?.(app);
  await app.ready();
  return {
    app,
    db,
    keys,
    async close() {
      await app.close();
      await service.close();
      db.close();
      rmSync(modelsDir, { recursive: true, force: true });
    },
  };
}
