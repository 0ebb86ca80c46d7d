// The prize-sharing page in a real browser against a real `hogi serve` over real rounds 1060–1238
// (draws + five prize tiers, test fixture): the evidence of a 10-round walk-forward backtest with its
// progress, the same figures the API gives, any combination's score, both languages complete, the
// wording that never promises better odds, and the API's refusals next to the field at fault.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FIXTURE_DRAWS_CSV, FIXTURE_PRIZES_CSV } from '../models/popularity/fixture.js';
import { ensureWebBuild, launchBrowser, renderedCharts, screenshot, startHogi, watchConsole, type HogiServer } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'hogi-pop-'));
const WINDOW = 'from=1229&to=1238&retrain_every=10';
const COMBO = [3, 11, 19, 27, 35, 43];
let server: HogiServer;
let ctx: BrowserContext;
let page: Page;
let consoleSink: { errors: string[] };

interface TierEvidence {
  pearson: number;
  quintiles: Array<{ quintile: number; mean_realized_ratio: number }>;
}
interface Evidence {
  status: string;
  evidence: { tiers: Record<string, TierEvidence>; goals: Array<{ tier: string; met: boolean; applies: boolean }> };
}

async function apiGet<T>(path: string): Promise<{ status: number; body: T }> {
  const r = await fetch(`${server.url}${path}`);
  return { status: r.status, body: (await r.json()) as T };
}

beforeAll(async () => {
  ensureWebBuild();
  const db = join(dir, 'hogi.db');
  expect((await runCli(['--db', db, 'import', FIXTURE_DRAWS_CSV, FIXTURE_PRIZES_CSV])).code).toBe(0);
  const models = join(dir, 'models');
  mkdirSync(models);
  [server, ctx] = await Promise.all([startHogi(db, models), launchBrowser()]);
  page = await ctx.newPage();
  consoleSink = watchConsole(page);
}, 180_000);

afterAll(async () => {
  await ctx?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const hangul = /[가-힣]/;

describe('prize-sharing page', () => {
  it('runs the evidence backtest with a progress bar, then shows per tier the figures the API gives, in Korean', async () => {
    await page.goto(`${server.url}/#/popularity?${WINDOW}`);
    await page.waitForSelector('main[data-ready="true"]');
    // A fresh window: the first answer is 202, so the progress bar shows before the result.
    await page.waitForSelector('#ev-progress');
    await page.waitForSelector('#ev-out[data-status="done"]', { timeout: 120_000 });
    const api = await apiGet<Evidence>(`/api/popularity/evidence?${WINDOW}`);
    expect(api.status).toBe(200);
    for (const k of ['1', '2', '3', '4', '5']) {
      const t = api.body.evidence.tiers[k];
      expect(await page.textContent(`#ev-pearson-${k}`)).toBe(t.pearson.toFixed(3));
      const realized = await page.$$eval(`#ev-quintiles-${k} td[data-realized]`, (tds) => tds.map((td) => Number(td.getAttribute('data-realized'))));
      expect(realized).toEqual(t.quintiles.map((q) => q.mean_realized_ratio));
    }
    const verdicts = await page.$$eval('#ev-goals tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-tier'), r.querySelector('.badge')?.textContent]));
    // A short window is not the goals' own: no verdict, so a lucky ten rounds never reads as "met".
    expect(api.body.evidence.goals.every((g) => !g.applies)).toBe(true);
    expect(verdicts).toEqual(api.body.evidence.goals.map((g) => [g.tier, '판정 안 함 (목표 구간 아님)']));
    expect(await page.textContent('#ev-peers')).toMatch(/0\.613[\s\S]*0\.695/);
    expect(await page.textContent('#ev-honest')).toContain('당첨 확률은 바꾸지 않습니다');
    expect(await page.textContent('#ev-window')).toContain('제 1229–1238회 10회차');
    expect((await renderedCharts(page)).length).toBe(5);
    // Tiers 1–3 show the realized prize per winner by quintile; the fixed tiers do not.
    expect(await page.$$eval('#ev-quintiles-1 thead th', (ths) => ths.map((t) => t.textContent))).toContain('1인당 실제 당첨금');
    expect(await page.$$eval('#ev-quintiles-4 thead th', (ths) => ths.length)).toBe(4);
    await screenshot(page, 'popularity-ko');
  }, 180_000);

  it('scores any combination: the ratio per tier and the prize if won beside an average combination, as the API answers', async () => {
    await page.fill('#pop-numbers', COMBO.join(', '));
    await page.click('#pop-score');
    await page.waitForSelector('#pop-score-table');
    const api = await apiGet<{ ratio: Record<string, number>; expected_prize_if_won: Record<string, { gross: number }> }>(`/api/popularity/score?numbers=${COMBO.join(',')}`);
    const ratios = await page.$$eval('#pop-score-table td[data-ratio]', (tds) => tds.map((td) => Number(td.getAttribute('data-ratio'))));
    expect(ratios).toEqual(['1', '2', '3', '4', '5'].map((k) => api.body.ratio[k]));
    const firstRow = await page.textContent('#pop-score-table tr[data-tier="1"]');
    expect(firstRow).toContain(`${Math.round(api.body.expected_prize_if_won['1'].gross).toLocaleString('ko-KR')}원`);
    expect(await page.textContent('#pop-score-note')).toContain('당첨 확률은 같습니다');
  }, 60_000);

  it('puts a bad window and bad numbers next to their fields, in Korean', async () => {
    await page.fill('#ev-from', '1230');
    await page.fill('#ev-to', '1220');
    await page.click('#ev-run');
    await page.waitForFunction(() => (document.querySelector('#ev-from-error')?.textContent ?? '') !== '');
    expect(await page.getAttribute('#ev-from', 'aria-invalid')).toBe('true');
    await page.fill('#pop-numbers', '1,2,3');
    await page.click('#pop-score');
    await page.waitForFunction(() => (document.querySelector('#pop-numbers-error')?.textContent ?? '') !== '');
    expect(await page.textContent('#pop-numbers-error')).toContain('서로 다른 번호 6개');
    expect(consoleSink.errors.filter((e) => !/422/.test(e))).toEqual([]);
  }, 60_000);

  it('reads completely in English: the evidence (from the cache) and the score, with no Korean left on the page', async () => {
    await page.goto(`${server.url}/#/predict`);
    await page.goto(`${server.url}/#/popularity?${WINDOW}`);
    await page.waitForSelector('main[data-ready="true"]');
    await page.click('#lang-toggle');
    await page.waitForSelector('#ev-out[data-status="done"]', { timeout: 60_000 });
    await page.fill('#pop-numbers', COMBO.join(','));
    await page.click('#pop-score');
    await page.waitForSelector('#pop-score-table');
    await renderedCharts(page);
    // Expand the calibration tables so their text counts too.
    await page.$$eval('details.calibration', (ds) => ds.forEach((d) => d.setAttribute('open', '')));
    const text = await page.innerText('main');
    expect(text.match(hangul)).toBeNull();
    expect(await page.textContent('#ev-honest')).toContain('never the chance of winning');
    expect(await page.textContent('#ev-goals')).toMatch(/Not judged/);
    expect(await page.textContent('#pop-score-note')).toContain('same chance of being drawn');
    expect(text).toContain('Tier 4: predicted vs realized co-winner ratio by predicted quintile');
    await screenshot(page, 'popularity-en');
  }, 120_000);

  it('with draws but no prize tiers stored, says which data to load instead of an error', async () => {
    const db = join(dir, 'draws-only.db');
    expect((await runCli(['--db', db, 'import', FIXTURE_DRAWS_CSV])).code).toBe(0);
    const models = join(dir, 'models-2');
    mkdirSync(models);
    const bare = await startHogi(db, models);
    try {
      const p = await ctx.newPage();
      await p.goto(`${bare.url}/#/popularity`);
      await p.waitForSelector('#ev-out .empty');
      expect(await p.textContent('#ev-out')).toContain('hogi import prizes.csv');
      expect(await p.textContent('#ev-out')).toContain('등수별 당첨 자료가 필요합니다');
      await p.close();
    } finally {
      await bare.stop();
    }
  }, 120_000);

  it('fits a phone: the page does not scroll sideways at 375 px', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${server.url}/#/popularity?${WINDOW}`);
    await page.waitForSelector('#ev-out[data-status="done"]', { timeout: 60_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'popularity-phone');
  }, 60_000);
});
