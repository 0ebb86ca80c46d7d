// Tickets: (1) checking 100,000 stored games when their round's draw arrives (the draw write and
// the check are one transaction); (2) "has this combination ever won?" against ~1,240 draws.
// Synthetic, seeded history (no ../shared needed), on a temp file database in WAL mode.
// Run: npx tsx bench/tickets.ts [games=100000] [lookups=10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDb } from '../src/data/db.js';
import { drawsRepo } from '../src/data/drawsRepo.js';
import type { Draw } from '../src/domain/draw.js';
import { createRandom } from '../src/domain/random.js';
import { SLOTS } from '../src/domain/tickets/qr.js';
import { CombinationHistoryService } from '../src/service/tickets/combinationHistory.js';
import { ticketsService } from '../src/service/tickets/service.js';

const GAMES = Number(process.argv[2] ?? 100_000);
const LOOKUPS = Number(process.argv[3] ?? 10_000);
const ROUNDS = 1240;
const rnd = createRandom(20261206);

function six(): number[] {
  const s = new Set<number>();
  while (s.size < 6) s.add(1 + Math.floor(rnd.nextFloat() * 45));
  return [...s].sort((a, b) => a - b);
}
function draw(round: number): Draw {
  const numbers = six();
  let bonus = 1 + Math.floor(rnd.nextFloat() * 45);
  while (numbers.includes(bonus)) bonus = 1 + Math.floor(rnd.nextFloat() * 45);
  return { round, date: '2026-01-03', numbers, bonus, machine: null, firstPrizeEach: 2_000_000_000, firstPrizeWinners: 10, totalSales: 100_000_000_000 };
}
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const dir = mkdtempSync(join(tmpdir(), 'hogi-bench-tickets-'));
try {
  const db = openDb(join(dir, 'hogi.db'));
  const repo = drawsRepo(db);
  const svc = ticketsService({ db });
  repo.upsertMany(Array.from({ length: ROUNDS }, (_, i) => draw(i + 1)), new Date().toISOString());
  const target = ROUNDS + 1;

  let t0 = performance.now();
  db.transaction(() => {
    for (let g = 0; g < GAMES; g += SLOTS.length) {
      const n = Math.min(SLOTS.length, GAMES - g);
      svc.add({ round: target, games: Array.from({ length: n }, six) });
    }
  })();
  const insertMs = performance.now() - t0;

  t0 = performance.now();
  repo.upsertMany([draw(target)], new Date().toISOString());
  const arriveMs = performance.now() - t0;
  const checked = svc.list({ round: target, status: 'checked', pageSize: 1 }).total;
  const s = svc.summary();

  t0 = performance.now();
  const again = svc.checkRounds([target]);
  const recheckMs = performance.now() - t0;

  console.log(`check on arrival: ${GAMES.toLocaleString('en-US')} games (${checked.toLocaleString('en-US')} tickets) checked inside the draw's write in ${arriveMs.toFixed(0)} ms; re-check alone ${recheckMs.toFixed(0)} ms (${again} games); storing them took ${insertMs.toFixed(0)} ms`);
  console.log(`  tiers won: ${s.tiers.map((t) => `${t.rank}:${t.won} (chance ${t.expected.toFixed(2)})`).join(', ')}`);

  const history = new CombinationHistoryService(svc.prizeSource);
  t0 = performance.now();
  history.lookup(six());
  const coldMs = performance.now() - t0;
  const times: number[] = [];
  let wins = 0;
  for (let i = 0; i < LOOKUPS; i++) {
    const combo = six();
    const a = performance.now();
    wins += history.lookup(combo).wins.length;
    times.push(performance.now() - a);
  }
  times.sort((a, b) => a - b);
  const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
  console.log(`combination history over ${ROUNDS + 1} draws: first lookup (builds the bitmask index) ${coldMs.toFixed(2)} ms; then ${LOOKUPS.toLocaleString('en-US')} lookups p50 ${us(pct(times, 50))}, p95 ${us(pct(times, 95))}, p99 ${us(pct(times, 99))}, max ${us(times[times.length - 1])} (${(wins / LOOKUPS).toFixed(1)} winning rounds each on average)`);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
