// What a process loads before it does anything: the server's main thread never runs a model
// (inference workers do), and `hogi --help` or `hogi draws` should not pay for fastify, tfjs or
// the statistics library. Walks the static import graph of the sources (dynamic import() is
// the lazy path and is not followed; `import type` is erased by the compiler).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/history.js';

const SRC = resolve(REPO_ROOT, 'src');

/** Specifiers of the imports that run when the file is loaded. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(import|export)\s+([^'";]*?)\s*from\s+['"]([^'"]+)['"]/g)) {
    const clause = m[2].trim();
    if (/^type\b/.test(clause)) continue;
    const braces = /^\{([^}]*)\}$/.exec(clause);
    if (braces) {
      const names = braces[1].split(',').map((s) => s.trim()).filter(Boolean);
      if (names.length > 0 && names.every((n) => n.startsWith('type '))) continue;
    }
    out.push(m[3]);
  }
  for (const m of text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) out.push(m[1]);
  return out;
}

function resolveSource(from: string, spec: string): string {
  const target = resolve(dirname(from), spec);
  const ts = target.replace(/\.js$/, '.ts');
  if (!existsSync(ts)) throw new Error(`${relative(SRC, from)} imports ${spec}, which has no source file`);
  return ts;
}

/** Each package reached from `entry`, with one import chain that reaches it. */
function packagesReached(entry: string): Map<string, string[]> {
  const chain = new Map<string, string[]>([[entry, [relative(SRC, entry)]]]);
  const packages = new Map<string, string[]>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const spec of staticImports(file)) {
      if (spec.startsWith('node:')) continue;
      if (!spec.startsWith('.')) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!packages.has(name)) packages.set(name, [...chain.get(file)!, spec]);
        continue;
      }
      const next = resolveSource(file, spec);
      if (chain.has(next)) continue;
      chain.set(next, [...chain.get(file)!, relative(SRC, next)]);
      queue.push(next);
    }
  }
  return packages;
}

const offending = (reached: Map<string, string[]>, test: (pkg: string) => boolean) =>
  [...reached].filter(([pkg]) => test(pkg)).map(([, path]) => path.join(' → '));

describe('start-up imports', () => {
  it('the import walk sees the packages the server really uses (the check below can fail)', () => {
    const reached = packagesReached(resolve(SRC, 'api/server.ts'));
    expect([...reached.keys()]).toEqual(expect.arrayContaining(['fastify', 'better-sqlite3', 'pino']));
    // The inference worker does load the models, through the registry's loaders on first use.
    const worker = packagesReached(resolve(SRC, 'service/training.ts'));
    expect([...worker.keys()]).toContain('@tensorflow/tfjs');
  });

  it('the server starts without loading tfjs in its main thread, nor the statistics library before a fairness report', () => {
    expect(offending(packagesReached(resolve(SRC, 'api/server.ts')), (p) => p.startsWith('@tensorflow/') || p.startsWith('@stdlib/'))).toEqual([]);
  });

  it('the CLI loads neither tfjs, fastify nor the statistics library until a command needs them', () => {
    const heavy = (p: string) => p.startsWith('@tensorflow/') || p === 'fastify' || p.startsWith('@fastify/') || p.startsWith('@stdlib/');
    expect(offending(packagesReached(resolve(SRC, 'cli/main.ts')), heavy)).toEqual([]);
  });
});
