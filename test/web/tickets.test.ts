// 내 티켓 · My tickets in chromium against a real `hogi serve` on fixture draws (never the reference data folder beside the clone):
// paste the QR text, confirm, and the ticket appears checked with its prize after tax; a rotated,
// blurred photo through the file input; the camera path with chromium's fake camera fed the QR.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { CHROMIUM, ensureWebBuild, launchBrowser, openPage, screenshot, SCREENSHOTS, startHogi, watchConsole, type HogiServer } from './harness.js';
import { qrRaster, writeBmp, writeY4m } from './qrImages.js';

const dir = mkdtempSync(join(tmpdir(), 'hogi-tickets-web-'));
// Round 2 (9 13 21 25 32 42 + 2): A wins 1st; B matches three (5th; its amount is not in the draws table).
const QR_PASTE = 'http://m.dhlottery.co.kr/?v=0002m091321253242q010304091321n000000000000n000000000000n0000000000001111111111';
const QR_PHOTO = 'https://qr.dhlottery.co.kr/?v=0003s111619212731n000000000000n000000000000n000000000000n000000000000222222222222222222';
const QR_CAMERA = 'https://m.dhlottery.co.kr/qr.do?method=winQr&v=0003q010203040506n000000000000n000000000000n000000000000n0000000000003333333333';

let server: HogiServer;
let ctx: BrowserContext;
let page: Page;
let consoleSink: { errors: string[] };

interface TicketJson {
  id: number;
  round: number;
  source: string;
  status: string;
  games: Array<{ slot: string; type: string; numbers: number[]; result: { rank: number | null; prize_net: number | null } | null }>;
}
async function tickets(): Promise<TicketJson[]> {
  const r = await fetch(`${server.url}/api/tickets?page_size=100`);
  return ((await r.json()) as { items: TicketJson[] }).items;
}

beforeAll(async () => {
  ensureWebBuild();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const csv = join(dir, 'draws.csv');
  writeFileSync(
    csv,
    [
      'round,date,n1,n2,n3,n4,n5,n6,bonus,first_prize_each,first_prize_winners,total_sales',
      '1,2002-12-07,10,23,29,33,37,40,16,0,0,3681782000',
      '2,2002-12-14,9,13,21,25,32,42,2,2002006800,1,4904274000',
      '3,2002-12-21,11,16,19,21,27,31,30,2000000000,1,4729342000',
    ].join('\n') + '\n',
  );
  const db = join(dir, 'hogi.db');
  expect((await runCli(['--db', db, 'import', csv])).code).toBe(0);
  const models = join(dir, 'models');
  mkdirSync(models);
  // The server's clock sits between rounds 3 and 4, so predictions target round 4 (the draw
  // calendar's next undrawn round) and the history is not stale.
  [server, ctx] = await Promise.all([startHogi(db, models, { HOGI_NOW: '2002-12-23T12:00:00+09:00' }), launchBrowser()]);
  page = await ctx.newPage();
  consoleSink = watchConsole(page);
}, 120_000);

afterAll(async () => {
  await ctx?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('My tickets in chromium', () => {
  it('paste the QR text, see what was read, confirm: the ticket appears checked with its prize after tax', async () => {
    await openPage(page, server.url, 'tickets');
    await page.fill('#qr-text', QR_PASTE);
    await page.click('#qr-read');
    await page.waitForSelector('#ticket-save');
    // What was read, before anything is stored.
    expect(await page.textContent('#ticket-preview')).toContain('제 2회');
    expect(await page.$$eval('#ticket-preview .ticket-game', (rows) => rows.map((r) => r.getAttribute('data-slot')))).toEqual(['A', 'B']);
    expect(await page.textContent('#ticket-preview')).not.toContain('1111111111');
    expect(await tickets()).toEqual([]);

    await page.click('#ticket-save');
    await page.waitForSelector('#ticket-list .ticket[data-status="checked"]');
    const text = await page.textContent('#ticket-list .ticket');
    expect(text).toContain('1등');
    expect(text).toContain('1,374,344,886'); // 2,002,006,800 less 33%/22% tax
    expect(text).toContain('5등 · 당첨금 집계 전');
    const [t] = await tickets();
    expect(t).toMatchObject({ round: 2, status: 'checked' });
    expect(t.games.map((g) => g.result?.rank)).toEqual([1, 5]);
    expect(await page.textContent('#ledger-stats')).toContain('1,374,344,886');
    await page.waitForSelector('#ledger .chart[data-rendered="true"]');
    await screenshot(page, 'tickets-desktop');
    await page.setViewportSize({ width: 375, height: 812 });
    await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth);
    await screenshot(page, 'tickets-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    const unnamed = await page.$$eval('main input, main button, main textarea', (els) =>
      els.filter((e) => !(e.getAttribute('aria-label') || e.textContent?.trim() || (e.id && document.querySelector(`label[for="${e.id}"]`)))).map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);

    // The same ticket again: refused with the first one's number, nothing more stored.
    await page.fill('#qr-text', QR_PASTE);
    await page.click('#qr-read');
    await page.click('#ticket-save');
    await page.waitForFunction(() => document.querySelector('#ticket-status')?.textContent?.includes('이미 저장된'));
    expect(await tickets()).toHaveLength(1);
    expect(consoleSink.errors.filter((e) => !e.includes('409'))).toEqual([]);
  }, 60_000);

  it('a rotated, slightly blurred photo of the QR given to the file input reads and saves', async () => {
    const photo = join(dir, 'ticket.bmp');
    writeBmp(photo, qrRaster(QR_PHOTO, { width: 640, height: 480, moduleSize: 7, rotateDeg: 23, blur: 1 }));
    await page.reload();
    await page.waitForSelector('main[data-ready="true"]');
    expect(await page.textContent('label[for="qr-photo"]')).toBe('티켓 사진 선택 · Choose a photo of the ticket');
    await page.setInputFiles('#qr-photo', photo);
    await page.waitForFunction(() => document.querySelector('#ticket-preview')?.textContent?.includes('제 3회'), undefined, { timeout: 20_000 });
    const before = (await tickets()).length;
    await page.click('#ticket-save');
    await page.waitForFunction((n) => document.querySelectorAll('#ticket-list .ticket').length === n, before + 1);
    const photoTicket = (await tickets()).find((t) => t.round === 3);
    expect(photoTicket?.games).toEqual([expect.objectContaining({ slot: 'A', type: 'semi_auto', numbers: [11, 16, 19, 21, 27, 31], result: expect.objectContaining({ rank: 1 }) })]);
  }, 60_000);

  it('the camera (chromium’s fake camera showing the QR) reads the ticket and saves it after confirmation', async () => {
    const video = join(dir, 'camera.y4m');
    writeY4m(video, qrRaster(QR_CAMERA, { width: 480, height: 360, moduleSize: 8, rotateDeg: -8 }));
    let browser: Browser | null = null;
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
      });
      const cam = await browser.newPage();
      await openPage(cam, server.url, 'tickets');
      await cam.click('#camera-start');
      await cam.waitForSelector('#ticket-save', { timeout: 30_000 });
      expect(await cam.textContent('#ticket-preview')).toContain('제 3회');
      const before = (await tickets()).length;
      await cam.click('#ticket-save');
      await cam.waitForFunction((n) => document.querySelectorAll('#ticket-list .ticket').length === n, before + 1);
      const t = (await tickets()).find((x) => x.games[0].numbers.join() === '1,2,3,4,5,6');
      expect(t).toMatchObject({ round: 3, status: 'checked', games: [{ type: 'auto', result: { rank: null } }] });
    } finally {
      await browser?.close();
    }
  }, 90_000);

  it('the Generate page saves a machine’s sets as a ticket of the target round in one click', async () => {
    await openPage(page, server.url, 'predict');
    await page.fill('#sets-count', '3');
    await page.selectOption('#algorithm', 'basic');
    await page.click('#generate');
    await page.waitForSelector('#result [data-action="save-ticket"]', { timeout: 30_000 });
    const before = (await tickets()).length;
    await page.click('#result [data-action="save-ticket"] >> nth=0');
    await page.waitForSelector('#result a[href="#/tickets"]');
    const all = await tickets();
    expect(all).toHaveLength(before + 1);
    const saved = all.find((t) => t.source === 'prediction');
    expect(saved).toMatchObject({ round: 4, status: 'pending' });
    expect(saved?.games).toHaveLength(3);
  }, 60_000);
});
