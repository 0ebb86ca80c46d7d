// Test-only loader for ../shared/data; the product reads data through `hogi import` / `hogi sync`.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Draw } from '../../src/domain/draw.js';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../..');
export const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');
export const DRAWS_CSV = resolve(SHARED_DATA, 'draws.csv');
export const MACHINES_CSV = resolve(SHARED_DATA, 'machines.csv');
export const PRIZES_CSV = resolve(SHARED_DATA, 'prizes.csv');

function rows(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(','));
}

let cache: Draw[] | null = null;

/** All 1245 draws with machine labels merged in (null where unknown). */
export function loadSharedDraws(): Draw[] {
  if (cache) return cache.map((d) => ({ ...d }));
  const machines = new Map<number, number>();
  for (const [r, m] of rows(MACHINES_CSV)) machines.set(Number(r), Number(m));
  cache = rows(DRAWS_CSV).map((c) => {
    const round = Number(c[0]);
    return {
      round,
      date: c[1],
      numbers: c.slice(2, 8).map(Number),
      bonus: Number(c[8]),
      machine: machines.get(round) ?? null,
      firstPrizeEach: Number(c[9]),
      firstPrizeWinners: Number(c[10]),
      totalSales: Number(c[11]),
    };
  });
  return cache.map((d) => ({ ...d }));
}
