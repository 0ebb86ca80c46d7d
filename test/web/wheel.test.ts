// The wheel section of the generate page in a real browser against a real `hogi serve` over the
// shipped history (its prize tiers let the popularity model fit, so wheels come least-shared). It
// makes a wheel, shows the same tickets the API gives, words the proof in the page language, saves
// the wheel as tickets, and puts the API's refusal next to the field at fault.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { drawsRepo } from '../../src/data/drawsRepo.js';
import { loadHistoryDraws } from '../helpers/history.js';
import { ensureWebBuild, launchBrowser, openPage, screenshot, startHogi, watchConsole, type HogiServer } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'hogi-wheel-'));
let server: HogiServer;
let ctx: BrowserContext;
let page: Page;
let consoleSink: { errors: string[] };
const POOL = [3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 42, 45];

beforeAll(async () => {
  ensureWebBuild();
  const models = join(dir, 'models');
  mkdirSync(models);
  const conn = openDb(join(dir, 'hogi.db'));
  drawsRepo(conn).upsertMany(loadHistoryDraws(), '2026-01-01T00:00:00Z');
  conn.close();
  [server, ctx] = await Promise.all([startHogi(join(dir, 'hogi.db'), models), launchBrowser()]);
  page = await ctx.newPage();
  consoleSink = watchConsole(page);
}, 120_000);

afterAll(async () => {
  await ctx?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function pickPool(numbers: number[]): Promise<void> {
  await page.click('#wheel button:has-text("모두 지우기")');
  for (const n of numbers) await page.click(`#wheel-picker button[data-n="${n}"]`);
}

describe('wheel section of the generate page', () => {
  it('makes the 12-number 4if6 wheel: the API tickets, the cost and the proof in Korean', async () => {
    await openPage(page, server.url, 'predict');
    await page.waitForSelector('#wheel');
    await pickPool(POOL);
    await page.selectOption('#wheel-guarantee', '4if6');
    await page.click('#wheel-make');
    await page.waitForSelector('#wheel-tickets li');
    const shown = await page.$$eval('#wheel-tickets li', (lis) => lis.map((li) => li.getAttribute('data-numbers')));
    const api = (await (
      await fetch(`${server.url}/api/wheels`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pool: POOL, guarantee: { match: 4, if: 6 } }) })
    ).json()) as { tickets: number[][]; cost: { total_won: number } };
    expect(shown).toEqual(api.tickets.map((t) => t.join(',')));
    expect(await page.textContent('#wheel-title')).toContain(`${api.tickets.length}장 · ${api.cost.total_won.toLocaleString('ko-KR')}원`);
    expect(await page.textContent('#wheel-proof')).toMatch(/검증됨: 당첨 번호 중 6개가 풀에 들어오는 924가지/);
    expect(await page.textContent('#wheel-sharing')).toMatch(/공유 최소화: 티켓들의 1–3등 예측 공동당첨 비율 평균 [0-9.]+ → [0-9.]+/);
    await screenshot(page, 'wheel-desktop');
  }, 60_000);

  it('saves the shown wheel as tickets of five games for the next round and links to 내 티켓', async () => {
    const shown = await page.$$eval('#wheel-tickets li', (lis) => lis.map((li) => li.getAttribute('data-numbers')));
    await page.click('#wheel-save');
    await page.waitForSelector('#wheel-saved-link');
    const parts = Math.ceil(shown.length / 5);
    expect(await page.textContent('#wheel-saved')).toMatch(new RegExp(`\\d+회용 티켓 ${parts}장으로 저장했습니다 \\(한 장에 5게임, 모두 ${shown.length}게임`));
    expect(await page.isDisabled('#wheel-save')).toBe(true);
    const list = (await (await fetch(`${server.url}/api/tickets?page_size=100`)).json()) as { items: Array<{ label: string; games: Array<{ numbers: number[] }> }> };
    const games = list.items.flatMap((t) => t.games.map((g) => g.numbers.join(',')));
    expect(games.sort()).toEqual([...shown].sort());
    await page.click('#wheel-saved-link');
    await page.waitForFunction(() => location.hash === '#/tickets');
    await page.waitForFunction(() => (document.querySelector('#ticket-list')?.textContent ?? '').includes('휠 4if6'));
    await openPage(page, server.url, 'predict');
    await page.waitForSelector('#wheel');
  }, 60_000);

  it('says at the pool picker that the pool is too small, and shows the API budget refusal in Korean at the budget field', async () => {
    await pickPool([1, 2, 3, 4, 5]);
    await page.click('#wheel-make');
    await page.waitForFunction(() => (document.querySelector('#wheel-pool-error')?.textContent ?? '') !== '');
    expect(await page.getAttribute('#wheel-pool', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#wheel-pool-error')).toMatch(/7~20개의 번호가 필요합니다 \(지금 5개\)/);
    await pickPool([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    await page.selectOption('#wheel-guarantee', '');
    await page.fill('#wheel-budget', '1');
    await page.click('#wheel-make');
    await page.waitForFunction(() => (document.querySelector('#wheel-budget-error')?.textContent ?? '') !== '');
    expect(await page.textContent('#wheel-budget-error')).toMatch(/보장이 없습니다/);
    expect(consoleSink.errors.filter((e) => !/422/.test(e))).toEqual([]);
  }, 60_000);

  it('fits a phone: the generate page with a wheel does not scroll sideways at 375 px', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await openPage(page, server.url, 'predict');
    await pickPool(POOL);
    await page.selectOption('#wheel-guarantee', '3if5');
    await page.fill('#wheel-budget', '');
    await page.click('#wheel-make');
    await page.waitForSelector('#wheel-tickets li');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'wheel-phone');
  }, 60_000);
});
