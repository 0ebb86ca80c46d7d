// Sequential CPU cost of one warm prediction request, layer by layer, in one process (no
// sockets, no load generator): generateSets alone (5 sets, per machine), PredictionService.generate
// (combination from cached vectors, sets, response, queued storage), and the whole route through
// fastify inject (validation, handler, response serialisation). Stand-in models (the test fakes)
// give the vectors: the request path never runs a model, so which models does not matter here.
// Run: npx tsx bench/generate-micro.ts [--n 3000] [--only sets|service|inject]   (add node --cpu-prof via NODE_OPTIONS to profile)
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/api/app.js';
import { openDb } from '../src/data/db.js';
import { drawsRepo } from '../src/data/drawsRepo.js';
import { parseImportText } from '../src/data/formats/detect.js';
import { applyImport, combineInputs, planImport } from '../src/data/importService.js';
import { PredictionService } from '../src/service/predictions/service.js';
import { generateSets } from '../src/strategies/sets.js';
import { strategyFor } from '../src/strategies/machineStrategies.js';
import { PercentileTable } from '../src/strategies/percentile.js';
import { E_SPEC, T_SPEC, fakeLoader, saveFake, tempModelsDir } from '../test/service/predictionFakes.js';

const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data');
const args = process.argv.slice(2);
const n = Number(args[args.indexOf('--n') + 1] ?? 3000) || 3000;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null; // sets | service | inject

const db = openDb(':memory:');
const repo = drawsRepo(db);
const files = ['draws.csv', 'machines.csv'].map((f) => parseImportText(readFileSync(join(SHARED, f), 'utf8'), f));
applyImport(repo, planImport(repo, combineInputs(files)));
const dir = tempModelsDir();
saveFake(dir, 'transformer', 'all', T_SPEC);
saveFake(dir, 'ensemble', 'all', E_SPEC);
const service = new PredictionService({ db, modelsDir: dir, runner: 'in-process', loaders: fakeLoader().loaders });
const app = buildApp({ db, predictions: service });
await app.ready();
await service.warm();

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return `mean ${(mean * 1000).toFixed(0)} µs, p50 ${(s[Math.floor(s.length / 2)] * 1000).toFixed(0)} µs, p95 ${(s[Math.floor(s.length * 0.95)] * 1000).toFixed(0)} µs (n=${xs.length})`;
};
async function measure(label: string, fn: (i: number) => unknown): Promise<void> {
  const kind = label.startsWith('generateSets') ? 'sets' : label.startsWith('service') ? 'service' : 'inject';
  if (only && only !== kind) return;
  for (let i = 0; i < Math.min(500, n); i++) await fn(i); // warm-up (JIT, caches)
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    xs.push(performance.now() - t0);
  }
  console.log(`${label.padEnd(44)} ${stats(xs)}`);
}

// generateSets alone, with the vector, frequencies and table the service would pass.
const probs = Array.from({ length: 45 }, (_, i) => 6 / 45 + (i % 7 === 0 ? 0.01 : -0.0017));
const sum = probs.reduce((a, b) => a + b, 0);
const vector = probs.map((p) => (p * 6) / sum);
const table = PercentileTable.fromProbabilities(vector); // cached per vector in the service
const frequencies = Array.from({ length: 45 }, (_, i) => (i * 7) % 11);
for (const m of [1, 2, 3] as const) {
  await measure(`generateSets ${m}호기, 5 sets`, (i) => generateSets({ probabilities: vector, strategy: strategyFor(m), context: { frequencies }, count: 5, seed: i + 1, percentileTable: table }));
}
await measure('service.generate, 5 sets (machines 1,2,3)', (i) => service.generate({ machine: ((i % 3) + 1) as 1 | 2 | 3, count: 5, seed: i + 1, source: 'api-generate' }));
await measure('inject POST /api/predictions/generate, 5 sets', (i) =>
  app.inject({ method: 'POST', url: '/api/predictions/generate', payload: { machine_type: `${(i % 3) + 1}호기`, sets_count: 5, seed: i + 1 } }),
);
await app.close();
await service.close();
db.close();
rmSync(dir, { recursive: true, force: true });
