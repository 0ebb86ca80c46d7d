// The dashboard in a real browser (Debian's chromium via playwright-core) against a real `hogi serve`
// over the shared history. Each page: its main action, what it shows against the API's own
// answer, its charts, its error path, no console errors, and screenshots at desktop and phone size.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyDrawsCsv, historyMachinesCsv, historyPrizesCsv } from '../helpers/history.js';
import { runCli } from '../helpers/cli.js';
import { afterDraw } from '../helpers/clock.js';
import { ensureWebBuild, launchBrowser, openPage, renderedCharts, screenshot, SCREENSHOTS, startHogi, watchConsole, type HogiServer } from './harness.js';

// The shipped history written as the shared data folder's CSV files (test/helpers/history.ts).
const DRAWS_CSV = historyDrawsCsv();
const MACHINES_CSV = historyMachinesCsv();
const PRIZES_CSV = historyPrizesCsv();

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 800 };
/** Rounds after this one are imported only once a prediction for the next round is stored, so it gets scored. */
const FIRST_IMPORT_TO = 1240;

interface DrawItem {
  round: number;
  numbers: number[];
  bonus: number;
  machine: number | null;
  odd_even: string;
  ac_value: number;
  total_sum: number;
  prizes: Array<{ rank: number; winners: number | null; prize_each: number | null }>;
  first_prize_split: { auto: number; manual: number; semi_auto: number } | null;
}
interface StoredPrediction {
  request_id: string;
  status: string;
  predictions: Array<{ set_number: number; machine_type: string; numbers: number[]; confidence_score: number; matches: number | null; prize_rank: number | null }>;
  metadata: { target_round: number; differentiation: { score: number } | null };
}

const dir = mkdtempSync(join(tmpdir(), 'hogi-dash-'));
let server: HogiServer;
let empty: HogiServer;
let ctx: BrowserContext;
let page: Page;
let consoleSink: { errors: string[] };
let scoredId = '';

async function apiGet<T>(path: string): Promise<T> {
  const r = await fetch(`${server.url}${path}`);
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

async function apiPost(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

const ballsIn = (page: Page, selector: string) => page.$$eval(`${selector} .ball`, (els) => els.map((e) => Number(e.textContent)));

/** Desktop screenshot now, then the same page reloaded at phone width (re-running `again` there). */
async function bothSizes(name: string, again?: () => Promise<void>): Promise<void> {
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
  await page.reload();
  await page.waitForSelector('main[data-ready="true"]');
  if (again) await again();
  await renderedCharts(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name}: the page scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
  await page.reload();
  await page.waitForSelector('main[data-ready="true"]');
}

beforeAll(async () => {
  ensureWebBuild();
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A history that stops at FIRST_IMPORT_TO; the rest arrives after a prediction is stored.
  const lines = readFileSync(DRAWS_CSV, 'utf8').trim().split(/\r?\n/);
  const early = join(dir, 'draws-early.csv');
  writeFileSync(early, [lines[0], ...lines.slice(1).filter((l) => Number(l.split(',')[0]) <= FIRST_IMPORT_TO)].join('\n') + '\n');
  const db = join(dir, 'hogi.db');
  expect((await runCli(['--db', db, 'import', early, MACHINES_CSV])).code).toBe(0);

  const models = join(dir, 'models');
  mkdirSync(models);
  // The server's clock stands one hour after round FIRST_IMPORT_TO was drawn, so the next round is the one predicted.
  const now = { HOGI_NOW: afterDraw(FIRST_IMPORT_TO).toISOString() };
  [server, empty, ctx] = await Promise.all([startHogi(db, models, now), startHogi(join(dir, 'empty.db'), models, now), launchBrowser()]);

  // The fairness report is computed once per data version in a server worker; start it now, overlapping the setup.
  const warmFairness = () => fetch(`${server.url}/api/statistics/fairness`).then((r) => r.arrayBuffer()).catch(() => undefined);
  // A stored prediction for round FIRST_IMPORT_TO + 1, then that round arrives and import scores it.
  const made = await apiPost('/api/predictions/generate', { machine_type: 'all', sets_count: 5, seed: 7, algorithm: 'basic' });
  expect(made.status).toBe(200);
  scoredId = String(made.json.request_id);
  expect((await runCli(['--db', db, 'import', DRAWS_CSV, MACHINES_CSV, PRIZES_CSV])).code).toBe(0);
  const fairness = warmFairness();
  // A tiny backtest (no model training: the chance control and the frequency baseline) for "Does it predict?".
  expect((await runCli(['--db', db, 'backtest', '--from', '1231', '--to', '1240', '--machine', 'all', '--methods', 'random,frequency_baseline', '--sets', '3', '--seed', '1', '--json'])).code).toBe(0);

  page = await ctx.newPage();
  consoleSink = watchConsole(page);
  await fairness;
}, 120_000);

afterAll(async () => {
  await ctx?.close();
  await Promise.all([server?.stop(), empty?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard in chromium', () => {
  it('Predict: generates sets for all three machines, shows exactly the stored sets, copies and downloads them', async () => {
    await openPage(page, server.url, 'predict');
    await page.fill('#sets-count', '3');
    await page.selectOption('#algorithm', 'basic');
    // Fix 7 with the mouse, then exclude 8 from the keyboard (mode radio, then the ball with Space).
    await page.click('#picker [data-n="7"]');
    await page.click('.picker .seg:has(input[value="excluded"]) label');
    await page.focus('#picker [data-n="8"]');
    await page.keyboard.press('Space');
    await page.fill('#seed', '12345');
    await page.click('#generate');
    await page.waitForSelector('#result .set');

    const requestId = await page.getAttribute('#result', 'data-request-id');
    const stored = await apiGet<StoredPrediction>(`/api/predictions/${requestId}`);
    const shown = await page.$$eval('#result .set', (sets) =>
      sets.map((s) => ({
        machine: s.getAttribute('data-machine'),
        balls: Array.from(s.querySelectorAll('.ball')).map((b) => Number(b.textContent)),
        pct: s.querySelector('.badge-pct')?.textContent ?? '',
      })),
    );
    expect(shown).toHaveLength(9);
    expect(shown.map((s) => s.balls)).toEqual(stored.predictions.map((p) => p.numbers));
    expect(shown.map((s) => s.machine)).toEqual(stored.predictions.map((p) => p.machine_type));
    for (const [i, s] of shown.entries()) {
      expect(s.balls).toContain(7);
      expect(s.balls).not.toContain(8);
      expect(s.pct).toContain((Math.round(stored.predictions[i].confidence_score * 1000) / 10).toFixed(1));
    }
    // Ball colours follow the official bands.
    const colours = await page.$$eval('#result .set .ball', (els) => els.map((e) => [Number(e.textContent), getComputedStyle(e).backgroundColor]));
    const band = (n: number) => (n <= 10 ? 0 : n <= 20 ? 1 : n <= 30 ? 2 : n <= 40 ? 3 : 4);
    const byBand = new Map<number, Set<string>>();
    for (const [n, c] of colours as Array<[number, string]>) byBand.set(band(n), (byBand.get(band(n)) ?? new Set()).add(c));
    for (const set of byBand.values()) expect(set.size).toBe(1);
    expect(new Set([...byBand.values()].map((s) => [...s][0])).size).toBe(byBand.size);

    // With all three machines the differentiation is shown, with the API's score.
    expect(await page.textContent('#result')).toContain(stored.metadata.differentiation!.score.toFixed(2));
    expect((await renderedCharts(page)).every((n) => n > 0)).toBe(true);

    await page.click('#copy-sets');
    await page.waitForFunction(() => (document.querySelector('.copy-status')?.textContent ?? '') !== '');
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    for (const p of stored.predictions) expect(clip).toContain(p.numbers.map((n) => String(n).padStart(2, ' ')).join(' '));

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    expect(download.suggestedFilename()).toBe('res.json');
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { request_id: string; predictions: Array<{ numbers: number[] }> };
    expect(saved.request_id).toBe(requestId);
    expect(saved.predictions.map((p) => p.numbers)).toEqual(stored.predictions.map((p) => p.numbers));
    await bothSizes('predict', async () => {
      await page.click('#generate');
      await page.waitForSelector('#result .set');
    });
    expect(consoleSink.errors).toEqual([]);
  });

  it('Predict: an impossible fixed set is refused by the API and the reason appears beside the ball picker', async () => {
    await openPage(page, server.url, 'predict');
    await page.click('.picker .btn-ghost'); // clear all
    await page.click('label[for="machine-1"]');
    await page.click('.picker .seg:has(input[value="fixed"]) label');
    for (const n of [1, 2, 3, 4, 5]) await page.click(`#picker [data-n="${n}"]`);
    await page.fill('#seed', '');
    await page.click('#generate');
    await page.waitForFunction(() => (document.getElementById('picker-error')?.textContent ?? '') !== '');
    const api = await apiPost('/api/predictions/generate', { machine_type: '1', sets_count: 3, algorithm: 'basic', include: [1, 2, 3, 4, 5], lang: 'ko' });
    expect(api.status).toBe(422);
    const err = api.json.error as { message: string; field: string };
    expect(err.field).toBe('include');
    expect(await page.textContent('#picker-error')).toContain(err.message);
    expect(await page.getAttribute('.picker', 'aria-invalid')).toBe('true');
    // A bad count goes to the API as typed; its 422 names sets_count and lands beside that field.
    await page.click('.picker .btn-ghost');
    await page.fill('#sets-count', '25');
    await page.click('#generate');
    await page.waitForFunction(() => (document.getElementById('sets-count-error')?.textContent ?? '') !== '');
    expect(await page.getAttribute('#sets-count', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#sets-count-error')).toBe('세트 수는 20 이하여야 합니다.');
    await page.fill('#sets-count', '5');
    expect(consoleSink.errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
    consoleSink.errors.length = 0;
  });

  it('History: the latest draw and every filtered page equal the API, with the derived statistics', async () => {
    await openPage(page, server.url, 'history');
    const latest = (await apiGet<{ items: DrawItem[] }>('/api/draws?page_size=1')).items[0];
    expect(await page.getAttribute('#latest .draw-card', 'data-round')).toBe(String(latest.round));
    expect(await ballsIn(page, '#latest .draw-card')).toEqual([...latest.numbers, latest.bonus]);

    await page.selectOption('#f-machine', '3');
    await page.fill('#f-from', '1000');
    await page.fill('#f-to', '1100');
    await page.click('#apply-filters');
    await page.waitForSelector('#draws-table tbody tr');
    const want = await apiGet<{ items: DrawItem[]; total_pages: number }>('/api/draws?machine=3&from=1000&to=1100&page=1&page_size=20');
    const rows = await page.$$eval('#draws-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.children).map((c) => c.textContent?.trim() ?? '')));
    expect(rows.map((r) => Number(r[0]))).toEqual(want.items.map((d) => d.round));
    for (const [i, d] of want.items.entries()) {
      expect(rows[i][2]).toBe('3호기');
      expect(rows[i][4]).toBe(d.odd_even);
      expect(Number(rows[i][6])).toBe(d.ac_value);
      expect(Number(rows[i][8])).toBe(d.total_sum);
    }
    if (want.total_pages > 1) {
      await page.click('#next-page');
      await page.waitForFunction(() => document.querySelector('.pager-at')?.textContent?.startsWith('2 /'));
      const second = await apiGet<{ items: DrawItem[] }>('/api/draws?machine=3&from=1000&to=1100&page=2&page_size=20');
      expect(await page.$$eval('#draws-table tbody tr', (trs) => trs.map((tr) => Number(tr.getAttribute('data-round'))))).toEqual(second.items.map((d) => d.round));
    }

    // Error paths: the API's 422 beside "from", and a round that is not stored beside the lookup.
    await page.fill('#f-from', '1200');
    await page.fill('#f-to', '1100');
    await page.click('#apply-filters');
    await page.waitForFunction(() => (document.getElementById('f-from-error')?.textContent ?? '') !== '');
    // Worded in the page's language from the code and field, not the server's English.
    expect(await page.textContent('#f-from-error')).toBe('시작 회차는 끝 회차보다 클 수 없습니다.');
    await page.fill('#round-lookup', '99999');
    await page.press('#round-lookup', 'Enter');
    await page.waitForFunction(() => (document.getElementById('round-lookup-error')?.textContent ?? '') !== '');
    expect(await page.textContent('#round-lookup-error')).toContain('99999');
    await page.fill('#round-lookup', '1240');
    await page.press('#round-lookup', 'Enter');
    await page.waitForSelector('#lookup-result .draw-card[data-round="1240"]');
    const tierCells = () => page.$$eval('#lookup-result table.prizes tbody tr', (trs) => trs.map((tr) => Array.from(tr.children).map((c) => c.textContent?.trim() ?? '')));
    // Round 1240: tier 1 is known, tiers 2–5 and the split are not (no source had them): said so, never 0.
    const t1240 = await tierCells();
    expect(t1240.map((r) => r[0])).toEqual(['1등', '2등', '3등', '4등', '5등']);
    expect(t1240[1].slice(2)).toEqual(['알 수 없음', '알 수 없음']);
    // Round 1220: all five tiers and the auto/manual/semi-auto split, as the API has them.
    await page.fill('#round-lookup', '1220');
    await page.press('#round-lookup', 'Enter');
    await page.waitForSelector('#lookup-result .draw-card[data-round="1220"]');
    const r1220 = await apiGet<DrawItem>('/api/draws/1220');
    const t1220 = await tierCells();
    expect(t1220.map((r) => r[2])).toEqual(r1220.prizes.map((p) => `${p.winners!.toLocaleString('ko-KR')}명`));
    expect(t1220.map((r) => r[3])).toEqual(r1220.prizes.map((p) => `${p.prize_each!.toLocaleString('ko-KR')}원`));
    const s = r1220.first_prize_split!;
    expect(await page.textContent('#lookup-result .first-split')).toContain(`자동 ${s.auto} · 수동 ${s.manual} · 반자동 ${s.semi_auto}`);
    expect(consoleSink.errors.filter((e) => !/status of (404|422)/.test(e))).toEqual([]);
    consoleSink.errors.length = 0;

    await page.fill('#f-from', '');
    await page.fill('#f-to', '');
    await page.selectOption('#f-machine', 'all');
    await page.click('#apply-filters');
    await page.waitForSelector('#draws-table tbody tr');
    await bothSizes('history');
  });

  it('Statistics: hot and cold numbers per machine equal the API for the chosen window, and every chart draws', async () => {
    await openPage(page, server.url, 'statistics');
    await page.selectOption('#s-window', '300');
    await page.waitForFunction(() => document.querySelectorAll('#stats-dist .chart').length === 3);
    for (const m of [1, 2, 3]) {
      const a = await apiGet<{ number_frequency: { most_frequent: number[]; least_frequent: number[] } }>(`/api/statistics/machine-analysis/${m}?rounds=300`);
      await page.waitForFunction(
        ([sel, want]) => Array.from(document.querySelectorAll(`${sel} .ball`)).map((b) => b.textContent).join(',') === want,
        [`.card[data-machine="${m}"] .hot`, a.number_frequency.most_frequent.join(',')] as const,
      );
      expect(await ballsIn(page, `.card[data-machine="${m}"] .cold`)).toEqual(a.number_frequency.least_frequent);
    }
    const charts = await renderedCharts(page);
    expect(charts.length).toBe(5); // heatmap, since last seen, sum, AC, odd count
    expect(charts.every((n) => n > 10)).toBe(true);
    expect(await page.textContent('#stats-dist')).toContain('8,145,060');
    expect(consoleSink.errors).toEqual([]);
    await bothSizes('statistics');
  });

  it('Does it predict?: the stored backtest\'s own conclusion on top, every method against chance, fairness in plain words', async () => {
    await openPage(page, server.url, 'backtest');
    const list = await apiGet<{ items?: Array<{ id: string }> } | Array<{ id: string }>>('/api/backtests');
    const items = Array.isArray(list) ? list : (list.items ?? []);
    const detail = await apiGet<{ summary: { conclusion: { ko: string }; chance: { prize_tier_probabilities: Record<string, number> }; overall: { methods: Array<{ method: string }> } } }>(`/api/backtests/${items[0].id}`);
    await page.waitForSelector('#bt-conclusion');
    expect((await page.textContent('#bt-conclusion .conclusion-text'))?.trim()).toBe(detail.summary.conclusion.ko.trim());
    expect(await page.$$eval('#methods-table tbody tr', (trs) => trs.map((t) => t.getAttribute('data-method')))).toEqual(detail.summary.overall.methods.map((m) => m.method));
    expect(await page.$$eval('#tiers-table tbody tr:not(.prob-row)', (trs) => trs.length)).toBe(detail.summary.overall.methods.length);
    // Prize tiers sit beside their probabilities: 5th prize (3 matches) is 2.24% a ticket.
    expect(await page.textContent('#tiers-table .prob-row td:first-of-type')).toBe(`${(detail.summary.chance.prize_tier_probabilities['5'] * 100).toFixed(2)}%`);

    const fair = await apiGet<{ scopes: Array<{ conclusion: { ko: string } }> }>('/api/statistics/fairness');
    await page.waitForSelector('#fairness .fair-conclusion');
    const shown = await page.$$eval('#fairness .fair-conclusion', (ps) => ps.map((p) => p.textContent?.trim()));
    expect(shown).toEqual(fair.scopes.map((s) => s.conclusion.ko.trim()));
    expect((await renderedCharts(page)).every((n) => n > 0)).toBe(true);
    // Scope switch: a machine's own figures.
    await page.selectOption('#bt-scope', '1');
    await page.waitForSelector('#methods-table');
    expect(consoleSink.errors).toEqual([]);
    await bothSizes('backtest', async () => {
      await page.waitForSelector('#fairness .fair-conclusion');
    });
  });

  it('My predictions: a scored prediction highlights exactly the drawn numbers and shows the API\'s prize ranks', async () => {
    await openPage(page, server.url, 'mine');
    await page.waitForSelector(`.mine[data-id="${scoredId}"]`);
    const stored = await apiGet<StoredPrediction>(`/api/predictions/${scoredId}`);
    expect(stored.status).toBe('scored');
    const draw = await apiGet<DrawItem>(`/api/draws/${stored.metadata.target_round}`);
    const drawn = new Set(draw.numbers);
    const rows = await page.$$eval(`.mine[data-id="${scoredId}"] .mine-set`, (lis) =>
      lis.map((li) => ({
        numbers: Array.from(li.querySelectorAll('.ball')).map((b) => Number(b.textContent)),
        hits: Array.from(li.querySelectorAll('.ball.hit')).map((b) => Number(b.textContent)),
        badge: li.querySelector('.badge')?.textContent ?? '',
      })),
    );
    expect(rows.map((r) => r.numbers)).toEqual(stored.predictions.map((p) => p.numbers));
    for (const [i, r] of rows.entries()) {
      const p = stored.predictions[i];
      // Highlights computed independently from the draw, and the count the API scored.
      expect(r.hits).toEqual(p.numbers.filter((n) => drawn.has(n)));
      expect(r.hits.length).toBe(p.matches);
      if (p.prize_rank !== null) expect(r.badge).toContain(`${p.prize_rank}등`);
      else expect(r.badge).toContain(`${p.matches}개 일치`);
    }
    expect((await renderedCharts(page)).every((n) => n > 0)).toBe(true);

    await bothSizes('mine');

    // Error path: an id that is not stored.
    await page.fill('#prediction-id', 'no-such-prediction');
    await page.press('#prediction-id', 'Enter');
    await page.waitForFunction(() => (document.getElementById('prediction-id-error')?.textContent ?? '') !== '');
    expect(await page.textContent('#prediction-id-error')).toBe('그 예측을 찾을 수 없습니다.');
    expect(consoleSink.errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
    consoleSink.errors.length = 0;
  });

  it('System: health and metrics as the API reports them, and a clear message when the server goes away', async () => {
    await openPage(page, server.url, 'system');
    const health = await apiGet<{ status: string; database: { latest_round: number }; reason_codes: string[] }>('/api/monitoring/health');
    expect(await page.getAttribute('#health-status .pill', 'data-status')).toBe(health.status);
    // The test server has no trained models: the reason is shown in Korean, from its code.
    expect(health.reason_codes).toContain('no_models');
    expect(await page.$$eval('#health-status .reasons li', (els) => els.map((e) => e.textContent))).toHaveLength(health.reason_codes.length);
    expect(await page.textContent('#health-status .reasons')).toContain('학습된 모델이 없어');
    expect(await page.textContent('#health')).toContain(health.database.latest_round.toLocaleString('ko-KR'));
    await page.waitForSelector('#metrics-tiles');
    expect((await renderedCharts(page)).every((n) => n > 0)).toBe(true);
    expect(consoleSink.errors).toEqual([]);
    await bothSizes('system');
  });

  it('a server that is retraining shows the progress it reports, in the banner and on the System page', async () => {
    const p = await ctx.newPage();
    const sink = watchConsole(p);
    await p.addInitScript(() => localStorage.setItem('hogi.lang', 'ko'));
    // Two of six models done, machine 1's Transformer at epoch 12 of 20.
    const training = {
      running: true,
      models_total: 6,
      models_done: 2,
      current: { key: 'transformer-m1-small', family: 'transformer', machine: 1, value: 12, total: 20 },
      fraction: (2 + 12 / 20) / 6,
      started_at: new Date().toISOString(),
    };
    // The server's own health answer as it reads mid-retrain (test/service/scheduler.test.ts checks that the
    // server produces this object from the training events; a real retrain is too slow for this suite).
    await p.route('**/api/monitoring/health', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { components: { sync: Record<string, unknown> } };
      body.components.sync = { ...body.components.sync, phase: 'training', training };
      await route.fulfill({ response: res, json: body });
    });
    await openPage(p, server.url, 'system');
    const pct = Math.round(training.fraction * 100);
    await p.waitForSelector('#banner-training');
    expect(await p.$eval('#banner-training', (el) => (el as HTMLProgressElement).value)).toBe(pct);
    expect(await p.textContent('#banner')).toContain(`${pct}%`);
    expect(await p.textContent('#banner-training-detail')).toContain('1호기 Transformer 12/20 에폭');
    await p.waitForSelector('#training progress');
    expect(await p.$eval('#training progress', (el) => (el as HTMLProgressElement).value)).toBe(pct);
    expect(await p.textContent('#training')).toContain('1호기 Transformer 12/20 에폭');
    await screenshot(p, 'system-training-desktop');
    await p.setViewportSize(PHONE);
    // Charts resize on the next frames after the viewport shrinks (ResizeObserver); let the layout settle.
    const overflow = await p
      .waitForFunction(() => document.documentElement.scrollWidth - window.innerWidth <= 0, undefined, { timeout: 5000 })
      .then(() => 0)
      .catch(() => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth));
    expect(overflow, 'the training banner scrolls sideways at 375 px').toBeLessThanOrEqual(0);
    await screenshot(p, 'system-training-phone');
    expect(sink.errors).toEqual([]);
    await p.close();
  });

  it('text meets WCAG AA contrast (4.5:1) on the pages with the most colour', async () => {
    for (const id of ['mine', 'history', 'predict']) {
      await openPage(page, server.url, id);
      if (id === 'predict') {
        await page.click('#generate');
        await page.waitForSelector('#result .set');
      }
      const low = await page.evaluate(() => {
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const background = (el: Element | null): number[] => {
          for (let e = el; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c.length >= 3 && (c.length < 4 || c[3] > 0.9)) return c;
          }
          return [255, 255, 255];
        };
        const out: string[] = [];
        for (const el of Array.from(document.querySelectorAll('main *, header *'))) {
          const own = Array.from(el.childNodes).some((n: ChildNode) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim());
          if (!own || (el as HTMLElement).offsetParent === null) continue;
          const fg = lum(rgb(getComputedStyle(el).color));
          const bg = lum(background(el));
          const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
          if (ratio < 4.5) out.push(`${el.tagName}.${el.className} "${(el.textContent ?? '').trim().slice(0, 20)}" ${ratio.toFixed(2)}`);
        }
        return out;
      });
      expect(low, id).toEqual([]);
    }
  });

  it('English toggle: remembered across reloads, and every control has a name', async () => {
    await openPage(page, server.url, 'history');
    await page.click('#lang-toggle');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.textContent('nav.tabs')).toContain('History');
    await page.reload();
    await page.waitForSelector('main[data-ready="true"]');
    expect(await page.textContent('h1')).toBe('Draw history');
    await page.waitForSelector('#draws-table');
    await screenshot(page, 'history-desktop-en');
    // Every control has an accessible name.
    const unnamed = await page.$$eval('input, select, button', (els) =>
      els.filter((el) => {
        const id = el.id;
        const labelled = (id && document.querySelector(`label[for="${id}"]`)) || el.getAttribute('aria-label') || el.closest('label') || (el.textContent ?? '').trim();
        return !labelled;
      }).map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);
    await page.click('#lang-toggle');
    await page.waitForFunction(() => document.documentElement.lang === 'ko');
  });

  it('an empty database shows how to load data on every page instead of errors', async () => {
    const p = await ctx.newPage();
    const sink = watchConsole(p);
    for (const id of ['predict', 'history', 'statistics', 'backtest', 'mine', 'system']) {
      await openPage(p, empty.url, id);
      if (id === 'predict') {
        await p.click('#generate');
        await p.waitForSelector('.form-error .empty, .form-error .alert');
      }
      if (id === 'backtest') await p.waitForSelector('#fairness .empty');
      await p.waitForSelector('#banner code');
      const text = (await p.textContent('body')) ?? '';
      expect(text, id).toContain('hogi sync');
      if (id === 'history') await screenshot(p, 'empty-history-desktop');
    }
    // NO_DATA answers are expected 409s; nothing else may reach the console.
    expect(sink.errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
    await p.close();
  });

  it('a server that stops answering is reported in plain words', async () => {
    await openPage(page, server.url, 'system');
    await server.stop();
    await page.click('#refresh');
    await page.waitForFunction(() => /서버에 연결할 수 없습니다/.test(document.getElementById('health')?.textContent ?? ''));
  });
});
