// Enforces the layering in docs/architecture.md and the purity of domain, feature and model code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/history.js';

const SRC = resolve(REPO_ROOT, 'src');

/** Lower rank = lower layer. A module may import only from its own rank or below. */
const RANK: Record<string, number> = {
  domain: 0,
  data: 1,
  features: 2,
  models: 3,
  combination: 4,
  strategies: 5,
  service: 6,
  runtime: 7,
  // The dashboard's static-file plugin: the API app registers it at `/`, it imports nothing above.
  web: 7.5,
  // One configuration (config/env.ts): the edges read it and pass values down; it imports only types below.
  config: 7.8,
  api: 8,
  // The CLI starts the API server (`hogi serve`), so it sits on top.
  cli: 9,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.tsx?$/.test(name) ? [p] : [];
  });
}

const layerOf = (file: string) => relative(SRC, file).split(/[\\/]/)[0];
const imports = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);

const all = files(SRC);
// Worker entry files are entry points: they may choose the tfjs backend.
const isEntryPoint = (f: string) => /(^|[\\/])[\w-]*[wW]orker\.ts$/.test(f);

describe('architecture', () => {
  it('every source folder is a known layer', () => {
    for (const f of all) expect(Object.keys(RANK), relative(SRC, f)).toContain(layerOf(f));
  });

  it('each layer imports only from the layers below it', () => {
    const violations: string[] = [];
    for (const f of all) {
      const from = layerOf(f);
      for (const spec of imports(f)) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(f), spec);
        const to = layerOf(target);
        if (to === from) continue;
        // Process-wide side effects (runtime) are for entry points only.
        const allowed = to === 'runtime' ? ['api', 'cli', 'web'].includes(from) || isEntryPoint(f) : RANK[to] < RANK[from];
        if (!allowed) violations.push(`${relative(SRC, f)} → ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  // Pure domain code (e.g. the exact fair-draw distributions) may run in the browser too.
  it('the dashboard (web/) takes only types from src/ above the domain, so no server code or typebox enters its bundle', () => {
    const WEB = resolve(REPO_ROOT, 'web', 'src');
    const valueImports: string[] = [];
    for (const f of files(WEB)) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(import|export)(\s+type)?\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[3] ?? m[4];
        const typeOnly = m[2] !== undefined;
        const target = resolve(dirname(f), spec);
        const reachesServer = spec.startsWith('.') && !target.startsWith(resolve(REPO_ROOT, 'web')) && layerOf(target) !== 'domain';
        if ((reachesServer || spec === '@sinclair/typebox') && !typeOnly) valueImports.push(`${relative(REPO_ROOT, f)} → ${spec}`);
      }
    }
    expect(valueImports).toEqual([]);
  });

  it('domain, feature and model code is pure: no I/O, clock, global randomness or any', () => {
    const impure: string[] = [];
    for (const f of all.filter((x) => ['domain', 'features', 'models'].includes(layerOf(x)) && !isEntryPoint(x))) {
      const text = readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      const rules: Array<[RegExp, string]> = [
        [/from\s+['"](node:)?(fs|fs\/promises|http|https|net|child_process|worker_threads)['"]/, 'I/O import'],
        [/from\s+['"]better-sqlite3['"]/, 'database import'],
        [/\bDate\.now\(|new Date\(\s*\)|performance\.now\(/, 'clock'],
        [/\bMath\.random\(/, 'unseeded randomness'],
        [/process\.(env|argv|stdout|stderr)/, 'process globals'],
        [/:\s*any\b|\bas any\b|<any>/, 'any'],
      ];
      for (const [re, what] of rules) if (re.test(text)) impure.push(`${relative(SRC, f)}: ${what}`);
    }
    expect(impure).toEqual([]);
  });

  // Folders import each other one way only (a folder and its own parent or children excepted):
  // e.g. service/backtest may use service/predictions' pieces or the reverse, never both.
  it('only the config module reads process.env', () => {
    const readers = all.filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    expect(readers.map((f) => relative(SRC, f).split(/[\\/]/).join('/'))).toEqual(['config/env.ts']);
  });

  it('no folder-level import cycle under src/', () => {
    const dirOf = (f: string) => relative(SRC, dirname(f)) || '.';
    const related = (a: string, b: string) => a === '.' || b === '.' || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
    const edges = new Map<string, Map<string, string>>();
    for (const f of all) {
      for (const spec of imports(f)) {
        if (!spec.startsWith('.')) continue;
        const from = dirOf(f);
        const to = dirOf(resolve(dirname(f), spec));
        if (from === to || related(from, to)) continue;
        if (!edges.has(from)) edges.set(from, new Map());
        if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${relative(SRC, f)} → ${spec}`);
      }
    }
    expect(findCycles(edges)).toEqual([]);
  });

  it('the folder-cycle check finds a planted cycle (positive control)', () => {
    const planted = new Map([
      ['service/backtest', new Map([['service/predictions', 'round.ts → ../predictions/combine.js']])],
      ['service/predictions', new Map([['service/backtest', 'service.ts → ../backtest/service.js']])],
    ]);
    expect(findCycles(planted)).toEqual(['service/backtest → service/predictions → service/backtest (round.ts → ../predictions/combine.js; service.ts → ../backtest/service.js)']);
  });
});

/** Every elementary cycle found by a depth-first search, each named once (from its smallest folder). */
function findCycles(edges: ReadonlyMap<string, ReadonlyMap<string, string>>): string[] {
  const found = new Set<string>();
  const visit = (path: string[]) => {
    const here = path[path.length - 1];
    for (const next of edges.get(here)?.keys() ?? []) {
      if (next === path[0]) {
        if (path.every((p) => p >= path[0])) {
          const loop = [...path, next];
          const why = loop.slice(1).map((to, i) => edges.get(loop[i])!.get(to)).join('; ');
          found.add(`${loop.join(' → ')} (${why})`);
        }
      } else if (!path.includes(next) && next > path[0]) visit([...path, next]);
    }
  };
  for (const start of [...edges.keys()].sort()) visit([start]);
  return [...found];
}
