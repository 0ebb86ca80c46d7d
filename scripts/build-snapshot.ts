// Build (or check) the shipped history snapshot from the shared data folder.
//
//   npx tsx scripts/build-snapshot.ts [--from ../shared/data]          write snapshot/
//   npx tsx scripts/build-snapshot.ts [--from ../shared/data] --check  rebuild in memory and compare
//
// Reads draws.csv, machines.csv and prizes.csv with hogi's own parsers and import rules (every
// value validated, tier 1 of prizes.csv checked against draws.csv), checks each input's SHA-256
// against the table in SOURCES.md, and writes:
//   snapshot/history.json.gz   every draw as a compact row (gzip JSON)
//   snapshot/manifest.json     its SHA-256 and size, what it holds, the inputs' checksums
//   snapshot/SOURCES.md        the provenance document, copied unchanged
// hogi verifies the SHA-256 every time it loads the snapshot (src/data/snapshot.ts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openDb } from '../src/data/db.js';
import { drawsRepo } from '../src/data/drawsRepo.js';
import { parseImportText } from '../src/data/formats/detect.js';
import { applyImport, combineInputs, planImport } from '../src/data/importService.js';
import { formatProblem } from '../src/domain/problems.js';
import {
  SNAPSHOT_COLUMNS, SNAPSHOT_DIR, SNAPSHOT_FORMAT, decodeSnapshot, encodeDraw, readManifest, sha256,
  type SnapshotBody, type SnapshotManifest,
} from '../src/data/snapshot.js';

const args = process.argv.slice(2);
const fromIdx = args.indexOf('--from');
const from = resolve(fromIdx >= 0 ? args[fromIdx + 1] : resolve(SNAPSHOT_DIR, '../../shared/data'));
const check = args.includes('--check');
const FILES = ['draws.csv', 'machines.csv', 'prizes.csv'] as const;

function fail(message: string): never {
  process.stderr.write(`build-snapshot: ${message}\n`);
  process.exit(1);
}

if (!existsSync(from)) fail(`no data folder at ${from} (pass --from DIR)`);
const sourcesMd = readFileSync(resolve(from, 'SOURCES.md'), 'utf8');

// The checksums SOURCES.md lists: | `draws.csv` | 1245 | … | `922141cf…` |
const listed = new Map<string, string>();
for (const m of sourcesMd.matchAll(/\|\s*`([a-z]+\.csv)`\s*\|[^\n]*`([0-9a-f]{64})`\s*\|/g)) listed.set(m[1], m[2]);

const inputs = FILES.map((file) => {
  const text = readFileSync(resolve(from, file), 'utf8');
  const digest = sha256(text);
  const expected = listed.get(file);
  if (expected === undefined) fail(`SOURCES.md lists no SHA-256 for ${file}`);
  if (expected !== digest) fail(`${file} has SHA-256 ${digest}, SOURCES.md lists ${expected}: update SOURCES.md with the data`);
  return { file, text, digest, rows: text.trim().split(/\r?\n/).length - 1 };
});

const db = openDb(':memory:');
const repo = drawsRepo(db);
const parsed = inputs.map((i) => parseImportText(i.text, i.file));
for (const p of parsed) if (p.format === 'unknown') fail(`${p.source}: ${p.problems.map(formatProblem).join('; ')}`);
const plan = planImport(repo, combineInputs(parsed));
if (!plan.ok) fail(`the inputs do not fit together:\n${plan.problems.slice(0, 20).map((p) => `  ${formatProblem(p)}`).join('\n')}`);
applyImport(repo, plan, { now: new Date(0) });
const draws = repo.list();
db.close();

const body: SnapshotBody = { format: SNAPSHOT_FORMAT, columns: SNAPSHOT_COLUMNS, draws: draws.map(encodeDraw) };
// One row per line keeps the unpacked file readable and diffs of a rebuild small.
const json = `{"format":${JSON.stringify(body.format)},"columns":${JSON.stringify(body.columns)},"draws":[\n${body.draws.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`;
const gz = gzipSync(Buffer.from(json, 'utf8'), { level: 9 });
const last = draws[draws.length - 1];
const manifest: SnapshotManifest = {
  format: SNAPSHOT_FORMAT,
  file: 'history.json.gz',
  sha256: sha256(gz),
  bytes: gz.length,
  rounds: { from: draws[0].round, to: last.round, count: draws.length },
  latest_date: last.date,
  labelled: draws.filter((d) => d.machine !== null).length,
  prize_tiers: draws.filter((d) => d.lowerTiers).length,
  first_prize_split: draws.filter((d) => d.firstPrizeSplit).length,
  sources: inputs.map((i) => ({ file: i.file, sha256: i.digest, rows: i.rows })),
  provenance: 'SOURCES.md (copied from the shared data folder; every value with its public source and cross-checks)',
  built_by: 'scripts/build-snapshot.ts',
};

// The decoder must give back exactly what was encoded.
const back = decodeSnapshot(gz, manifest);
if (JSON.stringify(back.map(encodeDraw)) !== JSON.stringify(body.draws)) fail('the snapshot does not decode to the draws it was built from');

const summary = `${manifest.rounds.count} draws (rounds ${manifest.rounds.from}–${manifest.rounds.to}, up to ${manifest.latest_date}), ${manifest.labelled} labels, five tiers for ${manifest.prize_tiers} rounds, split for ${manifest.first_prize_split}; ${gz.length} bytes gzip (${json.length} unpacked), sha256 ${manifest.sha256}`;

if (check) {
  const shipped = readManifest();
  const shippedGz = readFileSync(resolve(SNAPSHOT_DIR, shipped.file));
  const same = shipped.sha256 === manifest.sha256 && sha256(shippedGz) === shipped.sha256;
  const shippedSources = readFileSync(resolve(SNAPSHOT_DIR, 'SOURCES.md'), 'utf8') === sourcesMd;
  process.stdout.write(`rebuilt from ${from}: ${summary}\nshipped: ${shipped.rounds.count} draws, sha256 ${shipped.sha256}\n`);
  if (!same || !shippedSources) fail(`the shipped snapshot differs from ${from}${shippedSources ? '' : ' (SOURCES.md too)'}: run npx tsx scripts/build-snapshot.ts`);
  process.stdout.write('the shipped snapshot matches the data folder\n');
} else {
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  writeFileSync(resolve(SNAPSHOT_DIR, manifest.file), gz);
  writeFileSync(resolve(SNAPSHOT_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(resolve(SNAPSHOT_DIR, 'SOURCES.md'), sourcesMd);
  process.stdout.write(`wrote ${basename(SNAPSHOT_DIR)}/: ${summary}\n`);
}
