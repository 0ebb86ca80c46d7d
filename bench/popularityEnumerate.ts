/**
 * Enumerate + filter + score all 8,145,060 combinations on one core (goal ≤ 0.25 s), tiers 1–3 of
 * the popularity model fitted on ../shared/data, keeping the 10 least shared.
 *   npx tsx bench/popularityEnumerate.ts
 */
import { PopularityModel } from '../src/models/popularity/model.js';
import { enumerateLeastShared } from '../src/models/popularity/enumerate.js';
import { loadSharedPrizeRounds } from './popularity.js';

const rounds = loadSharedPrizeRounds();
const model = new PopularityModel().fit(rounds);
const s = model.scorer(rounds);
const tiers = [0, 1, 2];
const score = { unary: tiers.map((t) => s.unary[t]), pair: tiers.map((t) => s.pair[t]), spread: tiers.map((t) => s.spread[t]), logZ: tiers.map((t) => s.logZ[t]) };
const cases = [
  { name: 'no filter', filter: {} },
  { name: 'sum 100-175, 2-4 odd, exclude 1..9', filter: { sumMin: 100, sumMax: 175, oddCounts: [2, 3, 4], excluded: [1, 2, 3, 4, 5, 6, 7, 8, 9] } },
  { name: 'fixed 7 and 33', filter: { fixed: [7, 33] } },
  { name: 'no 3-runs (least-shared search)', filter: { noTripleRuns: true } },
];
enumerateLeastShared(score, {}, 10); // warm-up (JIT)
// Reference on the same core and moment: a bare six-deep loop over all combinations adding one number each.
function bareLoop(): number {
  const a = new Float64Array(46);
  let s = 0;
  const t0 = performance.now();
  for (let i = 1; i <= 40; i++) for (let j = i + 1; j <= 41; j++) for (let k = j + 1; k <= 42; k++) for (let l = k + 1; l <= 43; l++) for (let m = l + 1; m <= 44; m++) for (let o = m + 1; o <= 45; o++) s += a[o];
  return (performance.now() - t0 + s) / 1000;
}
bareLoop();
const bare = [bareLoop(), bareLoop(), bareLoop()].sort((x, y) => x - y);
console.log(`bare 8,145,060-iteration loop on this core now: min ${bare[0].toFixed(3)} s (the machine's load scales both)`);
for (const c of cases) {
  const times: number[] = [];
  let res = enumerateLeastShared(score, c.filter, 10);
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    res = enumerateLeastShared(score, c.filter, 10);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const best = res.least[0];
  console.log(
    `enumerate+filter+score (${c.name}): ${res.passing.toLocaleString('en')} pass, median ${(times[2] / 1000).toFixed(3)} s, min ${(times[0] / 1000).toFixed(3)} s; least shared ${best?.numbers.join(',')} max ratio t1-3 ${best ? Math.exp(best.logRatio).toFixed(3) : '-'}`,
  );
}
