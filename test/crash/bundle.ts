// Bundles test/crash/child.ts into one .mjs beside node_modules, so the crash tests can start
// dozens of children with plain node (~0.1 s each) instead of tsx (~1 s each).
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/history.js';

export async function bundleChild(): Promise<string> {
  const dir = join(REPO_ROOT, 'node_modules', '.cache', 'hogi-crash');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `child-${process.pid}-${Date.now()}.mjs`);
  await build({
    entryPoints: [join(REPO_ROOT, 'test', 'crash', 'child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Native and heavy packages load from node_modules at run time.
    external: ['better-sqlite3', '@tensorflow/*'],
    banner: { js: "import { createRequire as __hogiRequire } from 'node:module'; const require = __hogiRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return outfile;
}
