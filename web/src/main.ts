import './style.css';
import { api, ApiFailure } from './api.js';
import { disposeCharts } from './charts.js';
import { append, clear, h } from './dom.js';
import { L, lang, setLang } from './i18n.js';
import { backtestPage } from './pages/backtest.js';
import { historyPage } from './pages/history.js';
import { minePage } from './pages/mine.js';
import { popularityPage } from './pages/popularity.js';
import { predictPage } from './pages/predict.js';
import { statisticsPage } from './pages/statistics.js';
import { systemPage } from './pages/system.js';
import { ticketsPage } from './pages/tickets.js';
import { freshnessOf, msUntilDraw, nextDrawText, staleText } from './drawCalendar.js';
import { cyclePhase, phaseLabel, trainingLabel, trainingOf, trainingPercent } from './training.js';
import type { Health } from './types.js';
import { errorBox } from './ui.js';

export interface Page {
  id: string;
  title(): string;
  render(main: HTMLElement): Promise<void>;
}

const PAGES: Page[] = [predictPage, historyPage, statisticsPage, backtestPage, popularityPage, minePage, ticketsPage, systemPage];

const nav = h('nav', { class: 'tabs', 'aria-label': 'Main' });
const langButton = h('button', { type: 'button', class: 'lang', id: 'lang-toggle' });
const nextDraw = h('p', { class: 'next-draw', id: 'next-draw', 'aria-live': 'off' });
const banner = h('div', { class: 'banner', id: 'banner', role: 'status', 'aria-live': 'polite' });
const main = h('main', { id: 'main', tabindex: '-1' });
const footer = h('footer', { class: 'foot' });

function currentPage(): Page {
  const id = location.hash.replace(/^#\/?/, '').split(/[?/]/)[0];
  return PAGES.find((p) => p.id === id) ?? PAGES[0];
}

function renderChrome(): void {
  const active = currentPage();
  clear(nav);
  nav.setAttribute('aria-label', L('주 메뉴', 'Main menu'));
  for (const p of PAGES) {
    nav.append(h('a', { href: `#/${p.id}`, class: p === active ? 'tab active' : 'tab', 'aria-current': p === active ? 'page' : null }, p.title()));
  }
  langButton.textContent = lang() === 'ko' ? 'English' : '한국어';
  langButton.setAttribute('aria-label', lang() === 'ko' ? 'Switch to English' : '한국어로 보기');
  langButton.setAttribute('lang', lang() === 'ko' ? 'en' : 'ko');
  clear(footer);
  footer.append(
    h('p', {}, L(
      '로또 6/45의 모든 조합은 매 회 같은 확률(1/8,145,060)로 뽑힙니다. hogi는 그 사실을 숨기지 않습니다.',
      'Every Lotto 6/45 combination has the same chance each draw (1 in 8,145,060). hogi does not pretend otherwise.',
    )),
    h('p', {}, h('a', { href: '/docs' }, L('API 문서', 'API docs')), ' · ', h('a', { href: '/openapi.json' }, 'OpenAPI'), ' · ', h('a', { href: '#/system' }, L('시스템 상태', 'System status'))),
  );
  document.title = `${active.title()} · hogi`;
}

let renderToken = 0;

async function route(focus: boolean): Promise<void> {
  const page = currentPage();
  const token = ++renderToken;
  disposeCharts();
  renderChrome();
  clear(main);
  main.dataset.page = page.id;
  main.removeAttribute('data-ready');
  try {
    await page.render(main);
  } catch (e) {
    if (token === renderToken) main.append(errorBox(e));
  }
  if (token !== renderToken) return;
  main.setAttribute('data-ready', 'true');
  if (focus) main.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
}

// ---- server state banner: an empty database, a running retrain, an unreachable server --------

let lastHealth: Health | null = null;

export function latestHealth(): Health | null {
  return lastHealth;
}

function showBanner(health: Health | null, failure: unknown): void {
  clear(banner);
  banner.className = 'banner';
  if (failure) {
    banner.classList.add('banner-error');
    banner.append(L('서버에 연결할 수 없습니다. 잠시 후 다시 시도합니다.', 'The server cannot be reached. Retrying shortly.'));
    return;
  }
  if (!health) return;
  const phase = cyclePhase(health);
  const training = trainingOf(health);
  // Swapping follows training within a second; it keeps the retrain message, without a bar.
  if (training || phase === 'training' || phase === 'swapping') {
    banner.classList.add('banner-info');
    const pct = training ? trainingPercent(training) : null;
    append(banner, [
      h('span', {}, L('모델을 학습하는 중입니다. 그동안에도 번호 생성은 이전 모델로 계속됩니다.', 'Models are being retrained; predictions keep using the previous models meanwhile.')),
      pct === null
        ? null
        : h('progress', { id: 'banner-training', max: 100, value: pct, 'aria-label': L('학습 진행률', 'Training progress') }),
      pct === null ? null : h('span', { class: 'mono' }, `${pct}%`),
      h('span', { class: 'muted', id: 'banner-training-detail' }, training ? trainingLabel(training, lang()) : phase ? phaseLabel(phase, lang()) : ''),
    ]);
    return;
  }
  if (phase) {
    banner.classList.add('banner-info');
    banner.append(L(`주간 갱신 진행 중: ${phaseLabel(phase, 'ko')}`, `Weekly update in progress: ${phaseLabel(phase, 'en')}`));
    return;
  }
  if (health.database.total_draws === 0) {
    banner.classList.add('banner-warn');
    banner.append(
      h('span', {},
        L('데이터베이스가 비어 있습니다. 터미널에서 ', 'The database is empty. Load the history with '),
        h('code', {}, 'hogi sync'),
        L(' 또는 ', ' or '),
        h('code', {}, 'hogi import FILE'),
        L('로 기록을 불러오세요.', ' in a terminal.'),
      ),
    );
    return;
  }
  const stale = staleText(freshnessOf(health), lang());
  if (stale) {
    banner.classList.add('banner-warn');
    append(banner, [
      h('span', { id: 'stale-data' }, stale, ' ',
        L('터미널에서 ', 'Fetch them with '), h('code', {}, 'hogi sync'), L('(인터넷 필요) 또는 ', ' (needs the internet) or '), h('code', {}, 'hogi import FILE'),
        L('로 빠진 회차를 불러오세요.', ' in a terminal.')),
    ]);
  }
}

// ---- the next draw, counting down on the server's clock --------------------------------------------

let healthAt = 0;

function showNextDraw(): void {
  const health = lastHealth;
  const f = freshnessOf(health);
  if (!health || !f) {
    nextDraw.hidden = true;
    return;
  }
  const ms = msUntilDraw(health, performance.now() - healthAt);
  if (ms === null) return;
  nextDraw.hidden = false;
  nextDraw.textContent = nextDrawText(f, ms, lang());
  nextDraw.dataset.round = String(f.next_round);
  // Past the draw: ask again, so the next round (and, once synced, fresh data) shows.
  if (ms <= -60_000 && performance.now() - healthAt > 30_000) void pollHealth();
}

async function pollHealth(): Promise<void> {
  try {
    lastHealth = await api.get<Health>('/api/monitoring/health');
    healthAt = performance.now();
    showBanner(lastHealth, null);
    showNextDraw();
  } catch (e) {
    // 503 still carries a health body; anything else means the server is away.
    showBanner(null, e instanceof ApiFailure && e.status === 503 ? null : e);
  }
}

function boot(): void {
  setLang(lang());
  const app = document.getElementById('app');
  if (!app) return;
  langButton.addEventListener('click', () => {
    setLang(lang() === 'ko' ? 'en' : 'ko');
    void route(false);
    void pollHealth();
    showNextDraw();
  });
  app.append(
    h(
      'header',
      { class: 'top' },
      h('div', { class: 'top-inner' },
        h('a', { class: 'brand', href: '#/predict', 'aria-label': 'hogi' },
          h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, h('i', { class: 'ball-y' }), h('i', { class: 'ball-b' }), h('i', { class: 'ball-r' })),
          h('span', { class: 'brand-name' }, 'hogi'),
          h('span', { class: 'brand-sub' }, '로또 6/45 · 호기'),
        ),
        h('div', { class: 'top-right' }, nextDraw, langButton),
      ),
      h('div', { class: 'tabs-wrap' }, nav),
    ),
    banner,
    main,
    footer,
  );
  window.addEventListener('hashchange', () => void route(true));
  void route(false);
  void pollHealth();
  window.setInterval(() => void pollHealth(), 15_000);
  window.setInterval(showNextDraw, 1000);
}

boot();
