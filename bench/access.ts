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
type App = Awaited<ReturnType<typeof appWith>>;
interface Variant {
  label: string;
  app: App;
  req: (i: number) => Req;
}
interface Result {
  mean: number;
  p50: number;
  p95: number;
  bytes: number;
  status: number;
}

/** Variants of one request run round-robin in one loop, so load drifting on a shared machine hits them alike. */
async function timeInterleaved(variants: Variant[]): Promise<Result[]> {
  for (let i = 0; i < 200; i++) for (const v of variants) await v.app.inject(v.req(-i - 1)); // warm-up
  const xs = variants.map(() => [] as number[]);
  const last = variants.map(() => ({ bytes: 0, status: 0 }));
  for (let i = 0; i < n; i++) {
    for (const [k, v] of variants.entries()) {
      const t0 = process.hrtime.bigint();
      const res = await v.app.inject(v.req(i));
      xs[k].push(Number(process.hrtime.bigint() - t0) / 1000);
      last[k] = { bytes: res.rawPayload.length, status: res.statusCode };
    }
  }
  return xs.map((x, k) => {
    x.sort((a, b) => a - b);
    return { mean: x.reduce((a, b) => a + b, 0) / n, p50: x[Math.floor(n / 2)], p95: x[Math.floor(n * 0.95)], ...last[k] };
  });
}

const rows: string[][] = [];
const row = (label: string, r: Result) => rows.push([label, String(r.status), String(r.bytes), r.mean.toFixed(0), r.p50.toFixed(0), r.p95.toFixed(0)]);

const small: Req = { method: 'GET', url: '/api/draws/1245' };
const large: Req = { method: 'GET', url: '/api/draws?page_size=100' };
const stats: Req = { method: 'GET', url: '/api/statistics/machine-analysis/1?rounds=50' };
const predict = (i: number): Req => ({ method: 'POST', url: '/api/predictions/generate', payload: { machine_type: 1, sets_count: 5, seed: 1000 + (i & 0xffff) } });
const withHeaders = (r: (i: number) => Req, headers: Record<string, string>) => (i: number): Req => {
  const base = r(i);
  return { ...base, headers: { ...base.headers, ...headers } };
};

const def = await appWith({});
const keyed = await appWith({ access: { requireKey: true } });
const zero = await appWith({ compression: { threshold: 0 } });
const none = await appWith({ compression: false });
await service.warm();

for (const [name, r] of [['draw (small)', small], ['100 draws', large], ['statistics', stats], ['predict 5 sets', predict]] as const) {
  const req = typeof r === 'function' ? r : () => r;
  const variants: Variant[] = [
    { label: 'no compression plugin', app: none, req },
    { label: 'identity', app: def, req },
    { label: 'API key (enterprise)', app: keyed, req: withHeaders(req, { 'x-api-key': key }) },
    { label: 'gzip', app: def, req: withHeaders(req, { 'accept-encoding': 'gzip' }) },
    { label: 'br', app: def, req: withHeaders(req, { 'accept-encoding': 'br' }) },
    { label: 'gzip, threshold 0', app: zero, req: withHeaders(req, { 'accept-encoding': 'gzip' }) },
  ];
  if (name === '100 draws') {
    const etag = (await def.inject(large)).headers.etag as string;
    variants.push({ label: 'If-None-Match → 304', app: def, req: withHeaders(req, { 'if-none-match': etag }) });
  }
  const results = await timeInterleaved(variants);
  for (const [k, v] of variants.entries()) row(`${name}: ${v.label}`, results[k]);
}

const widths = [40, 6, 7, 9, 8, 8];
const header = ['request', 'status', 'bytes', 'mean µs', 'p50 µs', 'p95 µs'];
console.log(`sequential fastify inject, variants of a request interleaved, n=${n} per row (after 200 warm-up), node ${process.version}`);
console.log(header.map((h, i) => (i === 0 ? h.padEnd(widths[i]) : h.padStart(widths[i]))).join(' '));
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' '));

for (const a of [def, keyed, zero, none]) await a.close();
await service.close();
db.close();
rmSync(modelsDir, { recursive: true, force: true });
