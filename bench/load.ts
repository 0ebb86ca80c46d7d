// Load against a real `hogi serve` child on loopback: predictions (response-cache hits and
// misses apart), statistics and health under autocannon, with latency percentiles from every
// response, throughput, errors and the server's RSS; the cold start to the first served
// prediction with trained models on disk; and an optional soak run watching RSS.
//
// 1. A temp database with the whole shared history (imported as `hogi import` does) and the
//    small per-machine models (3 × ensemble + Transformer), trained once into
//    $TMPDIR/hogi-bench-load-models and reused by later runs (or --models DIR). Training is not
//    part of any figure.
// 2. Cold start: spawn `hogi serve` (node dist/cli/main.js when the build is newer than src,
//    else node --import tsx src/cli/main.ts; --runner says which) and POST a prediction every
//    10 ms until one answers 200: the time from spawn to that answer. Repeated --cold times.
// 3. One warm server (HOGI_LOG_LEVEL=warn: no per-request log lines, --no-schedule), then per
//    scenario: 2 s of warm-up, then C connections for D seconds. Percentiles are exact, from
//    every response time except each connection's first (which also waits for the connection).
//    The server's RSS is read from /proc every 250 ms (max reported). The server's own view
//    (GET /api/monitoring/metrics) is printed after each scenario.
// 4. --soak S: a mix of all four for S seconds at --soak-connections (default 10), RSS sampled
//    every 10 s; prints the series and the growth between the first and the last minute.
//
// Run: npx tsx bench/load.ts [--duration 10] [--connections 100] [--cold 3] [--soak 600] [--models DIR] [--only hit,miss,stats,health] [--heap MB]
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from '../src/data/db.js';
import { drawsRepo } from '../src/data/drawsRepo.js';
import { parseImportText } from '../src/data/formats/detect.js';
import { applyImport, combineInputs, planImport } from '../src/data/importService.js';
import { initTf } from '../src/runtime/tfjs.js';
import { modelStore } from '../src/service/modelStore.js';
import { trainModels, trainTargets } from '../src/service/training.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = resolve(ROOT, '../shared/data');
const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const DURATION = Number(opt('--duration', '10'));
const CONNECTIONS = Number(opt('--connections', '100'));
const COLD_RUNS = Number(opt('--cold', '3'));
const SOAK = Number(opt('--soak', '0'));
const SOAK_CONNECTIONS = Number(opt('--soak-connections', '10'));
const ONLY = opt('--only', 'hit,miss,stats,health').split(',');
/** --heap MB: the server's V8 old-space limit (node --max-old-space-size), to see what it does to RSS. */
const HEAP_MB = opt('--heap', '');

const GOALS = { p95Ms: 10, predictionsPerSecond: 1000, rssMb: 300, coldStartMs: 2000 };

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The built CLI when it is newer than every source file, else the sources through tsx. */
function serveCommand(): { argv: string[]; runner: string } {
  const built = join(ROOT, 'dist/cli/main.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(ROOT, 'src'))) return { argv: [built], runner: 'node dist (built)' };
  return { argv: ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')], runner: 'tsx (src; `npm run build` first for the built CLI)' };
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

interface Server {
  proc: ChildProcess;
  port: number;
  stop(): Promise<number | null>;
}

function spawnServer(dbPath: string, modelsDir: string, port: number): ChildProcess {
  const { argv } = serveCommand();
  const heap = HEAP_MB ? [`--max-old-space-size=${HEAP_MB}`] : [];
  return spawn(process.execPath, [...heap, ...argv, '--db', dbPath, 'serve', '--port', String(port), '--no-schedule', '--no-startup-training'], {
    cwd: ROOT,
    env: { ...process.env, HOGI_MODELS_DIR: modelsDir, HOGI_LOG_LEVEL: 'warn', HOGI_MODEL_CONFIG: 'small' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => ok(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

const PREDICT_BODY = (m: number) => JSON.stringify({ machine_type: m, sets_count: 5 });

async function postOnce(port: number, body: string, headers: Record<string, string> = {}): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/predictions/generate`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Spawn → first 200 from the prediction route (models on disk, vectors computed at start). */
async function coldStart(dbPath: string, modelsDir: string): Promise<{ ms: number; listenMs: number; server: Server }> {
  const port = await freePort();
  const t0 = performance.now();
  const proc = spawnServer(dbPath, modelsDir, port);
  let exited = false;
  proc.once('exit', () => (exited = true));
  // First the moment it answers at all (process start, imports, listen), then the first prediction.
  for (;;) {
    if (exited) throw new Error('server exited during start-up');
    const ok = await fetch(`http://127.0.0.1:${port}/api/monitoring/health`).then((r) => r.arrayBuffer().then(() => true), () => false);
    if (ok) break;
    await sleep(5);
  }
  const listenMs = performance.now() - t0;
  for (;;) {
    if (exited) throw new Error('server exited during start-up');
    if ((await postOnce(port, PREDICT_BODY(1), { 'cache-control': 'no-cache' })) === 200) break;
    await sleep(10);
  }
  const ms = performance.now() - t0;
  const stop = () =>
    new Promise<number | null>((done) => {
      if (proc.exitCode !== null) return done(proc.exitCode);
      proc.once('exit', (code) => done(code));
      proc.kill('SIGTERM');
    });
  return { ms, listenMs, server: { proc, port, stop } };
}

interface Scenario {
  name: string;
  label: string;
  requests: Array<{ method: string; path: string; body?: string; headers?: Record<string, string> }>;
  predictions: boolean;
}

const predict = (headers: Record<string, string>) => [1, 2, 3].map((m) => ({ method: 'POST', path: '/api/predictions/generate', body: PREDICT_BODY(m), headers: { 'content-type': 'application/json', ...headers } }));
const SCENARIOS: Scenario[] = [
  { name: 'hit', label: 'predictions, cache hit', requests: predict({}), predictions: true },
  { name: 'miss', label: 'predictions, cache miss (no-cache)', requests: predict({ 'cache-control': 'no-cache' }), predictions: true },
  { name: 'stats', label: 'statistics (machine-analysis)', requests: [1, 2, 3].map((m) => ({ method: 'GET', path: `/api/statistics/machine-analysis/${m}?rounds=50` })), predictions: false },
  { name: 'health', label: 'health', requests: [{ method: 'GET', path: '/api/monitoring/health' }], predictions: false },
];

interface LoadResult {
  label: string;
  connections: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  rssMaxMb: number;
  responses: number;
  hitRate: number | null;
}

async function load(server: Server, s: Scenario, connections: number, duration: number, record = true): Promise<LoadResult> {
  const times: number[] = [];
  let non2xx = 0;
  const seen = new Set<unknown>();
  let rssMax = rssMb(server.proc.pid!);
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssMb(server.proc.pid!))), 250);
  const started = performance.now();
  const inst = autocannon({ url: `http://127.0.0.1:${server.port}`, connections, duration, timeout: 30, requests: s.requests });
  inst.on('response', (client, status, _b, t) => {
    if (status < 200 || status >= 300) non2xx++;
    if (!seen.has(client)) {
      seen.add(client);
      return;
    }
    if (record) times.push(t);
  });
  const r = await inst;
  clearInterval(sampler);
  const wall = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    label: s.label,
    connections,
    rps: (times.length + seen.size) / wall,
    p50: pct(times, 50),
    p95: pct(times, 95),
    p99: pct(times, 99),
    max: times[times.length - 1],
    errors: r.errors + r.timeouts,
    non2xx,
    rssMaxMb: rssMax,
    responses: times.length + seen.size,
    hitRate: null,
  };
}

async function serverMetrics(
  port: number,
  period: string,
): Promise<{ latency_ms: Record<string, number | null>; requests: Record<string, number>; predictions: Record<string, number | null>; cpu: { percent: number }; memory: Record<string, number> }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/monitoring/metrics?period=${period}`);
  return res.json() as never;
}

async function prepare(): Promise<{ dir: string; dbPath: string; modelsDir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'hogi-bench-load-'));
  const dbPath = join(dir, 'hogi.db');
  const db = openDb(dbPath);
  const repo = drawsRepo(db);
  const files = ['draws.csv', 'machines.csv'].map((f) => parseImportText(readFileSync(join(SHARED, f), 'utf8'), f));
  applyImport(repo, planImport(repo, combineInputs(files)));
  const history = repo.list();
  db.close();
  const modelsDir = resolve(opt('--models', join(tmpdir(), 'hogi-bench-load-models')));
  const targets = trainTargets([1, 2, 3], ['ensemble', 'transformer']);
  const store = modelStore(modelsDir);
  const have = new Set(store.list().filter((e) => e.manifest?.config === 'small').map((e) => e.key));
  const missing = targets.filter((t) => !have.has(`${t.family}-m${t.machine}-small`));
  if (missing.length > 0) {
    await initTf('wasm');
    const t0 = performance.now();
    const results = await trainModels(history, store, { targets: missing, config: 'small', seed: 42 });
    const failed = results.filter((r) => r.error);
    if (failed.length) throw new Error(`training failed: ${failed.map((f) => `${f.key}: ${f.error}`).join('; ')}`);
    console.log(`trained ${results.map((r) => r.key).join(', ')} in ${((performance.now() - t0) / 1000).toFixed(1)} s into ${modelsDir} (reused by later runs; not part of any figure)`);
  } else {
    console.log(`models: ${modelsDir} (6 small per-machine models, reused)`);
  }
  console.log(`database: ${history.length} draws (rounds 1–${history[history.length - 1].round})`);
  return { dir, dbPath, modelsDir };
}

const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

async function soak(server: Server, seconds: number): Promise<void> {
  const mixed = [...SCENARIOS[0].requests, ...SCENARIOS[1].requests, ...SCENARIOS[2].requests, ...SCENARIOS[3].requests];
  console.log(`\nsoak: ${seconds} s, ${SOAK_CONNECTIONS} connections, mixed hit/miss/statistics/health; RSS every 10 s`);
  const samples: Array<{ t: number; rss: number }> = [];
  const t0 = performance.now();
  const sampler = setInterval(() => samples.push({ t: (performance.now() - t0) / 1000, rss: rssMb(server.proc.pid!) }), 10_000);
  const inst = autocannon({ url: `http://127.0.0.1:${server.port}`, connections: SOAK_CONNECTIONS, duration: seconds, timeout: 30, requests: mixed });
  let responses = 0;
  let bad = 0;
  inst.on('response', (_c, status) => {
    responses++;
    if (status < 200 || status >= 300) bad++;
  });
  const r = await inst;
  clearInterval(sampler);
  const m = await serverMetrics(server.port, `${Math.min(86_400, Math.max(10, seconds))}s`);
  console.log(`soak server-measured: ${m.requests.total} requests, p95 ${m.latency_ms.p95} ms, p99 ${m.latency_ms.p99} ms, CPU ${m.cpu.percent} %, heap ${m.memory.heap_used_mb}/${m.memory.heap_total_mb} MB`);
  console.log(`soak RSS (s: MB): ${samples.map((s) => `${s.t.toFixed(0)}: ${s.rss.toFixed(1)}`).join(', ')}`);
  const firstMin = samples.filter((s) => s.t <= 60).map((s) => s.rss);
  const lastMin = samples.filter((s) => s.t >= seconds - 60).map((s) => s.rss);
  if (firstMin.length && lastMin.length) {
    const a = Math.max(...firstMin);
    const b = Math.max(...lastMin);
    console.log(`soak: ${responses} responses (${(responses / seconds).toFixed(0)}/s), ${bad} non-2xx, ${r.errors + r.timeouts} errors; RSS max first minute ${a.toFixed(1)} MB, last minute ${b.toFixed(1)} MB (growth ${(b - a).toFixed(1)} MB)`);
  }
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const { dir, dbPath, modelsDir } = await prepare();
  const runner = serveCommand().runner;
  console.log(`server: hogi serve via ${runner}, HOGI_LOG_LEVEL=warn, --no-schedule${HEAP_MB ? `, node --max-old-space-size=${HEAP_MB}` : ''}; load generator: autocannon in this process`);
  let server: Server | null = null;
  try {
    // Cold starts (each a fresh process; the vectors are read back from the stored forecasts after the first).
    const colds: number[] = [];
    const listens: number[] = [];
    for (let i = 0; i < Math.max(1, COLD_RUNS); i++) {
      const c = await coldStart(dbPath, modelsDir);
      colds.push(c.ms);
      listens.push(c.listenMs);
      if (i < Math.max(1, COLD_RUNS) - 1) await c.server.stop();
      else server = c.server;
    }
    console.log(
      `cold start to the first served prediction: ${colds.map((x) => `${x.toFixed(0)} ms`).join(', ')} ` +
        `(of which until the first answer of any kind: ${listens.map((x) => `${x.toFixed(0)} ms`).join(', ')}; the first run computes the vectors in workers, later ones read the stored forecasts)`,
    );

    const results: LoadResult[] = [];
    for (const s of SCENARIOS.filter((x) => ONLY.includes(x.name))) {
      await load(server!, s, CONNECTIONS, 2, false); // warm-up (JIT, cache entries, connections)
      const r = await load(server!, s, CONNECTIONS, DURATION);
      const m = await serverMetrics(server!.port, `${Math.max(10, Math.ceil(DURATION))}s`);
      r.hitRate = s.predictions ? (m.predictions.cache_hit_rate as number | null) : null;
      results.push(r);
      console.log(
        `${s.label}: ${r.responses} responses, ${f(r.rps, 0)} req/s, p50 ${f(r.p50)} p95 ${f(r.p95)} p99 ${f(r.p99)} max ${f(r.max)} ms; ` +
          `errors ${r.errors}, non-2xx ${r.non2xx}; server RSS max ${f(r.rssMaxMb, 1)} MB | server-measured (last ${DURATION} s): p95 ${m.latency_ms.p95} ms, CPU ${m.cpu.percent} %, hit rate ${m.predictions.cache_hit_rate}, ` +
          `heap ${m.memory.heap_used_mb}/${m.memory.heap_total_mb} MB, external ${m.memory.external_mb} MB`,
      );
    }

    if (results.length === 0) {
      if (SOAK > 0) await soak(server!, SOAK);
      return;
    }
    console.log(`\n| scenario | connections | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx | server RSS max MB |`);
    console.log(`|---|---:|---:|---:|---:|---:|---:|---:|---:|`);
    for (const r of results) console.log(`| ${r.label} | ${r.connections} | ${f(r.rps, 0)} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${r.errors} | ${r.non2xx} | ${f(r.rssMaxMb, 1)} |`);

    const preds = results.filter((r) => r.label.startsWith('predictions'));
    const rssMax = Math.max(...results.map((r) => r.rssMaxMb));
    const cold = Math.min(...colds);
    console.log(`\ngoals (${cpus().length} cores, load average now ${loadavg()[0].toFixed(2)}):`);
    for (const r of preds) {
      console.log(`- ${r.label}: p95 ${f(r.p95)} ms at ${r.connections} connections (goal < ${GOALS.p95Ms}): ${mark(r.p95 < GOALS.p95Ms)}; ${f(r.rps, 0)} predictions/s (goal ≥ ${GOALS.predictionsPerSecond}): ${mark(r.rps >= GOALS.predictionsPerSecond)}`);
    }
    console.log(`- RSS while serving: max ${f(rssMax, 1)} MB (goal < ${GOALS.rssMb}): ${mark(rssMax < GOALS.rssMb)}`);
    console.log(`- cold start to the first served prediction: best ${cold.toFixed(0)} ms of ${colds.length} (goal < ${GOALS.coldStartMs}): ${mark(cold < GOALS.coldStartMs)} [${runner}]`);

    if (SOAK > 0) await soak(server!, SOAK);
  } finally {
    const code = await server?.stop();
    if (code !== undefined && code !== 0) console.log(`server exited with ${code}`);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
