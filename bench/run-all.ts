// Runs every bench/*.ts (or those whose names match the arguments) one after another.
// Usage: npm run bench [-- NAME...]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

let failed = 0;
for (const s of scripts) {
  process.stdout.write(`\n=== bench/${s}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, s)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`bench/${s} exited with ${r.status}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
