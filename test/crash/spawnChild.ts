// Start a bundled crash child, follow its phase markers, and SIGKILL it.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  proc: ChildProcess;
  /** Markers printed so far, in order. */
  lines: string[];
  /** Resolves when a line starting with `prefix` has been printed (rejects if the child exits first). */
  waitFor(prefix: string): Promise<void>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<NodeJS.Signals | number | null>;
}

export function startChild(bundle: string, args: string[]): Child {
  const proc = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buf = '';
  let stderr = '';
  const waiters: Array<{ prefix: string; ok: () => void; fail: (e: Error) => void }> = [];
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => proc.once('exit', (code, signal) => resolve(signal ?? code)));
  proc.stdout!.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of waiters.filter((x) => line.startsWith(x.prefix))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.ok();
      }
    }
  });
  proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  void exited.then(() => {
    for (const w of waiters.splice(0)) w.fail(new Error(`child exited before "${w.prefix}": ${stderr}`));
  });
  return {
    proc,
    lines,
    waitFor(prefix) {
      if (lines.some((l) => l.startsWith(prefix))) return Promise.resolve();
      return new Promise((ok, fail) => waiters.push({ prefix, ok, fail }));
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      return exited;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
