// Fit/predict speed and peak memory of the tree models on the ensemble's workload shape:
// 56,000 rows (≈1,245 draws × 45 numbers) × 30 features, a 0/1 target with a ~13% base rate.
// Usage: npx tsx bench/trees.ts [--rows N] [--cols N] [--trees N] [--data-dir DIR] [--sklearn]
// Writes X/y as raw little-endian float32 to DIR (default: the OS temp dir) so that
// bench/reference/sklearn_trees.py can time scikit-learn on exactly the same data; with
// --sklearn it runs that script (/usr/bin/python3, or $PYTHON) and prints ours/theirs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Random } from '../src/domain/random.js';
import { GradientBoostingRegressor, RandomForestRegressor } from '../src/models/tree/index.js';
import { makeMatrix, type Matrix } from '../src/models/types.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const rows = Number(arg('rows', '56000'));
const cols = Number(arg('cols', '30'));
const nTrees = Number(arg('trees', '100'));
const dataDir = arg('data-dir', join(tmpdir(), 'hogi-bench-trees'));

/** Mixed features like the ensemble's: counts, gaps, ratios, continuous scores, a few binary flags. */
function synthetic(n: number, d: number, seed: number): { X: Matrix; y: Float32Array } {
  const rng = new Random(seed);
  const X = makeMatrix(n, d);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    for (let f = 0; f < d; f++) {
      let v: number;
      switch (f % 5) {
        case 0: v = rng.nextInt(20); break; // small counts
        case 1: v = Math.min(60, Math.floor(-Math.log(1 - rng.nextFloat()) * 7)); break; // gaps
        case 2: v = rng.nextFloat(); break; // ratios
        case 3: v = rng.nextNormal(); break; // standardised scores
        default: v = rng.nextFloat() < 0.3 ? 1 : 0; // flags
      }
      X.data[r * d + f] = v;
    }
    const x = (f: number) => X.data[r * d + f];
    const z = -2.1 + 0.08 * (x(0) - 10) - 0.03 * x(1) + 0.6 * x(3) + 0.5 * x(4) * x(2) + 0.4 * Math.sin(3 * x(8));
    y[r] = rng.nextFloat() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X, y };
}

let peakSampled = 0;
const sample = () => {
  peakSampled = Math.max(peakSampled, process.memoryUsage().rss);
};
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

const ours: Record<string, number> = {};
/** Runs fn `repeat` times and reports the median (robust to other load on a shared machine). */
function time<T>(label: string, fn: () => T, repeat = 1, key?: string): T {
  let out: T | undefined;
  const runs: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    out = fn();
    runs.push(performance.now() - t0);
  }
  runs.sort((a, b) => a - b);
  const ms = runs[Math.floor(runs.length / 2)];
  sample();
  if (key) ours[key] = ms;
  const fmt = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0));
  console.log(`${label.padEnd(44)} ${fmt(ms)} ms${repeat > 1 ? ` (median of ${repeat}, min ${fmt(runs[0])})` : ''}`);
  return out as T;
}

const { X, y } = synthetic(rows, cols, 42);
mkdirSync(dataDir, { recursive: true });
writeFileSync(join(dataDir, 'X.f32'), Buffer.from(X.data.buffer));
writeFileSync(join(dataDir, 'y.f32'), Buffer.from(y.buffer));
writeFileSync(join(dataDir, 'shape.json'), JSON.stringify({ rows, cols }));
sample();
console.log(`data: ${rows} × ${cols}, mean y = ${(y.reduce((a, b) => a + b, 0) / rows).toFixed(3)}, written to ${dataDir}`);

const rf = time(
  `RandomForest fit (${nTrees} trees, depth 10)`,
  () => new RandomForestRegressor({ nEstimators: nTrees, maxDepth: 10, seed: 42 }).fit(X, y),
  1,
  'rfFit',
);
const gb = time(
  `GradientBoosting fit (${nTrees}, lr 0.1, depth 6)`,
  () => new GradientBoostingRegressor({ nEstimators: nTrees, learningRate: 0.1, maxDepth: 6 }).fit(X, y),
  1,
  'gbFit',
);
const slice = (n: number) => makeMatrix(n, cols, X.data.slice(0, n * cols));
const X45 = slice(45);
const X4500 = slice(4500);
time('RandomForest predict 45 rows', () => rf.predict(X45), 51, 'rfPredict45');
time('RandomForest predict 4,500 rows', () => rf.predict(X4500), 11, 'rfPredict4500');
time('GradientBoosting predict 45 rows', () => gb.predict(X45), 51, 'gbPredict45');
time('GradientBoosting predict 4,500 rows', () => gb.predict(X4500), 11, 'gbPredict4500');

const nodes = rf.estimators.reduce((a, t) => a + t.nodeCount, 0);
const rfJson = JSON.stringify(rf.toJSON());
const gbJson = JSON.stringify(gb.toJSON());
console.log(`RF: ${nodes} nodes, saved JSON ${(rfJson.length / 1e6).toFixed(2)} MB; GB saved JSON ${(gbJson.length / 1e6).toFixed(2)} MB`);
const pred = rf.predict(X);
let mse = 0;
for (let i = 0; i < rows; i++) mse += (pred[i] - y[i]) ** 2;
console.log(`RF train MSE ${(mse / rows).toFixed(5)}; GB final train MSE ${gb.trainLoss[nTrees - 1].toFixed(5)}`);
sample();
console.log(`peak RSS: ${mb(process.resourceUsage().maxRSS * 1024)} (sampled between steps: ${mb(peakSampled)})`);

if (process.argv.includes('--sklearn')) {
  const python = process.env.PYTHON ?? '/usr/bin/python3';
  const resultFile = join(dataDir, 'sklearn_results.json');
  rmSync(resultFile, { force: true });
  console.log(`\n--- scikit-learn reference (${python}, n_jobs=1, same data)`);
  const r = spawnSync(python, ['bench/reference/sklearn_trees.py', dataDir], { stdio: 'inherit', env: { ...process.env, TREES: String(nTrees) } });
  if (r.status !== 0 || !existsSync(resultFile)) {
    console.log(`scikit-learn reference did not run (exit ${r.status ?? r.error?.message}); try: apt-get install -y python3-sklearn`);
  } else {
    const theirs = JSON.parse(readFileSync(resultFile, 'utf8')) as Record<string, number>;
    console.log('\n--- ours / scikit-learn (below 1 = ours faster)');
    for (const key of Object.keys(ours)) {
      if (typeof theirs[key] === 'number') console.log(`${key.padEnd(16)} ${(ours[key] / theirs[key]).toFixed(3)}  (${ours[key].toFixed(1)} ms vs ${theirs[key].toFixed(1)} ms)`);
    }
  }
}
