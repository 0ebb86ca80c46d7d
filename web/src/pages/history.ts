import { api, ApiFailure } from '../api.js';
import { ballRow } from '../balls.js';
import { clear, fmtInt, h } from '../dom.js';
import { L, lang, machineName } from '../i18n.js';
import type { Page } from '../main.js';
import { prizeRows, splitText } from '../prizes.js';
import type { DrawItem, DrawPage } from '../types.js';
import { card, describeError, errorBox, field, loading, noDataState, pageHeader, setFieldError } from '../ui.js';

const filters = { machine: 'all', from: '', to: '', page: 1, pageSize: 20 };

function won(n: number | null): string {
  if (n === null) return '–';
  if (lang() === 'ko') return n >= 1e8 ? `${(n / 1e8).toFixed(1)}억 원` : `${fmtInt(n, 'ko')}원`;
  return `₩${fmtInt(n, 'en')}`;
}

function drawCard(d: DrawItem, title: string): HTMLElement {
  return h(
    'section',
    { class: 'card draw-card', 'data-round': d.round },
    h('div', { class: 'draw-card-head' },
      h('h2', {}, title),
      h('p', { class: 'muted' }, L(`제 ${d.round}회 · ${d.date}`, `Round ${d.round} · ${d.date}`), d.machine ? h('span', { class: `badge badge-m${d.machine}` }, machineName(d.machine)) : null),
    ),
    ballRow(d.numbers, { size: 'lg', bonusNumber: d.bonus }),
    h('dl', { class: 'facts' },
      h('div', {}, h('dt', {}, L('1등 당첨금', '1st prize each')), h('dd', {}, won(d.first_prize_each))),
      h('div', {}, h('dt', {}, L('1등 당첨자', '1st prize winners')), h('dd', {}, fmtInt(d.first_prize_winners, lang()))),
      h('div', {}, h('dt', {}, L('홀:짝', 'Odd:even')), h('dd', {}, d.odd_even)),
      h('div', {}, h('dt', {}, L('고:저', 'High:low')), h('dd', {}, d.high_low)),
      h('div', {}, h('dt', {}, 'AC'), h('dd', {}, d.ac_value)),
      h('div', {}, h('dt', {}, L('총합', 'Total')), h('dd', {}, d.total_sum)),
    ),
    prizeTable(d),
  );
}

/** All five tiers (winners, prize per winning ticket) and how the first-prize tickets were bought. */
function prizeTable(d: DrawItem): HTMLElement {
  const rows = prizeRows(d, lang());
  return h('div', { class: 'prize-tiers' },
    h('div', { class: 'table-wrap' },
      h('table', { class: 'prizes', 'data-round': d.round },
        h('caption', { class: 'muted small' }, L(`제 ${d.round}회 등수별 당첨 (당첨 게임 수, 게임당 당첨금)`, `Round ${d.round} prize tiers (winning tickets, prize per ticket)`)),
        h('thead', {}, h('tr', {}, [L('등수', 'Tier'), L('조건', 'Match'), L('당첨 게임 수', 'Winning tickets'), L('게임당 당첨금', 'Prize per ticket')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows.map((r) =>
          h('tr', { 'data-rank': r.rank },
            h('th', { scope: 'row' }, r.tier),
            h('td', {}, r.rule),
            h('td', { class: 'num' }, r.winners),
            h('td', { class: 'num' }, r.prizeEach),
          ),
        )),
      ),
    ),
    h('p', { class: 'first-split small', 'data-round': d.round },
      h('strong', {}, L('1등 구매 방식', 'How 1st-prize tickets were bought')), ' ', splitText(d, lang())),
  );
}

function table(items: DrawItem[]): HTMLElement {
  const head = [L('회차', 'Round'), L('날짜', 'Date'), L('호기', 'Machine'), L('당첨 번호 + 보너스', 'Numbers + bonus'), L('홀:짝', 'Odd:even'), L('고:저', 'High:low'), 'AC', L('끝수합', 'Last-digit sum'), L('총합', 'Total')];
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': L('추첨 기록 표', 'Draw history table') },
    h('table', { class: 'draws', id: 'draws-table' },
      h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, items.map((d) =>
        h('tr', { 'data-round': d.round },
          h('th', { scope: 'row' }, d.round),
          h('td', { class: 'nowrap' }, d.date),
          h('td', { class: 'machine-cell' }, d.machine ? machineName(d.machine) : '–'),
          h('td', { class: 'balls-cell' }, ballRow(d.numbers, { size: 'sm', bonusNumber: d.bonus })),
          // data-label: the column name shown beside the value when the table turns into cards on phones.
          h('td', { 'data-label': head[4] }, d.odd_even),
          h('td', { 'data-label': head[5] }, d.high_low),
          h('td', { 'data-label': head[6] }, d.ac_value),
          h('td', { 'data-label': head[7] }, d.last_digit_sum),
          h('td', { 'data-label': head[8] }, d.total_sum),
        ),
      )),
    ),
  );
}

async function render(main: HTMLElement): Promise<void> {
  main.append(pageHeader(L('당첨 기록', 'Draw history'), L('회차별 당첨 번호와 추첨 호기, 패턴 통계.', 'Winning numbers by round with the draw machine and pattern statistics.')));
  const latestBox = h('div', { id: 'latest' }, loading());
  main.append(latestBox);

  let latest: DrawPage;
  try {
    latest = await api.get<DrawPage>('/api/draws', { page_size: 1 });
  } catch (e) {
    latestBox.replaceChildren(errorBox(e));
    return;
  }
  if (latest.total === 0) {
    latestBox.replaceChildren(noDataState());
    return;
  }
  latestBox.replaceChildren(drawCard(latest.items[0], L('최근 추첨', 'Latest draw')));

  // Round lookup: one draw by number; a round that is not stored is reported beside the field.
  const lookupInput = h('input', { id: 'round-lookup', type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: String(latest.items[0].round) });
  const lookupF = field(L('회차 번호', 'Round number'), lookupInput);
  const lookupOut = h('div', { id: 'lookup-result' });
  const lookupForm = h('form', { class: 'inline-form', novalidate: true }, lookupF.wrap, h('button', { class: 'btn', type: 'submit' }, L('보기', 'Show')));
  lookupForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void (async () => {
      setFieldError(lookupInput, lookupF.error, null);
      clear(lookupOut);
      const v = lookupInput.value.trim();
      try {
        const d = await api.get<DrawItem>(`/api/draws/${encodeURIComponent(v || '0')}`);
        lookupOut.append(drawCard(d, L(`제 ${d.round}회`, `Round ${d.round}`)));
      } catch (e) {
        setFieldError(lookupInput, lookupF.error, describeError(e));
        lookupInput.focus();
      }
    })();
  });

  // Filters and the paged table.
  const machine = h('select', { id: 'f-machine' }, ...['all', '1', '2', '3'].map((m) => h('option', { value: m, selected: filters.machine === m }, machineName(m))));
  const from = h('input', { id: 'f-from', type: 'text', inputmode: 'numeric', value: filters.from, placeholder: '1', autocomplete: 'off' });
  const to = h('input', { id: 'f-to', type: 'text', inputmode: 'numeric', value: filters.to, placeholder: String(latest.items[0].round), autocomplete: 'off' });
  const size = h('select', { id: 'f-size' }, ...[20, 50, 100].map((n) => h('option', { value: n, selected: filters.pageSize === n }, String(n))));
  const machineF = field(L('호기', 'Machine'), machine);
  const fromF = field(L('시작 회차', 'From round'), from);
  const toF = field(L('끝 회차', 'To round'), to);
  const sizeF = field(L('쪽당', 'Per page'), size);
  const controls: Record<string, [HTMLElement, HTMLElement]> = {
    machine: [machine, machineF.error],
    from: [from, fromF.error],
    to: [to, toF.error],
    page_size: [size, sizeF.error],
  };
  const tableBox = h('div', { id: 'table-box', 'aria-live': 'polite' });
  const pager = h('nav', { class: 'pager', 'aria-label': L('쪽 이동', 'Pages') });
  const summary = h('p', { class: 'muted', id: 'table-summary' });

  async function load(): Promise<void> {
    for (const [c, e] of Object.values(controls)) setFieldError(c, e, null);
    tableBox.replaceChildren(loading());
    const query: Record<string, string | number | undefined> = {
      page: filters.page,
      page_size: filters.pageSize,
      machine: filters.machine === 'all' ? undefined : filters.machine,
      from: filters.from || undefined,
      to: filters.to || undefined,
    };
    try {
      const p = await api.get<DrawPage>('/api/draws', query);
      summary.textContent = L(`${fmtInt(p.total, 'ko')}회 중 ${p.total_pages ? p.page : 0}/${p.total_pages}쪽`, `${fmtInt(p.total, 'en')} draws · page ${p.total_pages ? p.page : 0} of ${p.total_pages}`);
      tableBox.replaceChildren(p.items.length ? table(p.items) : h('p', { class: 'empty-inline' }, L('조건에 맞는 추첨이 없습니다.', 'No draws match these filters.')));
      renderPager(p);
    } catch (e) {
      const key = e instanceof ApiFailure && e.field ? e.field.split('.')[0] : null;
      const target = key ? controls[key] : undefined;
      if (e instanceof ApiFailure && target) {
        setFieldError(target[0], target[1], describeError(e));
        tableBox.replaceChildren();
      } else tableBox.replaceChildren(errorBox(e));
      summary.textContent = '';
      clear(pager);
    }
  }

  function renderPager(p: DrawPage): void {
    clear(pager);
    const go = (n: number) => () => {
      filters.page = n;
      void load().then(() => document.getElementById('draws-table')?.scrollIntoView({ block: 'nearest' }));
    };
    pager.append(
      h('button', { type: 'button', class: 'btn btn-sm', disabled: p.page <= 1, onclick: go(1), 'aria-label': L('첫 쪽', 'First page') }, '«'),
      h('button', { type: 'button', class: 'btn btn-sm', id: 'prev-page', disabled: p.page <= 1, onclick: go(p.page - 1) }, L('이전', 'Previous')),
      h('span', { class: 'pager-at' }, `${p.total_pages ? p.page : 0} / ${p.total_pages}`),
      h('button', { type: 'button', class: 'btn btn-sm', id: 'next-page', disabled: p.page >= p.total_pages, onclick: go(p.page + 1) }, L('다음', 'Next')),
      h('button', { type: 'button', class: 'btn btn-sm', disabled: p.page >= p.total_pages, onclick: go(p.total_pages), 'aria-label': L('마지막 쪽', 'Last page') }, '»'),
    );
  }

  const filterForm = h('form', { class: 'filters', novalidate: true, 'aria-label': L('기록 필터', 'History filters') }, machineF.wrap, fromF.wrap, toF.wrap, sizeF.wrap, h('div', { class: 'submit-wrap' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'apply-filters' }, L('적용', 'Apply'))));
  filterForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    filters.machine = machine.value;
    filters.from = from.value.trim();
    filters.to = to.value.trim();
    filters.pageSize = Number(size.value);
    filters.page = 1;
    void load();
  });

  main.append(card(L('회차 찾기', 'Find a round'), lookupForm, lookupOut), card(L('전체 기록', 'All draws'), filterForm, summary, tableBox, pager));
  await load();
}

export const historyPage: Page = { id: 'history', title: () => L('당첨 기록', 'History'), render };
