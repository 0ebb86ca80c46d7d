// Wheels: how long verifying each shipped wheel takes (target ≤ 50 ms for any T ≤ 20), how long
// building each table cell from scratch takes with the request-path search (and the size it
// reaches against the shipped table), and whole requests with fixed numbers on 20 numbers.
// Usage: npx tsx bench/wheels.ts [--no-build]
import { GUARANTEE_NAMES, makeWheel, parseGuaranteeName, RUNTIME_MAX_WORK, RUNTIME_MOVES_PER_LEVEL, RUNTIME_TOTAL_MOVES, tableSize, verifyWheel, type Guarantee } from '../src/domain/wheels/index.js';
import { searchWheel } from '../src/domain/wheels/search.js';
import { WHEEL_TABLE_JSON } from '../src/domain/wheels/table.data.js';

const table = JSON.parse(WHEEL_TABLE_JSON) as Record<string, { tickets: number[] }>;
const G = (n: string) => parseGuaranteeName(n) as Guarantee;
const ms = (fn: () => void) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Warm-up so the first cell does not pay for JIT compilation.
for (let i = 0; i < 20; i++) verifyWheel(20, table['20:4if6'].tickets, G('4if6'));

console.log('Verify time per shipped wheel (median of 7 runs, ms); every one must hold.');
console.log(`${'T'.padStart(3)}  ${GUARANTEE_NAMES.map((n) => n.padStart(8)).join(' ')}`);
let worst = 0;
let worstCell = '';
for (let T = 7; T <= 20; T++) {
  const row: string[] = [];
  for (const name of GUARANTEE_NAMES) {
    const cell = table[`${T}:${name}`];
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      let held = false;
      times.push(ms(() => (held = verifyWheel(T, cell.tickets, G(name)).held)));
      if (!held) throw new Error(`${T}:${name} does not hold`);
    }
    const t = median(times);
    if (t > worst) [worst, worstCell] = [t, `${T}:${name}`];
    row.push(t.toFixed(2).padStart(8));
  }
  console.log(`${String(T).padStart(3)}  ${row.join(' ')}`);
}
console.log(`slowest: ${worstCell} ${worst.toFixed(2)} ms (target ≤ 50 ms: ${worst <= 50 ? 'met' : 'MISSED'})`);

if (!process.argv.includes('--no-build')) {
  console.log(`\nBuild time per cell from scratch with the request-path search (seed 16, ${RUNTIME_MOVES_PER_LEVEL} moves a level, ${RUNTIME_TOTAL_MOVES} in all, work ≤ ${RUNTIME_MAX_WORK}): tickets / shipped, seconds`);
  console.log(`${'T'.padStart(3)}  ${GUARANTEE_NAMES.map((n) => n.padStart(14)).join(' ')}`);
  let total = 0;
  for (let T = 7; T <= 20; T++) {
    const row: string[] = [];
    for (const name of GUARANTEE_NAMES) {
      const g = G(name);
      let size = 0;
      const t = ms(() => (size = searchWheel({ size: T, match: g.match, if: g.if, fixedMask: 0 }, { seed: 16, movesPerLevel: RUNTIME_MOVES_PER_LEVEL, totalMoves: RUNTIME_TOTAL_MOVES, maxWork: RUNTIME_MAX_WORK }).tickets.length));
      total += t;
      row.push(`${size}/${tableSize(T, g)} ${(t / 1000).toFixed(2)}s`.padStart(14));
    }
    console.log(`${String(T).padStart(3)}  ${row.join(' ')}`);
  }
  console.log(`all cells: ${(total / 1000).toFixed(1)} s`);
}

console.log('\nWhole requests with fixed numbers (searched on the request), 20-number pool, fixed [1, 2]:');
const pool = Array.from({ length: 20 }, (_, i) => 2 * i + 3);
for (const name of GUARANTEE_NAMES) {
  let tickets = 0;
  try {
    const t = ms(() => (tickets = makeWheel({ pool, guarantee: G(name), fixed: [pool[0], pool[1]] }).tickets.length));
    console.log(`  ${name}: ${tickets} tickets (${tableSize(20, G(name))} without fixed numbers) in ${(t / 1000).toFixed(2)} s`);
  } catch (e) {
    console.log(`  ${name}: refused: ${(e as Error).message}`);
  }
}
