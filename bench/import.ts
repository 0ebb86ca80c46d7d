// Import/export timings on the full shared history (../shared/data), each into a fresh file database.
// Run: npx tsx bench/import.ts [runs=5]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from '../src/data/db.js';
import { drawsRepo, type DrawsRepo } from '../src/data/drawsRepo.js';
import { exportDraws, type ExportFormat } from '../src/data/exportService.js';
import { parseImportText } from '../src/data/formats/detect.js';
import { applyImport, combineInputs, planImport } from '../src/data/importService.js';

const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data');
const DRAWS = join(SHARED, 'draws.csv');
const MACHINES = join(SHARED, 'machines.csv');
const runs = Number(process.argv[2] ?? 5);

const dir = mkdtempSync(join(tmpdir(), 'hogi-bench-import-'));
let n = 0;
const freshRepo = (): { repo: DrawsRepo; close: () => void } => {
  const db = openDb(join(dir, `b${n++}.db`));
  return { repo: drawsRepo(db), close: () => db.close() };
};

function importTexts(repo: DrawsRepo, files: Array<[text: string, source: string]>): number {
  const plan = planImport(repo, combineInputs(files.map(([t, s]) => parseImportText(t, s))));
  return applyImport(repo, plan).added;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} ms, min ${Math.min(...xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} runs)`;

const full: number[] = [];
const roundTrip: Record<Exclude<ExportFormat, 'prizes-csv'>, { export: number[]; reimport: number[] }> = { resjson: { export: [], reimport: [] }, csv: { export: [], reimport: [] } };
try {
  for (let i = 0; i < runs; i++) {
    const a = freshRepo();
    // Read + detect + parse + validate + plan + one-transaction write, as `hogi import` does.
    const t0 = process.hrtime.bigint();
    const added = importTexts(a.repo, [[readFileSync(DRAWS, 'utf8'), DRAWS], [readFileSync(MACHINES, 'utf8'), MACHINES]]);
    full.push(ms(t0));
    if (added !== 1245) throw new Error(`expected 1245 draws, imported ${added}`);
    for (const format of ['resjson', 'csv'] as const) {
      const t1 = process.hrtime.bigint();
      const { text } = exportDraws(a.repo, { format, includeUnlabelled: true });
      roundTrip[format].export.push(ms(t1));
      const b = freshRepo();
      const t2 = process.hrtime.bigint();
      const back = importTexts(b.repo, [[text, `export.${format}`]]);
      roundTrip[format].reimport.push(ms(t2));
      if (back !== 1245) throw new Error(`${format} round trip imported ${back}`);
      b.close();
    }
    a.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`import draws.csv + machines.csv (1245 draws, 979 labels) into a fresh file DB: ${fmt(full)}`);
for (const format of ['resjson', 'csv'] as const) {
  const total = roundTrip[format].export.map((e, i) => e + roundTrip[format].reimport[i]);
  console.log(`${format}: export ${fmt(roundTrip[format].export)}; reimport into a fresh DB ${fmt(roundTrip[format].reimport)}; round trip ${fmt(total)}`);
}
