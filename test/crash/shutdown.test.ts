// Graceful shutdown of a real `hogi serve` child: a request still in flight when SIGTERM arrives
// (its body is still arriving) completes, new connections are refused, and the process exits 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { REPO_ROOT, loadHistoryDraws } from '../helpers/history.js';
import { sleep } from './spawnChild.js';

const dir = mkdtempSync(join(tmpdir(), 'hogi-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hogi serve on SIGTERM', () => {
  it('finishes the request in flight, refuses new connections, and exits 0', async () => {
    const dbPath = join(dir, 'hogi.db');
    const db = openDb(dbPath);
    drawsRepo(db).upsertMany(loadHistoryDraws().filter((d) => d.round <= 200), '2026-01-01T00:00:00.000Z');
    db.close();

    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), '--db', dbPath, 'serve', '--port', '0', '--no-schedule'], {
      cwd: REPO_ROOT, // --import tsx resolves from here; the database and models live in the temp dir
      env: { ...process.env, HOGI_MODELS_DIR: join(dir, 'models'), HOGI_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    let out = '';
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /hogi serving on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      void exit.then(() => reject(new Error(`server exited early:\n${out}`)));
    });

    // A slow client: headers and half the body now, the rest after SIGTERM.
    const body = JSON.stringify({ machine_type: 2, sets_count: 3, seed: 11 });
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    let response = '';
    socket.on('data', (c: Buffer) => (response += c.toString()));
    const ended = new Promise<void>((r) => socket.once('close', () => r()));
    socket.write(`POST /api/predictions/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`);
    socket.write(body.slice(0, 10));
    await sleep(200);

    child.kill('SIGTERM');
    await sleep(500);
    // Closing: the listener is gone, so a new connection is refused while the old request is still open.
    const refused = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        r(false);
      });
      s.once('error', () => r(true));
    });
    expect(refused).toBe(true);
    expect(child.exitCode).toBeNull();

    socket.write(body.slice(10));
    await ended;
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    const json = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as { predictions: unknown[]; metadata: { seed: number } };
    expect(json.predictions).toHaveLength(3);
    expect(json.metadata.seed).toBe(11);

    const { code, signal } = await exit;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(out).toMatch(/shutting down/);
  });
});
