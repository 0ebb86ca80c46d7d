// Latency of GET /api/statistics/machine-analysis/3?rounds=50 over loopback against a real server
// (startServer, in a child process so the load generator does not share its event loop) on a temp
// file database holding the full shared history (imported as `hogi import` does).
// 1) N sequential keep-alive requests timed one by one (exact p50/p95/p99);
// 2) autocannon with a bounded request count (its histogram has 1 ms resolution; it reports p97.5, not p95).
// Request logging is off: per-request pino lines would be measured instead of the route.
// Run: npx tsx bench/stats-latency.ts [N=2000] [autocannonAmount=5000] [connections=10]
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../src/api/server.js';
import { loadConfig } from '../src/config/env.js';
import { openDb } from '../src/data/db.js';
import { drawsRepo } from '../src/data/drawsRepo.js';
import { parseImportText } from '../src/data/formats/detect.js';
import { applyImport, combineInputs, planImport } from '../src/data/importService.js';

const SELF = fileURLToPath(import.meta.url);
const SHARED = resolve(dirname(SELF), '../../shared/data');
const N = Number(process.argv[2] ?? 2000);
const AMOUNT = Number(process.argv[3] ?? 5000);
const CONNECTIONS = Number(process.argv[4] ?? 10);
const PATH = '/api/statistics/machine-analysis/3?rounds=50';

const CHILD = process.argv[2] === '--serve';
const dir = CHILD ? '' : mkdtempSync(join(tmpdir(), 'hogi-bench-stats-'));
const dbPath = CHILD ? process.argv[3] : join(dir, 'hogi.db');

function loadHistory(): number {
  const db = openDb(dbPath);
  try {
    const repo = drawsRepo(db);
    const files = ['draws.csv', 'machines.csv'].map((f) => parseImportText(readFileSync(join(SHARED, f), 'utf8'), f));
    applyImport(repo, planImport(repo, combineInputs(files)));
    return repo.count();
  } finally {
    db.close();
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function get(port: number): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path: PATH, agent }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end();
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

function spawnServer(): Promise<{ port: number; url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--serve', dbPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    let out = '';
    child.on('exit', (code) => fail(new Error(`server exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (!m) return;
      const port = Number(m[1]);
      child.removeAllListeners('exit');
      ok({
        port,
        url: `http://127.0.0.1:${port}`,
        stop: () => new Promise((done) => {
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

async function main(): Promise<void> {
  const draws = loadHistory();
  const server = await spawnServer();
  try {
    for (let i = 0; i < 200; i++) await get(server.port); // warm-up: JIT, statement cache, sockets
    const times: number[] = [];
    let errors = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const t0 = process.hrtime.bigint();
      const status = await get(server.port);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (status !== 200) errors++;
    }
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    times.sort((a, b) => a - b);
    console.log(`database: ${draws} draws; GET ${PATH}`);
    console.log(
      `sequential (1 keep-alive connection, ${N} requests): p50 ${pct(times, 50).toFixed(3)} ms, p95 ${pct(times, 95).toFixed(3)} ms, ` +
        `p99 ${pct(times, 99).toFixed(3)} ms, max ${times[times.length - 1].toFixed(3)} ms; ${(N / wall).toFixed(0)} req/s; non-200: ${errors}`,
    );

    const r = await autocannon({ url: `${server.url}${PATH}`, connections: CONNECTIONS, amount: AMOUNT, timeout: 10 });
    console.log(
      `autocannon (${CONNECTIONS} connections, ${AMOUNT} requests): p50 ${r.latency.p50} ms, p97.5 ${r.latency.p97_5} ms, p99 ${r.latency.p99} ms, ` +
        `mean ${r.latency.mean} ms; ${r.requests.average} req/s avg; errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}`,
    );
  } finally {
    agent.destroy();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (CHILD) {
  // Child mode: serve the database on a free port and print it; SIGTERM closes it gracefully.
  const server = await startServer({ dbPath, host: '127.0.0.1', port: 0, logger: false, startupTraining: false }, loadConfig({}));
  process.stdout.write(`PORT ${server.port}\n`);
} else {
  await main();
}
