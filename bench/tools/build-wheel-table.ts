// Builds the table of wheels that ships in src/domain/wheels/table.data.ts: for every pool size
// T = 7..20 and every guarantee, the smallest wheel the seeded search finds over a few seeds
// (more seeds and moves where the peer publishes sizes), then the exact search tries one ticket
// fewer on small cells and either finds it or proves the found size minimal. Every wheel is
// verified before it is written. Offline: run it when the search improves, then commit the table.
// Usage: npx tsx bench/tools/build-wheel-table.ts [T...] [--fixup-only] [--continue --total=N]   (default all T; prints each cell)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GUARANTEE_NAMES, implies, parseGuaranteeName } from '../../src/domain/wheels/guarantee.js';
import { defaultTemperature, exactWheel, searchWheel } from '../../src/domain/wheels/search.js';
import { verifyWheel } from '../../src/domain/wheels/verify.js';
import { PEER_SIZES } from '../../src/domain/wheels/peer.js';

interface Cell {
  tickets: number[];
  seed: number;
  /** The search options that found it (besides the seed); absent for the exact search. */
  search?: { movesPerLevel: number; temperature?: number; randomMoves?: number; continuedFrom?: number };
  proven: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));
// --out=FILE writes (and resumes from) another file; --merge=FILE takes that file's wheels where smaller.
const flagOf = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const out = flagOf('out') ?? resolve(here, '../../src/domain/wheels/table.data.ts');
const mergeFrom = flagOf('merge');
// --fixup-only: no search, only the implication pass and a rewrite of the table file.
// --only=3if6,4if6: these guarantees only. --seeds=N: seeds per cell (default 6 on peer cells, 3 elsewhere).
const fixupOnly = process.argv.includes('--fixup-only');
// --seeds=A-B or --seeds=N (1..N); --moves=N moves a level; --settings=aimed|mixed|both;
// --temperature=X overrides the mixed setting's temperature.
const onlyGuarantees = flagOf('only')?.split(',');
const seedsFlag = flagOf('seeds')?.split('-').map(Number);
const movesFlag = flagOf('moves') !== undefined ? Number(flagOf('moves')) : undefined;
const settingsFlag = flagOf('settings') ?? 'both';
const temperatureFlag = flagOf('temperature') !== undefined ? Number(flagOf('temperature')) : undefined;
// --continue: each search starts from the best wheel so far for the cell (the shipped table's when
// --out is a new file) instead of its greedy wheel, and anneals below it; --total=N caps its moves.
const continueFlag = process.argv.includes('--continue');
const totalFlag = flagOf('total') !== undefined ? Number(flagOf('total')) : undefined;
const only = process.argv.slice(2).filter((a) => !a.startsWith('--')).map(Number);
const sizes = only.length > 0 ? only : Array.from({ length: 14 }, (_, i) => i + 7);

function readTable(path: string): Record<string, Cell> {
  try {
    const text = readFileSync(path, 'utf8');
    const json = text.slice(text.indexOf('/*JSON*/') + 8, text.lastIndexOf('/*END*/'));
    const parsed = JSON.parse(json) as unknown;
    return (typeof parsed === 'string' ? JSON.parse(parsed) : parsed) as Record<string, Cell>;
  } catch {
    return {}; // first run
  }
}

// Keep what an earlier run found when this run does no better.
const previous = readTable(out);
const shipped = readTable(resolve(here, '../../src/domain/wheels/table.data.ts'));
const table: Record<string, Cell> = { ...previous };
if (mergeFrom) {
  for (const [key, cell] of Object.entries(readTable(mergeFrom))) {
    const [T, name] = key.split(':');
    const g = parseGuaranteeName(name);
    if (!g || !verifyWheel(Number(T), cell.tickets, g).held) throw new Error(`${mergeFrom}: ${key} does not hold`);
    if (!table[key] || cell.tickets.length < table[key].tickets.length) {
      process.stdout.write(`${key}: ${cell.tickets.length} from ${mergeFrom} (was ${table[key]?.tickets.length ?? 'none'})\n`);
      table[key] = cell;
    }
  }
}
for (const T of sizes) {
  for (const name of fixupOnly ? [] : GUARANTEE_NAMES.filter((n) => !onlyGuarantees || onlyGuarantees.includes(n))) {
    const g = parseGuaranteeName(name);
    if (!g) throw new Error(name);
    const key = `${T}:${name}`;
    const peer = PEER_SIZES[name]?.[T];
    const [seedFrom, seedTo] = seedsFlag === undefined ? [1, peer !== undefined ? 6 : 3] : seedsFlag.length === 1 ? [1, seedsFlag[0]] : [seedsFlag[0], seedsFlag[1]];
    if (previous[key]?.proven) continue; // already shown minimal
    const t0 = performance.now();
    let best: Cell | null = previous[key] ?? null;
    const pr = { size: T, match: g.match, if: g.if, fixedMask: 0 };
    const movesPerLevel = movesFlag ?? (peer !== undefined ? 300_000 : 120_000);
    // Two settings per seed: moves aimed at uncovered p-subsets at the default temperature, and
    // half random moves at twice the temperature (which finds the 3if6 wheels on 17–18 numbers).
    const variants: Array<Cell['search'] & object> = [];
    if (settingsFlag !== 'mixed') variants.push({ movesPerLevel });
    if (settingsFlag !== 'aimed') variants.push({ movesPerLevel, randomMoves: 0.5, temperature: temperatureFlag ?? 2 * defaultTemperature(pr) });
    for (let seed = seedFrom; seed <= seedTo; seed++) {
      for (const variant of variants) {
        const from: Cell | null = continueFlag ? (best ?? shipped[key] ?? null) : null;
        const r = searchWheel(pr, { seed, totalMoves: totalFlag ?? 40_000_000, ...variant, ...(from ? { start: from.tickets } : {}) });
        if (best === null || r.tickets.length < best.tickets.length) best = { tickets: r.tickets, seed, search: { ...variant, ...(from ? { continuedFrom: from.tickets.length } : {}) }, proven: false };
      }
    }
    if (best === null) throw new Error(key);
    // Exact search on cells small enough: one fewer, until it fails or proves none exists.
    while (!best.proven && best.tickets.length <= 12 && T <= 14) {
      const e = exactWheel({ size: T, match: g.match, if: g.if, fixedMask: 0 }, best.tickets.length - 1, 300_000);
      if (e.kind === 'found') best = { tickets: e.tickets, seed: 0, proven: false };
      else {
        if (e.kind === 'none') best = { ...best, proven: true };
        break;
      }
    }
    const proof = verifyWheel(T, best.tickets, g);
    if (!proof.held) throw new Error(`${key}: the search returned a wheel that fails (${proof.failures} p-subsets uncovered)`);
    table[key] = best;
    const ms = performance.now() - t0;
    process.stdout.write(`${key.padEnd(8)} ${String(best.tickets.length).padStart(5)} tickets${best.proven ? ' (minimal)' : ''}${peer !== undefined ? `  peer ${peer}` : ''}  ${(ms / 1000).toFixed(1)} s\n`);
    write();
  }
  // A wheel for a stronger guarantee is a wheel for every guarantee it implies: use it where smaller.
  for (const nb of GUARANTEE_NAMES) {
    for (const na of GUARANTEE_NAMES) {
      const a = table[`${T}:${na}`];
      const b = table[`${T}:${nb}`];
      const ga = parseGuaranteeName(na);
      const gb = parseGuaranteeName(nb);
      if (!a || !b || !ga || !gb || na === nb || !implies(ga, gb) || a.tickets.length >= b.tickets.length) continue;
      if (!verifyWheel(T, a.tickets, gb).held) throw new Error(`${T}: ${na} should imply ${nb}`);
      process.stdout.write(`${T}:${nb} takes the ${na} wheel (${a.tickets.length} < ${b.tickets.length})\n`);
      table[`${T}:${nb}`] = { tickets: a.tickets, seed: a.seed, proven: false };
    }
  }
  write();
}

function write(): void {
  const ordered = Object.fromEntries(Object.entries(table).sort(([a], [b]) => Number(a.split(':')[0]) - Number(b.split(':')[0]) || GUARANTEE_NAMES.indexOf(a.split(':')[1] as never) - GUARANTEE_NAMES.indexOf(b.split(':')[1] as never)));
  writeFileSync(
    out,
    '// Generated by bench/tools/build-wheel-table.ts; do not edit by hand. Key "T:guarantee"; tickets are\n' +
      '// masks over pool indices 0..T-1 (bit i = the i-th smallest pool number). seed and search: the\n' +
      '// search that found it (seed 0: the exact search); proven: the exact search showed no smaller wheel exists.\n' +
      '// Every wheel is verified again when it is used (src/domain/wheels/index.ts).\n' +
      `export const WHEEL_TABLE_JSON: string = /*JSON*/${JSON.stringify(JSON.stringify(ordered))}/*END*/;\n`,
  );
}
