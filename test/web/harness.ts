// Browser-test harness: a fresh web build when needed, a real `hogi serve` child, and Debian's chromium.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { REPO_ROOT } from '../helpers/history.js';

export const CHROMIUM = process.env.HOGI_CHROMIUM ?? '/usr/bin/chromium';
export const WEB_DIST = resolve(REPO_ROOT, 'dist/web/client');
export const SCREENSHOTS = resolve(REPO_ROOT, 'test-output/screenshots');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((n) => newestMtime(join(path, n))));
}

/** Builds the dashboard once when dist/web/client is missing or older than its sources. */
export function ensureWebBuild(): void {
  const index = join(WEB_DIST, 'index.html');
  const sources = Math.max(newestMtime(resolve(REPO_ROOT, 'web')), newestMtime(resolve(REPO_ROOT, 'src/domain')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const r = spawnSync(process.execPath, [resolve(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'error'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export interface HogiServer {
  url: string;
  child: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

/** `hogi serve` as a child process on a free loopback port; resolves once health answers. */
export async function startHogi(dbPath: string, modelsDir: string, env: Record<string, string> = {}): Promise<HogiServer> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--db', dbPath, 'serve', '--port', String(port), '--no-schedule'], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOGI_MODELS_DIR: modelsDir, HOGI_LOG_LEVEL: 'warn', HOGI_SCHEDULE: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hogi serve exited with ${child.exitCode}:\n${output}`);
    try {
      const r = await fetch(`${url}/api/monitoring/health`);
      if (r.status === 200 || r.status === 503) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`hogi serve did not answer within 45 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return { url, child, log: () => output, stop };
}

/** Headless chromium with a fresh profile; downloads and the clipboard allowed. */
export async function launchBrowser(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: install it (apt-get install chromium; .ci/run does) or point HOGI_CHROMIUM at one`);
  const profile = mkdtempSync(join(tmpdir(), 'hogi-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 800 },
    locale: 'ko-KR',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write']);
  return ctx;
}

/** Console errors and uncaught exceptions of a page, for the "no console errors" checks. */
export function watchConsole(page: Page): { errors: string[] } {
  const sink = { errors: [] as string[] };
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') sink.errors.push(`${m.text()} @ ${m.location().url}`);
  });
  page.on('pageerror', (e) => sink.errors.push(`pageerror: ${e.message}`));
  return sink;
}

/** Navigate by hash and wait until the page says it rendered. */
export async function openPage(page: Page, base: string, id: string): Promise<void> {
  const target = `${base}/#/${id}`;
  if (page.url().startsWith(base)) {
    await page.evaluate((h) => (location.hash = h), `#/${id}`);
    await page.waitForFunction((pid) => document.querySelector('main')?.dataset.page === pid && document.querySelector('main')?.dataset.ready === 'true', id);
  } else {
    await page.goto(target);
    await page.waitForSelector('main[data-ready="true"]');
  }
}

/** Every chart on the page drew something: an SVG with shapes inside each chart box. */
export async function renderedCharts(page: Page): Promise<number[]> {
  await page.waitForFunction(() => Array.from(document.querySelectorAll('.chart')).every((c) => c.querySelector('svg path, svg rect')));
  return page.$$eval('.chart', (charts) => charts.map((c) => c.querySelectorAll('svg path, svg rect').length));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}
