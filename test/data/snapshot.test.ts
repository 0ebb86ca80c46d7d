import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { SNAPSHOT_DIR, SnapshotError, loadSnapshot, readManifest, seedFromSnapshot, sha256 } from '../../src/data/snapshot.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hogi-snap-'));
  for (const f of ['manifest.json', 'history.json.gz']) copyFileSync(join(SNAPSHOT_DIR, f), join(dir, f));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the shipped history snapshot', () => {
  it('holds every draw 1–1245 with 979 labels, five tiers for rounds 1–1238 and the split from round 262', () => {
    const { draws, manifest } = loadSnapshot();
    expect(draws.map((d) => d.round)).toEqual(Array.from({ length: 1245 }, (_, i) => i + 1));
    expect(draws.filter((d) => d.machine !== null)).toHaveLength(979);
    expect(draws.filter((d) => d.lowerTiers).map((d) => d.round)).toEqual(Array.from({ length: 1238 }, (_, i) => i + 1));
    const split = draws.filter((d) => d.firstPrizeSplit);
    expect(split).toHaveLength(974);
    expect(Math.min(...split.map((d) => d.round))).toBe(262);
    for (const d of split) expect(d.firstPrizeSplit!.auto + d.firstPrizeSplit!.manual + d.firstPrizeSplit!.semiAuto).toBe(d.firstPrizeWinners);
    expect(manifest).toMatchObject({ rounds: { from: 1, to: 1245, count: 1245 }, labelled: 979, prize_tiers: 1238, first_prize_split: 974 });
    // Round 1 as the official record has it: nobody won the first prize; 1 ticket won the second.
    expect(draws[0]).toMatchObject({ date: '2002-12-07', numbers: [10, 23, 29, 33, 37, 40], bonus: 16, firstPrizeWinners: 0, lowerTiers: [{ winners: 1, prizeEach: 143934100 }, { winners: 28, prizeEach: 5140500 }, { winners: 2537, prizeEach: 113400 }, { winners: 40155, prizeEach: 10000 }] });
  });

  it('is small: under 100 kB compressed', () => {
    expect(readFileSync(join(SNAPSHOT_DIR, 'history.json.gz')).length).toBeLessThan(100_000);
    expect(readManifest().bytes).toBe(readFileSync(join(SNAPSHOT_DIR, 'history.json.gz')).length);
  });

  it('refuses a file whose SHA-256 differs from the manifest', () => {
    const gz = readFileSync(join(dir, 'history.json.gz'));
    gz[gz.length - 10] ^= 0xff;
    writeFileSync(join(dir, 'history.json.gz'), gz);
    expect(() => loadSnapshot(dir)).toThrow(SnapshotError);
    expect(() => loadSnapshot(dir)).toThrow(/SHA-256 .* but manifest\.json records/);
  });

  it('refuses a file with a bad value even when the checksum was updated to match, naming the round', () => {
    const text = gunzipSync(readFileSync(join(dir, 'history.json.gz'))).toString('utf8').replace('[7,"2003-01-18"', '[7,"2003-01-18x"');
    const gz = gzipSync(Buffer.from(text));
    writeFileSync(join(dir, 'history.json.gz'), gz);
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, sha256: sha256(gz) }));
    expect(() => loadSnapshot(dir)).toThrow(/round 7: date/);
  });

  it('says plainly when the snapshot is missing', () => {
    rmSync(join(dir, 'history.json.gz'));
    expect(() => loadSnapshot(dir)).toThrow(/cannot read .*history\.json\.gz \(ENOENT\); reinstall hogi/);
  });

  it('seeds an empty database in one transaction and never touches one that holds draws', () => {
    const repo = drawsRepo(openDb(':memory:'));
    const r = seedFromSnapshot(repo);
    expect(r).toMatchObject({ loaded: true, draws: 1245, labelled: 979, prizeTiers: 1238, latestRound: 1245 });
    expect(repo.dataVersion()).toBe(1);
    expect(repo.list()).toEqual(loadSnapshot().draws);
    expect(seedFromSnapshot(repo).loaded).toBe(false);
    expect(repo.dataVersion()).toBe(1);
  });

  it('writes nothing when a draw of the snapshot cannot be stored', () => {
    const repo = drawsRepo(openDb(':memory:'));
    const { draws, manifest } = loadSnapshot();
    const broken = [...draws.slice(0, 10), { ...draws[10], bonus: 99 }];
    expect(() => seedFromSnapshot(repo, { load: () => ({ draws: broken, manifest }) })).toThrow();
    expect(repo.count()).toBe(0);
  });
});
