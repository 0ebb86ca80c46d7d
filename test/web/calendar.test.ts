// The dashboard against a server whose clock says 2026-12-05 21:00 KST (after that Saturday's draw)
// while its history stops at round 1245: the stale-data banner with the rounds missing, the next
// draw counting down, errors worded in Korean, phone tabs that all fit, and generated sets brought
// into view. The history is synthetic (seeded), so no shared data is needed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawDate } from '../../src/domain/calendar.js';
import { createRandom } from '../../src/domain/random.js';
import { runCli } from '../helpers/cli.js';
import { ensureWebBuild, launchBrowser, openPage, startHogi, watchConsole, type HogiServer } from './harness.js';

const LATEST = 1245;
const NOW = '2026-12-05T21:00:00+09:00';
const dir = mkdtempSync(join(tmpdir(), 'hogi-calendar-'));
let server: HogiServer;
let ctx: BrowserContext;

/** 300 seeded draws ending at LATEST, on the calendar's dates, machines 1..3 in turn. */
function syntheticHistory(): { draws: string; machines: string } {
  const rand = createRandom(20261205);
  const draws = ['round,date,n1,n2,n3,n4,n5,n6,bonus,first_prize_each,first_prize_winners,total_sales'];
  const machines = ['round,machine'];
  for (let round = LATEST - 299; round <= LATEST; round++) {
    const picked = Array.from(rand.sampleIndices(45, 7), (i) => i + 1);
    const main = picked.slice(0, 6).sort((a, b) => a - b);
    draws.push(`${round},${drawDate(round)},${main.join(',')},${picked[6]},2000000000,10,110000000000`);
    machines.push(`${round},${(round % 3) + 1}`);
  }
  return { draws: `${draws.join('\n')}\n`, machines: `${machines.join('\n')}\n` };
}

beforeAll(async () => {
  ensureWebBuild();
  const h = syntheticHistory();
  writeFileSync(join(dir, 'draws.csv'), h.draws);
  writeFileSync(join(dir, 'machines.csv'), h.machines);
  const db = join(dir, 'hogi.db');
  const imp = await runCli(['--db', db, 'import', join(dir, 'draws.csv'), join(dir, 'machines.csv')]);
  expect(imp.code, imp.stderr).toBe(0);
  [server, ctx] = await Promise.all([startHogi(db, join(dir, 'models'), { HOGI_NOW: NOW }), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await ctx?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function freshPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const p = await ctx.newPage();
  await p.setViewportSize(viewport);
  return p;
}

describe('draw calendar on the dashboard', () => {
  it('shows the stale-data banner with the 8 rounds missing and how to fetch them', async () => {
    const p = await freshPage();
    await openPage(p, server.url, 'predict');
    await p.waitForSelector('#stale-data');
    const text = (await p.textContent('#banner')) ?? '';
    expect(text).toMatch(/8회차 뒤처져/);
    expect(text).toMatch(/제1253회.*제1245회/);
    expect(text).toContain('hogi sync');
    expect(text).toContain('hogi import');
    await p.close();
  });

  it('shows the next draw in the header and counts down on the server clock', async () => {
    const p = await freshPage();
    await openPage(p, server.url, 'history');
    await p.waitForSelector('#next-draw:not([hidden])');
    // Server time 21:00 KST Saturday; the next draw is a week less 25 minutes away.
    expect(await p.textContent('#next-draw')).toMatch(/^다음 추첨 제1254회 · 12월 12일 \(토\) 20:35 · 6일 23시간 3[45]분 남음$/);
    await p.close();

    // The last hour, second by second: health answered as if 40 minutes before the draw, then the page's clock runs 5 s.
    const q = await freshPage();
    const real = (await (await fetch(`${server.url}/api/monitoring/health`)).json()) as { timestamp: string; components: { database: { freshness: { next_draw_at: string } } } };
    const body = JSON.stringify({ ...real, timestamp: new Date(Date.parse(real.components.database.freshness.next_draw_at) - 40 * 60_000).toISOString() });
    await q.route('**/api/monitoring/health', (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
    await q.clock.install();
    await openPage(q, server.url, 'history');
    await q.waitForSelector('#next-draw:not([hidden])');
    expect(await q.textContent('#next-draw')).toMatch(/· 40:00 남음$/);
    await q.clock.runFor(5_000);
    // The display ticks once a second, so 5 s later it reads 39:55 or (between ticks) 39:56.
    expect(await q.textContent('#next-draw')).toMatch(/· 39:5[56] 남음$/);
    await q.close();
  });

  it('targets the next undrawn round: the sets say round 1254, scroll into view and take focus, worded as rankings', async () => {
    const p = await freshPage();
    const sink = watchConsole(p);
    await openPage(p, server.url, 'predict');
    await p.selectOption('#algorithm', 'basic');
    await p.click('#generate');
    await p.waitForSelector('#result .set');
    expect(await p.textContent('#result-title')).toContain('제 1254회');
    await p.waitForFunction(() => document.activeElement?.id === 'result-title');
    // Smooth scrolling settles with the result's top inside the window.
    await p.waitForFunction(() => {
      const top = document.getElementById('result')!.getBoundingClientRect().top;
      return top >= 0 && top < window.innerHeight / 2;
    });
    const card = (await p.textContent('#result .set')) ?? '';
    expect(card).toContain('빈도 기준선 순위 백분위');
    expect(card).toContain('실제(무작위) 0.8');
    expect(card).not.toMatch(/^백분위|기대 일치 [\d.]+ \/ /);
    expect(await p.textContent('#score-legend')).toMatch(/순위일 뿐 당첨 확률이 아님.*정확히 0\.8/);
    expect(sink.errors).toEqual([]);
    await p.close();
  });

  it('words an API refusal in Korean beside the field, never the server\'s English message', async () => {
    const p = await freshPage();
    await openPage(p, server.url, 'predict');
    await p.fill('#sets-count', '25');
    await p.click('#generate');
    await p.waitForFunction(() => (document.getElementById('sets-count-error')?.textContent ?? '') !== '');
    const shown = (await p.textContent('#sets-count-error')) ?? '';
    expect(shown).toBe('세트 수는 20 이하여야 합니다.');
    expect(shown).not.toMatch(/must be/);
    await p.close();
  });

  it('the System page in Korean has no English sentence, and says the data is behind', async () => {
    const p = await freshPage();
    await openPage(p, server.url, 'system');
    await p.waitForSelector('#health-status');
    await p.waitForSelector('#metrics-tiles');
    const text = await p.evaluate(() => {
      const main = document.querySelector('main')!.cloneNode(true) as HTMLElement;
      // Commands, model keys and routes are code, not sentences.
      Array.from(main.querySelectorAll('code, .mono, .chart, details > p')).forEach((el) => el.remove());
      return main.innerText;
    });
    expect(text).toMatch(/8회차/);
    const english = text.match(/\b[A-Za-z]{2,}(?:[ ,]+[a-z]{2,}){2,}/g) ?? [];
    expect(english).toEqual([]);
    await p.close();
  });

  it('on a phone, all eight tabs are visible and none is clipped', async () => {
    const p = await freshPage({ width: 375, height: 812 });
    await openPage(p, server.url, 'predict');
    const tabs = await p.$$eval('nav.tabs .tab', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { text: e.textContent, left: r.left, right: r.right, clipped: e.scrollWidth > e.clientWidth + 1 };
      }),
    );
    expect(tabs).toHaveLength(8);
    expect(tabs.map((t) => t.text)).toEqual(expect.arrayContaining(['당첨금 나눔', '내 예측', '내 티켓', '시스템']));
    for (const t of tabs) {
      expect(t.left, t.text ?? '').toBeGreaterThanOrEqual(0);
      expect(t.right, t.text ?? '').toBeLessThanOrEqual(375);
      expect(t.clipped, t.text ?? '').toBe(false);
    }
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await p.close();
  });
});
