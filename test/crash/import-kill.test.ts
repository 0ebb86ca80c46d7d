import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { parseImportText } from '../../src/data/formats/detect.js';
import { applyImport, combineInputs, planImport } from '../../src/data/importService.js';
import { createRandom } from '../../src/domain/random.js';
import { readFileSync } from 'node:fs';
import { dumpDb } from '../helpers/dbDump.js';
import { historyDrawsCsv, historyMachinesCsv, loadHistoryDraws } from '../helpers/history.js';
import { bundleChild } from './bundle.js';
import { sleep, startChild } from './spawnChild.js';

// The shipped history written as the shared data folder's CSV files (test/helpers/history.ts).
const DRAWS_CSV = historyDrawsCsv();
const MACHINES_CSV = historyMachinesCsv();

const KILLS = 20;
const NOW = '2026-11-21T12:00:00.000Z';
const dir = mkdtempSync(join(tmpdir(), 'hogi-crash-import-'));
let bundle = '';
let template = '';
let oldState = '';
let newState = '';

const stateOf = (path: string) => {
  const db = openDb(path);
  try {
    return JSON.stringify(dumpDb(db));
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  bundle = await bundleChild();
  // Old state: rounds 1..100 stored. New state: what the same import does when it completes.
  template = join(dir, 'template.db');
  const db = openDb(template);
  drawsRepo(db).upsertMany(
    loadHistoryDraws().filter((d) => d.round <= 100),
    '2026-01-01T00:00:00.000Z',
  );
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  oldState = stateOf(template);
  const done = join(dir, 'done.db');
  copyFileSync(template, done);
  const d2 = openDb(done);
  const repo = drawsRepo(d2);
  const parsed = [DRAWS_CSV, MACHINES_CSV].map((f) => parseImportText(readFileSync(f, 'utf8'), f));
  applyImport(repo, planImport(repo, combineInputs(parsed), { overwrite: false }), { now: new Date(NOW) });
  d2.close();
  newState = stateOf(done);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (bundle) rmSync(bundle, { force: true });
});

describe('SIGKILL during an import', () => {
  it(`leaves a database that passes integrity_check and holds exactly the old or the new state (${KILLS} kills)`, async () => {
    expect(newState).not.toBe(oldState);
    const rnd = createRandom(20261124);
    // Calibrate on this machine: one child runs to the end; its timings scale the kill delays so
    // they fall across the whole run and across the write transaction, fast machine or slow.
    const calib = join(dir, 'calibrate.db');
    copyFileSync(template, calib);
    const probe = startChild(bundle, ['import', calib, NOW, DRAWS_CSV, MACHINES_CSV]);
    await probe.waitFor('ready');
    const t0 = performance.now();
    await probe.waitFor('apply-start');
    const t1 = performance.now();
    await probe.waitFor('apply-end');
    const t2 = performance.now();
    await probe.kill();
    expect(stateOf(calib)).toBe(newState);
    const runMs = t2 - t0;
    const applyMs = Math.max(1, t2 - t1);
    const landed = { beforeApply: 0, duringApply: 0, afterApply: 0 };
    const seen = { old: 0, new: 0 };
    for (let k = 0; k < KILLS; k++) {
      const path = join(dir, `kill-${k}.db`);
      copyFileSync(template, path);
      const child = startChild(bundle, ['import', path, NOW, DRAWS_CSV, MACHINES_CSV]);
      // Half the kills at a random time in the run (parsing, planning or writing), half aimed at
      // the write transaction: a random delay within 1.2 × its calibrated length after it begins.
      if (k % 2 === 0) {
        await child.waitFor('ready');
        await sleep(rnd.nextFloat() * runMs * 1.1);
      } else {
        await child.waitFor('apply-start');
        await sleep(rnd.nextFloat() * applyMs * 1.2);
      }
      const signal = await child.kill();
      const phase = child.lines.includes('apply-end') ? 'afterApply' : child.lines.includes('apply-start') ? 'duringApply' : 'beforeApply';
      landed[phase]++;
      if (signal !== 'SIGKILL') expect(child.lines).toContain('apply-end');

      const db = openDb(path);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
      const state = stateOf(path);
      expect([oldState, newState]).toContain(state);
      seen[state === oldState ? 'old' : 'new']++;
      rmSync(path, { force: true });
    }
    // Where the kills fell, for the record; every one of them left a whole state.
    console.log(`import kills: ${JSON.stringify(landed)}, states after: ${JSON.stringify(seen)} (calibrated run ${runMs.toFixed(0)} ms, transaction ${applyMs.toFixed(0)} ms)`);
    expect(landed.beforeApply + landed.duringApply).toBeGreaterThan(0);
  });
});
