// A fresh install, offline: `npm start` with an empty data folder, until predictions come from
// trained models. Prints when the server first answers (frequency fallback, the shipped history
// loaded) and when an answer has `fallback: false` (the start-up training swapped its models in).
// Offline is forced by pointing the sync at a closed local port; needs `npm run build` first.
// Target (issue 12): trained predictions within about a minute.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
  process.stderr.write('bench/fresh-start: run `npm run build` first\n');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'hogi-fresh-'));
const port = 18_000 + (process.pid % 1000);
const env = {
  ...process.env,
  HOGI_DB: join(dir, 'hogi.db'),
  HOGI_MODELS_DIR: join(dir, 'models'),
  HOGI_PORT: String(port),
  HOGI_SNAPSHOT: '1',
  HOGI_STARTUP_TRAINING: '1',
  // Nothing listens on port 9 of this machine: every sync request fails at once, as offline.
  HOGI_DHLOTTERY_URL: 'http://127.0.0.1:9/lt645/selectPstLt645Info.do',
  HOGI_LOTTOTAPA_URL: 'http://127.0.0.1:9/stat/result_hogi.php',
};
const t0 = performance.now();
const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);

let first: string | null = null;
let trained: string | null = null;
try {
  for (let i = 0; i < 600 && trained === null; i++) {
    await new Promise((r) => setTimeout(r, 500));
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/predictions/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ machine_type: '1', sets_count: 1 }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { metadata?: { fallback?: boolean } };
      if (res.status === 200 && first === null) first = seconds();
      if (body.metadata?.fallback === false) trained = seconds();
    } catch {
      // not listening yet
    }
  }
} finally {
  if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
}
process.stdout.write(`fresh start, offline (npm start, empty database, ${env.HOGI_DB}):\n`);
process.stdout.write(`  first prediction answer (frequency fallback, shipped history loaded): ${first ?? 'never'} s\n`);
process.stdout.write(`  first answer from trained models (fallback: false):                  ${trained ?? 'not within 300 s'} s   target: about 60 s\n`);
await new Promise((r) => setTimeout(r, 1000));
rmSync(dir, { recursive: true, force: true });
if (trained === null) process.exitCode = 1;
