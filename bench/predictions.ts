// POST /api/predictions/generate under load, against a bare fastify route on the same machine,
// and the time to refresh all three machines' vectors after new data.
//
// 1. A temp file database with the full shared history except its latest round (imported as
//    `hogi import` does), and small-config models trained on it: per machine by default
//    (3 × ensemble + Transformer, the default serving path), the two pooled ones with --pooled,
//    or reused from --models DIR. Training time is printed but is not part of any figure.
// 2. Vector refresh, measured in this process with the worker runner (as the server runs it):
//    cold (workers start, models load, inference), then after new data: the held-back latest
//    round is imported and the vectors of all three machines are recomputed; later repeats
//    re-import it (every write bumps the data version). Training is excluded. Then the
//    differentiation between the three machines' sets over 50 seeds with these models.
// 3. A real server (startServer with warm caches, in a child process so the load generator does
//    not share its event loop) and, in the same child, a bare fastify app whose POST route
//    answers a small JSON. Request logging is off.
//    a) sequential: N keep-alive requests one at a time (exact p50/p95);
//    b) autocannon, C connections for D seconds each: the prediction route (machines 1, 2, 3 in
//       turn, 5 sets, a fresh random seed each) and the bare route; p50/p95/p99 computed from every
//       response time, throughput, and the ratio. Then the same at 10 connections.
// Run: npx tsx bench/predictions.ts [--duration 10] [--connections 100] [--sequential 1000] [--pooled] [--models DIR]
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../src/api/server.js';
import { loadConfig } from '../src/config/env.js';
import { openDb } from '../src/data/db.js';
import { drawsRepo } from '../src/data/drawsRepo.js';
import { parseImportText } from '../src/data/formats/detect.js';
import { applyImport, combineInputs, planImport } from '../src/data/importService.js';
import { initTf } from '../src/runtime/tfjs.js';
import { modelStore } from '../src/service/modelStore.js';
import { PredictionService } from '../src/service/predictions/service.js';
import { trainModels, trainTargets } from '../src/service/training.js';

const SELF = fileURLToPath(import.meta.url);
const SHARED = resolve(dirname(SELF), '../../shared/data');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const PATH = '/api/predictions/generate';
const BARE_PATH = '/bare';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const ms = (x: number) => `${x.toFixed(2)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function serve(dbPath: string, modelsDir: string): Promise<void> {
  // Child mode: the real server with warm caches, and a bare fastify app beside it.
  const server = await startServer({ dbPath, host: '127.0.0.1', port: 0, logger: false, handleSignals: true, modelsDir, modelConfig: 'small', startupTraining: false }, loadConfig({}));
  await server.app.predictions.warm();
  const bare = Fastify();
  bare.post(BARE_PATH, async () => ({ ok: true }));
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const address = bare.server.address();
  process.stdout.write(`PORT ${server.port} BARE ${typeof address === 'object' && address ? address.port : 0}\n`);
  process.once('SIGTERM', () => void bare.close());
}

function spawnServer(dbPath: string, modelsDir: string): Promise<{ port: number; bare: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--serve', dbPath, modelsDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    let out = '';
    child.on('exit', (code) => fail(new Error(`server exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+) BARE (\d+)/.exec(out);
      if (!m) return;
      child.removeAllListeners('exit');
      ok({
        port: Number(m[1]),
        bare: Number(m[2]),
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

const body = (machine: number) => JSON.stringify({ machine_type: machine, sets_count: 5 });

function post(port: number, path: string, payload: string, agent: Agent): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end(payload);
  });
}

interface LoadResult {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Slowest first response of a connection (connection set-up included). */
  firstMax: number;
  rps: number;
  responses: number;
  bad: number;
}

async function load(port: number, path: string, connections: number, duration: number, rotate: boolean): Promise<LoadResult> {
  const times: number[] = [];
  let bad = 0;
  const requests = rotate
    ? [1, 2, 3].map((m) => ({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: body(m) }))
    : [{ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: body(1) }];
  const started = process.hrtime.bigint();
  const inst = autocannon({ url: `http://127.0.0.1:${port}`, connections, duration, timeout: 30, requests });
  const seen = new Set<unknown>();
  let firstSlow = 0;
  inst.on('response', (client, status, _b, t) => {
    // The first response of each connection also waits for the connection itself; keep it out of the percentiles.
    if (!seen.has(client)) {
      seen.add(client);
      firstSlow = Math.max(firstSlow, t);
      return;
    }
    times.push(t);
    if (status !== 200) bad++;
  });
  const r = await inst;
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  times.sort((a, b) => a - b);
  return { p50: pct(times, 50), p95: pct(times, 95), p99: pct(times, 99), max: times[times.length - 1], firstMax: firstSlow, rps: (times.length + seen.size) / wall, responses: times.length, bad: bad + r.errors + r.timeouts };
}

async function main(): Promise<void> {
  const duration = Number(opt('--duration', '10'));
  const connections = Number(opt('--connections', '100'));
  const sequential = Number(opt('--sequential', '1000'));
  const reuse = opt('--models', '');
  const dir = mkdtempSync(join(tmpdir(), 'hogi-bench-pred-'));
  const dbPath = join(dir, 'hogi.db');
  const modelsDir = reuse ? resolve(reuse) : join(dir, 'models');
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}`);
  try {
    // 1. History minus its latest round, and models.
    const db = openDb(dbPath);
    const repo = drawsRepo(db);
    const files = ['draws.csv', 'machines.csv'].map((f) => parseImportText(readFileSync(join(SHARED, f), 'utf8'), f));
    applyImport(repo, planImport(repo, combineInputs(files)));
    const all = repo.list();
    const latest = all[all.length - 1];
    db.prepare('DELETE FROM lottery_draws WHERE draw_round = ?').run(latest.round);
    const history = repo.list();
    console.log(`database: ${history.length} draws (rounds ${history[0].round}–${history[history.length - 1].round}); round ${latest.round} held back as the "new data"`);
    if (!reuse) {
      await initTf('wasm');
      const machines = flag('--pooled') ? (['all'] as const) : ([1, 2, 3] as const);
      const t0 = performance.now();
      const results = await trainModels(history, modelStore(modelsDir), { targets: trainTargets([...machines], ['ensemble', 'transformer']), config: 'small', seed: 42 });
      const failed = results.filter((r) => r.error);
      if (failed.length) throw new Error(`training failed: ${failed.map((f) => `${f.key}: ${f.error}`).join('; ')}`);
      console.log(`trained ${results.map((r) => r.key).join(', ')} in ${((performance.now() - t0) / 1000).toFixed(1)} s (not part of the figures below)`);
    } else {
      console.log(`models: ${modelsDir}`);
    }

    // 2. Vector refresh times (worker threads, as served).
    const service = new PredictionService({ db, modelsDir, config: 'small', timeoutMs: 120_000 });
    let t = performance.now();
    const cold = await service.vectors();
    const coldMs = performance.now() - t;
    const status = [...cold.machines.values()].map((m) => `${m.machine}호기 ${m.transformer.model?.key ?? '-'}:${m.transformer.status}/${m.ensemble.model?.key ?? '-'}:${m.ensemble.status}`).join(', ');
    console.log(`vectors, cold (start 2 workers, load models, infer 3 machines × 2 families): ${ms(coldMs)} — ${status}`);
    const refresh: number[] = [];
    const perFamily: Array<Record<string, number | undefined>> = [];
    for (let i = 0; i < 5; i++) {
      repo.upsertMany([latest], new Date().toISOString()); // new data: bumps the data version
      t = performance.now();
      const s = await service.vectors();
      refresh.push(performance.now() - t);
      perFamily.push(s.inferenceMs);
      if (s.targetRound !== latest.round + 1) throw new Error('refresh did not see the new draw');
    }
    console.log(
      `vectors after new data (all three machines, both families, warm workers, training excluded): median ${ms(median(refresh))}, ` +
        `runs ${refresh.map((x) => x.toFixed(0)).join(', ')} ms; inference per family (median) transformer ${ms(median(perFamily.map((p) => p.transformer ?? 0)))}, ` +
        `ensemble ${ms(median(perFamily.map((p) => p.ensemble ?? 0)))}; refreshes ${service.refreshes}`,
    );
    // Differentiation between the machines' sets with these models (the design claims 70%+).
    const diffs: number[] = [];
    for (let seed = 1; seed <= 50; seed++) diffs.push((await service.generate({ machine: 'all', count: 5, seed, source: 'cli' })).metadata.differentiation!.score);
    const one: number[] = [];
    for (let seed = 1; seed <= 50; seed++) one.push((await service.generate({ machine: 'all', count: 1, seed, source: 'cli' })).metadata.differentiation!.score);
    const sorted = [...diffs].sort((a, b) => a - b);
    console.log(
      `differentiation (share of numbers not shared between machines), 5 sets per machine, 50 seeds: median ${(100 * median(diffs)).toFixed(1)}%, ` +
        `min ${(100 * sorted[0]).toFixed(1)}%, max ${(100 * sorted[sorted.length - 1]).toFixed(1)}%; 1 set per machine: median ${(100 * median(one)).toFixed(1)}%`,
    );
    await service.close();
    db.close();

    // 3. Load against the real server and the bare route.
    const server = await spawnServer(dbPath, modelsDir);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 300; i++) await post(server.port, PATH, body((i % 3) + 1), agent); // JIT, statements, sockets
      for (let i = 0; i < 300; i++) await post(server.bare, BARE_PATH, body(1), agent);
      const seq: number[] = [];
      let bad = 0;
      for (let i = 0; i < sequential; i++) {
        const t0 = process.hrtime.bigint();
        if ((await post(server.port, PATH, body((i % 3) + 1), agent)) !== 200) bad++;
        seq.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      seq.sort((a, b) => a - b);
      console.log(`sequential, 1 keep-alive connection, ${sequential} requests (5 sets, machines 1–3): p50 ${ms(pct(seq, 50))}, p95 ${ms(pct(seq, 95))}, p99 ${ms(pct(seq, 99))}; non-200 ${bad}`);

      await load(server.port, PATH, connections, 2, true); // warm-up under load
      for (const c of [connections, 10]) {
        const pred = await load(server.port, PATH, c, duration, true);
        const bare = await load(server.bare, BARE_PATH, c, duration, false);
        console.log(
          `autocannon ${c} connections × ${duration} s: predictions p50 ${ms(pred.p50)}, p95 ${ms(pred.p95)}, p99 ${ms(pred.p99)}, max ${ms(pred.max)} ` +
            `(first response per connection, excluded: up to ${ms(pred.firstMax)}), ${pred.rps.toFixed(0)} req/s (${pred.responses} responses, bad ${pred.bad}); ` +
            `bare route p50 ${ms(bare.p50)}, p95 ${ms(bare.p95)}, p99 ${ms(bare.p99)}, ${bare.rps.toFixed(0)} req/s (bad ${bare.bad}); ` +
            `prediction throughput = ${((100 * pred.rps) / bare.rps).toFixed(1)}% of bare`,
        );
        console.log(
          `  goals at ${c} connections: p95 < 10 ms ${pred.p95 < 10 ? 'met' : 'NOT met'}; throughput ≥ 50% of bare ${pred.rps >= bare.rps / 2 ? 'met' : 'NOT met'} ` +
            `(${(1000 / pred.rps).toFixed(3)} ms of server time per prediction vs ${(1000 / bare.rps).toFixed(3)} ms per bare request)`,
        );
      }
    } finally {
      agent.destroy();
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args[0] === '--serve') await serve(args[1], args[2]);
else await main();
