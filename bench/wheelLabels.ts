// The least-shared labelling of wheels (issue 16): for representative cells and pools, the mean
// predicted co-winner ratio of the wheel's tickets per tier 1–3 before (ascending labelling) and
// after, and the time the labelling takes (seeded search + re-verification), with the popularity
// model fitted on the shipped history's prize rounds (the same model POST /api/wheels uses).
// Usage: npx tsx bench/wheelLabels.ts
import { openDb } from '../src/data/db.js';
import { drawsRepo } from '../src/data/drawsRepo.js';
import { loadSnapshot } from '../src/data/snapshot.js';
import { makeWheel, parseGuaranteeName, type Guarantee } from '../src/domain/wheels/index.js';
import { PopularityService, storedPrizeSource } from '../src/service/popularity/service.js';
import { leastSharedWheel } from '../src/service/wheels.js';

const db = openDb(':memory:');
drawsRepo(db).upsertMany(loadSnapshot().draws, new Date(0).toISOString());
const popularity = new PopularityService(storedPrizeSource(drawsRepo(db)));
let t0 = performance.now();
popularity.nextRoundScorer();
console.log(`popularity model fitted on the shipped prize rounds in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

const pools: Record<string, (T: number) => number[]> = {
  'low (1..T)': (T) => Array.from({ length: T }, (_, i) => i + 1),
  spread: (T) => Array.from({ length: T }, (_, i) => 1 + Math.floor((i * 44) / (T - 1))),
  'high (46-T..45)': (T) => Array.from({ length: T }, (_, i) => 46 - T + i),
};
const cells: Array<[number, string]> = [
  [12, '4if6'],
  [12, '3if6'],
  [16, '4if6'],
  [16, '3if3'],
  [20, '3if6'],
  [20, '4if6'],
  [20, '4if4'],
  [20, '5if6'],
];
const f = (x: number) => x.toFixed(3);
console.log('\nMean predicted co-winner ratio over the tickets, tiers 1 / 2 / 3 (1 = an average combination): ascending → least shared');
console.log(['cell', 'tickets', 'pool', 'before t1/t2/t3', 'after t1/t2/t3', 'mean 1–3', 'ms', 'converged'].join(' | '));
for (const [T, name] of cells) {
  const g = parseGuaranteeName(name) as Guarantee;
  for (const [label, poolOf] of Object.entries(pools)) {
    const w = makeWheel({ pool: poolOf(T), guarantee: g });
    // Warm once per cell shape, then time one labelling (search + re-verification).
    t0 = performance.now();
    const r = leastSharedWheel(w, popularity, 16);
    const took = performance.now() - t0;
    const p = r.popularity;
    if (!p.applied || !p.before || !p.after || !p.search) throw new Error(`not applied: ${p.reason?.en}`);
    if (!r.wheel.proof.held || r.wheel.tickets.length !== w.tickets.length) throw new Error('relabelled wheel changed');
    const b = p.before.mean_ratio;
    const a = p.after.mean_ratio;
    const m = (x: typeof b) => (x['1'] + x['2'] + x['3']) / 3;
    console.log(
      [`${T}:${name}`, w.tickets.length, label, `${f(b['1'])}/${f(b['2'])}/${f(b['3'])}`, `${f(a['1'])}/${f(a['2'])}/${f(a['3'])}`, `${f(m(b))} → ${f(m(a))}`, took.toFixed(0), String(p.search.converged)].join(' | '),
    );
  }
}
