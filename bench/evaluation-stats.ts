// Cost of the evaluation statistics and of the fairness report on the real history.
// Usage: npx tsx bench/evaluation-stats.ts [--quick]   (--quick: the fairness report for 'all' only)
import { bestOfNChance, bestOfNRandomizationTest, exactMatchesTestForDraws } from '../src/domain/inference/index.js';
import { fairnessReport } from '../src/domain/fairness/index.js';
import { Random } from '../src/domain/random.js';
import { loadHistoryDraws } from '../test/helpers/history.js';

const quick = process.argv.includes('--quick');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time<T>(runs: number, f: () => T): { ms: number; value: T } {
  let value = f(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = f();
    ms.push(performance.now() - t);
  }
  return { ms: median(ms), value };
}

const rnd = new Random(1);
const ticket = () => [...rnd.sampleIndices(45, 6)].map((x) => x + 1);
const perDraw = Array.from({ length: 300 }, () => Array.from({ length: 10 }, ticket));
const drawn = Array.from({ length: 300 }, ticket);

const exact = time(5, () => exactMatchesTestForDraws(perDraw, drawn));
console.log(`exactMatchesTest, 300 draws × 10 overlapping sets: ${exact.ms.toFixed(1)} ms (median of 5), p = ${exact.value.pValue.toFixed(4)}`);

for (const n of [5, 10]) {
  const sets = Array.from({ length: 40 }, () => Array.from({ length: n }, ticket));
  const r = time(3, () => sets.map((s) => bestOfNChance(s)));
  console.log(`bestOfNChance exact, ${n} random sets: ${(r.ms / sets.length).toFixed(2)} ms per call (median of 3 × 40 calls)`);
}
const disjoint = [0, 1, 2, 3, 4].map((t) => [1, 2, 3, 4, 5, 6].map((x) => x + 6 * t));
console.log(`bestOfNChance exact, 5 disjoint sets: ${time(5, () => bestOfNChance(disjoint)).ms.toFixed(2)} ms`);

const rand = time(3, () => bestOfNRandomizationTest(perDraw, drawn, { random: new Random(2), resamples: 1000 }));
console.log(`bestOfNRandomizationTest, 300 draws × 10 sets, 1000 resamples: ${rand.ms.toFixed(0)} ms`);

const draws = loadHistoryDraws();
const scopes = quick ? (['all'] as const) : (['all', 1, 2, 3] as const);
const t = performance.now();
const report = fairnessReport(draws, { machines: [...scopes], from: 262, to: 1240, seed: 2002 });
const secs = (performance.now() - t) / 1000;
console.log(`fairnessReport rounds 262–1240, scopes ${scopes.join(', ')}, defaults (2000 permutations, 1000 null, 200 power sims/point): ${secs.toFixed(1)} s`);
for (const s of report.scopes) console.log(`  ${s.machine}: ${s.draws} draws, min Holm p ${s.minAdjustedP?.toFixed(3)}`);
