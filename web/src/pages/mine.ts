import { api, ApiFailure } from '../api.js';
import { ballRow } from '../balls.js';
import { chart, COLORS } from '../charts.js';
import { clear, fmtInt, fmtPct, h } from '../dom.js';
import { L, lang, machineName } from '../i18n.js';
import type { Page } from '../main.js';
import type { DrawItem, PredictionList, PredictionListItem, StoredPrediction } from '../types.js';
import { binomial } from '../../../src/domain/fairDraw.js';
import { card, describeError, errorBox, field, loading, emptyState, pageHeader, setFieldError } from '../ui.js';

const PAGE_SIZE = 10;
const listState = { page: 1, machine: 'all' };
const drawCache = new Map<number, Promise<DrawItem | null>>();

function drawOf(round: number): Promise<DrawItem | null> {
  let p = drawCache.get(round);
  if (!p) {
    p = api.get<DrawItem>(`/api/draws/${round}`).catch(() => null);
    drawCache.set(round, p);
  }
  return p;
}

function rankBadge(rank: number | null, matches: number | null): HTMLElement {
  if (matches === null) return h('span', { class: 'badge badge-pending' }, L('추첨 전', 'Not drawn yet'));
  if (rank === null) return h('span', { class: 'badge badge-none' }, L(`${matches}개 일치`, `${matches} matched`));
  return h('span', { class: `badge badge-rank badge-rank${rank}` }, L(`${rank}등 · ${matches}개 일치`, `Prize ${rank} · ${matches} matched`));
}

type SetLike = PredictionListItem['sets'][number];

function setRow(s: SetLike, draw: DrawItem | null): HTMLElement {
  const hits = draw ? new Set(draw.numbers) : undefined;
  return h('li', { class: 'mine-set', 'data-numbers': s.numbers.join(','), 'data-matches': s.matches ?? '' },
    h('span', { class: 'set-no' }, `${machineName(s.machine_type)} #${s.set_number}`),
    ballRow(s.numbers, { size: 'sm', hits }),
    rankBadge(s.prize_rank, s.matches),
  );
}

async function itemCard(item: PredictionListItem): Promise<HTMLElement> {
  const draw = item.status === 'scored' ? await drawOf(item.target_round) : null;
  return h('article', { class: 'card mine', 'data-id': item.request_id, 'data-status': item.status },
    h('div', { class: 'mine-head' },
      h('h3', {}, L(`제 ${item.target_round}회`, `Round ${item.target_round}`), ' · ', machineName(item.machine_type)),
      h('span', { class: `badge ${item.status === 'scored' ? 'badge-scored' : 'badge-pending'}` }, item.status === 'scored' ? L('결과 나옴', 'Drawn') : L('추첨 대기', 'Waiting for the draw')),
    ),
    h('p', { class: 'muted small' }, `${new Date(item.created_at).toLocaleString(lang() === 'ko' ? 'ko-KR' : 'en-GB')} · ${item.algorithm} · ${item.combination_method} · `, h('code', {}, item.request_id.slice(0, 8))),
    draw ? h('p', { class: 'drawn' }, L('당첨 번호 ', 'Drawn '), ballRow(draw.numbers, { size: 'sm', bonusNumber: draw.bonus })) : null,
    h('ul', { class: 'mine-sets' }, item.sets.map((s) => setRow(s, draw))),
  );
}

/** Share of sets with k matches against the exact chance P(k) = C(6,k)·C(39,6−k)/C(45,6). */
function matchesChart(items: PredictionListItem[]): HTMLElement | null {
  const scored = items.flatMap((i) => i.sets).filter((s) => s.matches !== null);
  if (!scored.length) return null;
  const ks = [0, 1, 2, 3, 4, 5, 6];
  const chance = ks.map((k) => (binomial(6, k) * binomial(39, 6 - k)) / binomial(45, 6));
  const observed = ks.map((k) => scored.filter((s) => s.matches === k).length / scored.length);
  return chart(
    L(`이 쪽의 결과 나온 세트 ${scored.length}개: 일치 수 vs 무작위`, `The ${scored.length} drawn sets on this page: matches vs chance`),
    {
      grid: { left: 44, right: 12, top: 36, bottom: 28 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmtPct(Number(v)) },
      xAxis: { type: 'category', data: ks.map((k) => L(`${k}개`, `${k}`)) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` }, splitLine: { lineStyle: { color: COLORS.grid } } },
      series: [
        { type: 'bar', name: L('내 세트', 'My sets'), data: observed.map((v) => Number(v.toFixed(4))), itemStyle: { color: COLORS.observed } },
        { type: 'bar', name: L('무작위라면', 'Chance alone'), data: chance.map((v) => Number(v.toFixed(5))), itemStyle: { color: COLORS.chance } },
      ],
    },
    220,
  );
}

async function render(main: HTMLElement): Promise<void> {
  main.append(pageHeader(L('내 예측', 'My predictions'), L('만든 번호는 모두 저장되고, 해당 회차가 추첨되면 맞춘 번호와 등수가 표시됩니다.', 'Every generated set is stored; once its round is drawn, matched numbers and the prize rank appear.')));

  // One prediction by id (from the Generate page's "saved" link, or typed in).
  const idFromHash = new URLSearchParams(location.hash.split('?')[1] ?? '').get('id') ?? '';
  const idInput = h('input', { id: 'prediction-id', type: 'text', autocomplete: 'off', spellcheck: 'false', value: idFromHash, placeholder: L('요청 ID', 'request id') });
  const idF = field(L('예측 ID로 찾기', 'Find by prediction id'), idInput);
  const one = h('div', { id: 'one-prediction' });
  const show = async () => {
    setFieldError(idInput, idF.error, null);
    clear(one);
    const id = idInput.value.trim();
    if (!id) return;
    try {
      const p = await api.get<StoredPrediction>(`/api/predictions/${encodeURIComponent(id)}`);
      const item: PredictionListItem = {
        request_id: p.request_id,
        machine_type: p.machine_type,
        target_round: p.metadata.target_round,
        algorithm: p.metadata.algorithm,
        combination_method: p.metadata.combination_method,
        source: '',
        created_at: p.generated_at,
        status: p.status,
        sets: p.predictions,
      };
      one.append(await itemCard(item));
    } catch (e) {
      setFieldError(idInput, idF.error, describeError(e));
      idInput.focus();
    }
  };
  const idForm = h('form', { class: 'inline-form', novalidate: true }, idF.wrap, h('button', { type: 'submit', class: 'btn' }, L('보기', 'Show')));
  idForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void show();
  });

  const machine = h('select', { id: 'mine-machine' }, ...['all', '1', '2', '3'].map((m) => h('option', { value: m, selected: listState.machine === m }, m === 'all' ? L('모두', 'Any') : machineName(m))));
  const machineF = field(L('호기', 'Machine'), machine);
  const listBox = h('div', { id: 'mine-list', 'aria-live': 'polite' });
  const chartBox = h('div', { id: 'mine-chart' });
  const pager = h('nav', { class: 'pager', 'aria-label': L('쪽 이동', 'Pages') });

  async function load(): Promise<void> {
    listBox.replaceChildren(loading());
    clear(chartBox);
    const list = await api.get<PredictionList>('/api/predictions', { page: listState.page, page_size: PAGE_SIZE, machine: listState.machine === 'all' ? undefined : listState.machine });
    if (!list.items.length) {
      listBox.replaceChildren(emptyState(L('저장된 예측이 없습니다', 'No stored predictions'), L('번호 생성 페이지나 CLI에서 번호를 만들면 여기에 모입니다.', 'Sets you generate on the Generate page or with the CLI collect here.'), ['hogi predict --machine all']));
      clear(pager);
      return;
    }
    const cards = await Promise.all(list.items.map(itemCard));
    listBox.replaceChildren(...cards);
    const c = matchesChart(list.items);
    if (c) chartBox.append(c);
    const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
    clear(pager);
    const go = (n: number) => () => {
      listState.page = n;
      void load().catch((e: unknown) => listBox.replaceChildren(errorBox(e)));
    };
    pager.append(
      h('button', { type: 'button', class: 'btn btn-sm', disabled: listState.page <= 1, onclick: go(listState.page - 1) }, L('이전', 'Previous')),
      h('span', { class: 'pager-at' }, L(`${listState.page} / ${pages} (총 ${fmtInt(list.total, 'ko')}건)`, `${listState.page} / ${pages} (${fmtInt(list.total, 'en')} in all)`)),
      h('button', { type: 'button', class: 'btn btn-sm', disabled: listState.page >= pages, onclick: go(listState.page + 1) }, L('다음', 'Next')),
    );
  }
  machine.addEventListener('change', () => {
    listState.machine = machine.value;
    listState.page = 1;
    void load().catch((e: unknown) => listBox.replaceChildren(errorBox(e)));
  });

  main.append(card(null, idForm, one), card(L('저장된 예측', 'Stored predictions'), h('div', { class: 'filters' }, machineF.wrap), chartBox, listBox, pager));
  await Promise.all([show(), load().catch((e: unknown) => listBox.replaceChildren(errorBox(e)))]);
}

export const minePage: Page = { id: 'mine', title: () => L('내 예측', 'My predictions'), render };
