// Walk-forward backtest cost: retrain-block training (worker threads), the per-round scoring pass
// and the summary, on the last N labelled draws of the shared history with the small models.
// Usage: npx tsx bench/backtest.ts [--rounds 20] [--retrain-every 10] [--workers 2] [--sets 5]
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { backtestsRepo } from '../src/data/backtestsRepo.js';
import { openDb } from '../src/data/db.js';
import { runBacktest } from '../src/service/backtest/engine.js';
import { computeSummary } from '../src/service/backtest/summary.js';
import { BACKTEST_METHODS } from '../src/service/backtest/types.js';
import { loadHistoryDraws } from '../test/helpers/history.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const rounds = arg('rounds', 20);
const retrainEvery = arg('retrain-every', 10);
const workers = arg('workers', 2);
const sets = arg('sets', 5);

const draws = loadHistoryDraws();
const labelled = draws.filter((d) => d.machine !== null);
const to = labelled[labelled.length - 1].round;
const from = labelled[labelled.length - rounds].round;
const db = openDb(':memory:');

const blockMs: number[] = [];
let firstRoundAt = 0;
let lastRoundAt = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await runBacktest({
  db,
  draws,
  params: { from, to, machine: 'all', retrainEvery, methods: [...BACKTEST_METHODS], sets, seed: 42, config: 'small', window: 50 },
  workers,
  onEvent: (e) => {
    if (e.type === 'block') blockMs.push(e.ms);
    if (e.type === 'round') {
      if (firstRoundAt === 0) firstRoundAt = performance.now();
      lastRoundAt = performance.now();
    }
  },
});
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);

const rows = backtestsRepo(db).results(result.id);
const s0 = performance.now();
computeSummary(rows, new Map(draws.map((d) => [d.round, d])), { seed: 42, sets });
const summaryMs = performance.now() - s0;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
console.log(`rounds ${from}–${to}: ${result.roundsTotal} labelled draws, ${blockMs.length} retrain blocks, ${workers} worker(s), ${sets} sets, ${BACKTEST_METHODS.length} methods, small config`);
console.log(`machine: ${cpus().length} cores, load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`wall ${(wall / 1000).toFixed(1)} s (${((wall / result.roundsTotal) / 1000).toFixed(2)} s per draw); process CPU, all threads ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
console.log(`block training (in a worker, 3 machines × 2 families): mean ${(mean(blockMs) / 1000).toFixed(1)} s, max ${(Math.max(...blockMs) / 1000).toFixed(1)} s`);
console.log(`scoring pass (first to last stored round, includes waiting for blocks): ${((lastRoundAt - firstRoundAt) / 1000).toFixed(1)} s`);
console.log(`summary from ${rows.length} stored rows: ${summaryMs.toFixed(0)} ms`);
console.log(`peak RSS (process, workers included): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
