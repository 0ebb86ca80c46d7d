// Set generation: PercentileTable build time and tolerance, sets per machine (p50/p95),
// refusal time for impossible requests, and the measured differentiation between machines.
// Usage: npx tsx bench/sets.ts
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/domain/random.js';
import { normalizeToSix } from '../src/combination/normalize.js';
import { differentiation, generateSets, InfeasibleRequestError } from '../src/strategies/sets.js';
import { MACHINE_STRATEGIES, strategyFor } from '../src/strategies/machineStrategies.js';
import { PercentileTable } from '../src/strategies/percentile.js';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const fmt = (xs: number[]) => `p50 ${quantile(xs, 0.5).toFixed(2)} ms, p95 ${quantile(xs, 0.95).toFixed(2)} ms (n=${xs.length})`;
function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

// A realistic model vector: lottery models stay close to chance (±15% log-normal spread).
const r = new Random(1);
const vector = normalizeToSix(Array.from({ length: 45 }, () => Math.exp(0.15 * r.nextNormal())));

// Real frequencies for 1호기 when the shared data is there; otherwise synthetic counts.
let frequencies: number[] = Array.from({ length: 45 }, () => r.nextInt(12));
try {
  const here = dirname(fileURLToPath(import.meta.url));
  const lines = readFileSync(resolve(here, '../../shared/data/draws.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  const last = lines.slice(-50).map((l) => l.split(',').slice(2, 8).map(Number));
  frequencies = new Array(45).fill(0);
  for (const d of last) for (const n of d) if (n >= 1 && n <= 45) frequencies[n - 1]++;
} catch {
  /* synthetic counts */
}

for (let i = 0; i < 5; i++) PercentileTable.fromProbabilities(vector); // warm-up
for (const resolution of [1024, 4096, 16384]) {
  const builds: number[] = [];
  let table = PercentileTable.fromProbabilities(vector, { resolution });
  for (let i = 0; i < 30; i++) builds.push(time(() => (table = PercentileTable.fromProbabilities(vector, { resolution }))));
  const widths: number[] = [];
  for (let i = 0; i < 200; i++) {
    const set = Array.from(r.sampleIndices(45, 6), (k) => k + 1);
    const b = table.bounds(set);
    widths.push(b.high - b.low);
  }
  console.log(
    `PercentileTable resolution ${resolution}: build ${fmt(builds)}; tolerance (bounds width) median ${(100 * quantile(widths, 0.5)).toFixed(3)} pp, max ${(100 * Math.max(...widths)).toFixed(3)} pp`,
  );
}

const table = PercentileTable.fromProbabilities(vector);
for (const strategy of MACHINE_STRATEGIES) {
  for (const count of [5, 20]) {
    const run = (seed: number, cached: boolean) =>
      generateSets({ probabilities: vector, strategy, context: { frequencies }, count, seed, percentileTable: cached ? table : undefined });
    for (let s = 0; s < 20; s++) run(s, true); // warm-up
    const cached: number[] = [];
    const uncached: number[] = [];
    let nodes = 0;
    for (let s = 0; s < 200; s++) cached.push(time(() => (nodes += run(1000 + s, true).searchNodes)));
    for (let s = 0; s < 30; s++) uncached.push(time(() => run(5000 + s, false)));
    console.log(
      `${strategy.id} (${strategy.machine}호기) ${count} sets: cached table ${fmt(cached)}; building the table too ${fmt(uncached)}; mean search nodes ${(nodes / 200).toFixed(0)}`,
    );
  }
}

const impossible: Array<[string, () => void]> = [
  ['3호기 include 5 even', () => generateSets({ probabilities: vector, strategy: strategyFor(3), count: 5, seed: 1, include: [2, 4, 6, 8, 10], maxShared: 5, percentileTable: table })],
  ['3호기 exclude all odd', () => generateSets({ probabilities: vector, strategy: strategyFor(3), count: 5, seed: 1, exclude: Array.from({ length: 23 }, (_, i) => 2 * i + 1), percentileTable: table })],
  ['3호기 include 1,2,3', () => generateSets({ probabilities: vector, strategy: strategyFor(3), count: 5, seed: 1, include: [1, 2, 3], percentileTable: table })],
  ['2호기 include 1,2,3', () => generateSets({ probabilities: vector, strategy: strategyFor(2), count: 5, seed: 1, include: [1, 2, 3], percentileTable: table })],
  ['1호기 include 1..5 (count 1)', () => generateSets({ probabilities: vector, strategy: strategyFor(1), context: { frequencies }, count: 1, seed: 1, include: [1, 2, 3, 4, 5], percentileTable: table })],
];
for (const [name, fn] of impossible) {
  const ts: number[] = [];
  for (let i = 0; i < 20; i++) {
    ts.push(
      time(() => {
        try {
          fn();
        } catch (e) {
          if (!(e instanceof InfeasibleRequestError)) throw e;
        }
      }),
    );
  }
  console.log(`refusal, ${name}: ${fmt(ts)}`);
}

// Differentiation between machines, 5 sets each, over 50 seeds (same model vector for all three).
const scores: number[] = [];
for (let seed = 0; seed < 50; seed++) {
  const by: Record<string, number[][]> = {};
  for (const s of MACHINE_STRATEGIES) {
    by[String(s.machine)] = generateSets({ probabilities: vector, strategy: s, context: { frequencies }, count: 5, seed, percentileTable: table }).sets.map((x) => x.numbers);
  }
  scores.push(differentiation(by).score);
}
console.log(
  `differentiation (share of numbers used by only one machine), 5 sets per machine, 50 seeds: median ${(100 * quantile(scores, 0.5)).toFixed(1)}%, min ${(100 * Math.min(...scores)).toFixed(1)}%, max ${(100 * Math.max(...scores)).toFixed(1)}%`,
);
const one: number[] = [];
for (let seed = 0; seed < 50; seed++) {
  const by: Record<string, number[][]> = {};
  for (const s of MACHINE_STRATEGIES) {
    by[String(s.machine)] = generateSets({ probabilities: vector, strategy: s, context: { frequencies }, count: 1, seed, percentileTable: table }).sets.map((x) => x.numbers);
  }
  one.push(differentiation(by).score);
}
console.log(`differentiation with 1 set per machine, 50 seeds: median ${(100 * quantile(one, 0.5)).toFixed(1)}%`);
