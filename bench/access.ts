// Sequential per-request cost (fastify inject, one process, no sockets) of the access and HTTP
// caching layers: no key vs an API key (lookup, rate limit, in-flight count), identity vs gzip vs
// brotli answers, compression of small answers (threshold 1024 vs 0), and 304 revalidation.
// Run: npx tsx bench/access.ts [--n 2000]
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, type AppOptions } from '../src/api/app.js';
import { apiKeysRepo } from '../src/data/apiKeysRepo.js';
import { openDb } from '../src/data/db.js';
import { drawsRepo } from '../src/data/drawsRepo.js';
import { parseImportText } from '../src/data/formats/detect.js';
import { applyImport, combineInputs, planImport } from '../src/data/importService.js';
import { createApiKey } from '../src/service/apiKeys.js';
import { PredictionService } from '../src/service/predictions/service.js';

const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data');
const args = process.argv.slice(2);
const n = Number(args[args.indexOf('--n') + 1] ?? 2000) || 2000;

const db = openDb(':memory:');
const repo = drawsRepo(db);
applyImport(repo, planImport(repo, combineInputs(['draws.csv', 'machines.csv'].map((f) => parseImportText(readFileSync(join(SHARED, f), 'utf8'), f)))));
const key = createApiKey(apiKeysRepo(db), { tier: 'enterprise', label: 'bench' }).key;
const modelsDir = mkdtempSync(join(tmpdir(), 'hogi-bench-nomodels-'));
const service = new PredictionService({ db, modelsDir, runner: 'in-process' });

async function appWith(opts: Partial<AppOptions>) {
  const app = buildApp({ db, predictions: service, ...opts, access: { limits: { enterprise: { perMinute: 1e9, concurrent: 1000 } }, ...opts.access } });
  await app.ready();
  return app;
}

type Req = { method: 'GET' | 'POST'; url: string; payload?: object; headers?: Record<string, string> };
async function time(app: Awaited<ReturnType<typeof appWith>>, req: (i: number) => Req): Promise<{ mean: number; p50: number; p95: number; bytes: number; status: number }> {
  for (let i = 0; i < 200; i++) await app.inject(req(-i - 1)); // warm-up
  const xs: number[] = [];
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const res = await app.inject(req(i));
    xs.push(Number(process.hrtime.bigint() - t0) / 1000);
    bytes = res.rawPayload.length;
    status = res.statusCode;
  }
  xs.sort((a, b) => a - b);
  return { mean: xs.reduce((a, b) => a + b, 0) / n, p50: xs[Math.floor(n / 2)], p95: xs[Math.floor(n * 0.95)], bytes, status };
}

const rows: string[][] = [];
const row = (label: string, r: Awaited<ReturnType<typeof time>>) =>
  rows.push([label, String(r.status), String(r.bytes), r.mean.toFixed(0), r.p50.toFixed(0), r.p95.toFixed(0)]);

const small: Req = { method: 'GET', url: '/api/draws/1245' };
const large: Req = { method: 'GET', url: '/api/draws?page_size=100' };
const stats: Req = { method: 'GET', url: '/api/statistics/machine-analysis/1?rounds=50' };
const predict = (i: number): Req => ({ method: 'POST', url: '/api/predictions/generate', payload: { machine_type: 1, sets_count: 5, seed: 1000 + (i & 0xffff) } });
const withHeaders = (r: Req | ((i: number) => Req), headers: Record<string, string>) => (i: number): Req => {
  const base = typeof r === 'function' ? r(i) : r;
  return { ...base, headers: { ...base.headers, ...headers } };
};

const def = await appWith({});
const keyed = await appWith({ access: { requireKey: true } });
const zero = await appWith({ compression: { threshold: 0 } });
const none = await appWith({ compression: false });
await service.warm();

for (const [name, r] of [['draw (small)', small], ['100 draws', large], ['statistics', stats], ['predict 5 sets', predict]] as const) {
  const req = typeof r === 'function' ? r : () => r;
  row(`${name}: no compression plugin`, await time(none, req));
  row(`${name}: identity`, await time(def, req));
  row(`${name}: API key (enterprise)`, await time(keyed, withHeaders(req, { 'x-api-key': key })));
  row(`${name}: gzip`, await time(def, withHeaders(req, { 'accept-encoding': 'gzip' })));
  row(`${name}: br`, await time(def, withHeaders(req, { 'accept-encoding': 'br' })));
  row(`${name}: br, threshold 0`, await time(zero, withHeaders(req, { 'accept-encoding': 'br' })));
}
const etag = (await def.inject(large)).headers.etag as string;
row('100 draws: If-None-Match → 304', await time(def, withHeaders(large, { 'if-none-match': etag })));

const widths = [40, 6, 7, 9, 8, 8];
const header = ['request', 'status', 'bytes', 'mean µs', 'p50 µs', 'p95 µs'];
console.log(`sequential fastify inject, n=${n} per row (after 200 warm-up), node ${process.version}`);
console.log(header.map((h, i) => (i === 0 ? h.padEnd(widths[i]) : h.padStart(widths[i]))).join(' '));
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' '));

for (const a of [def, keyed, zero, none]) await a.close();
await service.close();
db.close();
rmSync(modelsDir, { recursive: true, force: true });
