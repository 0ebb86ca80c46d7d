import { api } from '../api.js';
import { ball } from '../balls.js';
import { chart, COLORS, type ChartOption } from '../charts.js';
import { clear, fmtPct, h } from '../dom.js';
import { fairDistributions } from '../exact.js';
import { L, machineName } from '../i18n.js';
import type { Page } from '../main.js';
import type { DrawItem, DrawPage, MachineAnalysis } from '../types.js';
import { ApiFailure } from '../api.js';
import { card, errorBox, field, loading, noDataState, pageHeader } from '../ui.js';

const MACHINES = ['1', '2', '3'] as const;
const settings = { window: 100, machine: 'all' };
const NUMBERS = Array.from({ length: 45 }, (_, i) => i + 1);

/** The machine's last `count` draws, newest first (pages of 100 fetched in parallel). */
async function recentDraws(machine: string, count: number): Promise<DrawItem[]> {
  const q = { machine: machine === 'all' ? undefined : machine, page_size: 100 };
  const first = await api.get<DrawPage>('/api/draws', { ...q, page: 1 });
  const pages = Math.min(first.total_pages, Math.ceil(count / 100));
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => api.get<DrawPage>('/api/draws', { ...q, page: i + 2 })));
  return [first, ...rest].flatMap((p) => p.items).slice(0, count);
}

function heatmap(analyses: Array<MachineAnalysis | null>, narrow: boolean): HTMLElement {
  const rows = analyses.map((a, i) => (a ? machineName(MACHINES[i]) : `${machineName(MACHINES[i])} (–)`));
  const data: Array<[number, number, number]> = [];
  let max = 0;
  let min = 1;
  analyses.forEach((a, r) => {
    if (!a) return;
    for (const n of NUMBERS) {
      const v = a.number_frequency.frequency_distribution[String(n)] ?? 0;
      max = Math.max(max, v);
      min = Math.min(min, v);
      data.push(narrow ? [r, n - 1, v] : [n - 1, r, v]);
    }
  });
  const numberAxis = { type: 'category' as const, data: NUMBERS.map(String), splitArea: { show: false }, axisTick: { show: false }, axisLabel: { interval: narrow ? 0 : 0, fontSize: 10 } };
  const machineAxis = { type: 'category' as const, data: rows, axisTick: { show: false }, inverse: !narrow };
  const option: ChartOption = {
    grid: narrow ? { left: 36, right: 8, top: 8, bottom: 64 } : { left: 56, right: 16, top: 8, bottom: 70 },
    tooltip: {
      formatter: (p: unknown) => {
        const v = (p as { value: [number, number, number] }).value;
        const [n, m] = narrow ? [v[1] + 1, rows[v[0]]] : [v[0] + 1, rows[v[1]]];
        return `${m} · ${n}: ${fmtPct(v[2])}`;
      },
    },
    xAxis: narrow ? machineAxis : numberAxis,
    yAxis: narrow ? { ...numberAxis, inverse: true } : machineAxis,
    visualMap: {
      min: Math.min(min, max),
      max: Math.max(max, min + 0.01),
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      text: [L('자주', 'often'), L('드물게', 'rarely')],
      inRange: { color: ['#eff6ff', '#93c5fd', '#2563eb', '#1e3a8a'] },
      formatter: (v: unknown) => fmtPct(Number(v), 0),
    },
    series: [{ type: 'heatmap', data, itemStyle: { borderColor: '#fff', borderWidth: 1 } }],
  };
  return chart(
    L('호기별 번호 출현 비율', 'How often each number appeared, by machine'),
    option,
    narrow ? 760 : 250,
    L('각 칸: 기간 중 그 번호가 나온 추첨의 비율. 공정한 추첨이면 모든 번호가 평균 13.3%(6/45) 근처에서 우연히 흔들립니다.',
      'Each cell: the share of the window\'s draws that contained the number. In a fair draw every number hovers around 13.3% (6/45), moved by chance alone.'),
  );
}

function hotCold(analyses: Array<MachineAnalysis | null>): HTMLElement {
  return h(
    'div',
    { class: 'grid3' },
    analyses.map((a, i) =>
      h('section', { class: 'card mini', 'data-machine': MACHINES[i] },
        h('h3', {}, machineName(MACHINES[i]), a ? h('span', { class: 'muted small' }, L(` · ${a.analysis_period.total_rounds}회`, ` · ${a.analysis_period.total_rounds} draws`)) : null),
        a
          ? [
              h('p', { class: 'label-hot' }, L('자주 나온 번호', 'Hot')),
              h('div', { class: 'balls hot' }, a.number_frequency.most_frequent.map((n) => ball(n, { size: 'sm' }))),
              h('p', { class: 'label-cold' }, L('드물게 나온 번호', 'Cold')),
              h('div', { class: 'balls cold' }, a.number_frequency.least_frequent.map((n) => ball(n, { size: 'sm' }))),
            ]
          : h('p', { class: 'muted' }, L('이 호기의 기록이 없습니다.', 'No draws of this machine.')),
      ),
    ),
  );
}

function sinceLastSeen(draws: DrawItem[]): HTMLElement {
  // draws are newest first: the first index containing n is how many draws ago it last appeared.
  const since = NUMBERS.map((n) => {
    const i = draws.findIndex((d) => d.numbers.includes(n));
    return i < 0 ? draws.length : i;
  });
  const g = Math.max(...since);
  const pLong = Math.pow(39 / 45, g);
  return chart(
    L('마지막 출현 후 지난 추첨 수', 'Draws since each number was last seen'),
    {
      grid: { left: 36, right: 12, top: 28, bottom: 28 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: NUMBERS.map(String), axisLabel: { fontSize: 10, interval: 'auto' } },
      yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: COLORS.grid } } },
      series: [
        {
          type: 'bar',
          name: L('지난 추첨 수', 'Draws since'),
          data: since.map((v, i) => ({ value: v, itemStyle: { color: bandColor(i + 1) } })),
          markLine: { symbol: 'none', lineStyle: { color: COLORS.accent, type: 'dashed' }, label: { position: 'insideEndTop', formatter: L('평균 간격 7.5', 'mean gap 7.5') }, data: [{ yAxis: 7.5 }] },
        },
      ],
    },
    240,
    L(`공정한 추첨에서 한 번호가 g회 연속 안 나올 확률은 (39/45)^g입니다. 가장 긴 공백 ${g}회는 그 번호 하나만 보면 ${fmtPct(pLong, 2)} 확률이지만, 45개 중 하나는 보통 이만큼 쉽니다.`,
      `In a fair draw a number stays away g draws in a row with probability (39/45)^g. The longest gap here, ${g}, has ${fmtPct(pLong, 2)} for one given number, yet among 45 numbers one usually rests this long.`),
  );
}

function bandColor(n: number): string {
  return n <= 10 ? '#f5b800' : n <= 20 ? '#1976d2' : n <= 30 ? '#d32f2f' : n <= 40 ? '#6b7580' : '#2e7d32';
}

function compareChart(title: string, labels: string[], observed: number[], chance: number[], note: string, height = 240): HTMLElement {
  return chart(
    title,
    {
      grid: { left: 44, right: 12, top: 36, bottom: 40 },
      legend: { top: 0, data: [L('관측', 'Observed'), L('무작위라면', 'Chance alone')] },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmtPct(Number(v)) },
      xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10 } },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` }, splitLine: { lineStyle: { color: COLORS.grid } } },
      series: [
        { type: 'bar', name: L('관측', 'Observed'), data: observed.map((v) => Number(v.toFixed(5))), itemStyle: { color: COLORS.observed }, barGap: '10%' },
        { type: 'bar', name: L('무작위라면', 'Chance alone'), data: chance.map((v) => Number(v.toFixed(5))), itemStyle: { color: COLORS.chance } },
      ],
    },
    height,
    note,
  );
}

async function distributions(box: HTMLElement, draws: DrawItem[]): Promise<void> {
  box.replaceChildren(loading());
  const fair = await fairDistributions();
  const n = draws.length;
  const share = (xs: number[], values: number[]) => values.map((v) => xs.filter((x) => x === v).length / Math.max(1, n));

  // Total sum in bins of 10 (21..255 → 20–29 … 250–259).
  const binOf = (s: number) => Math.floor(s / 10) * 10;
  const bins = Array.from(new Set(fair.sum.values.map(binOf)));
  const fairSum = bins.map((b) => fair.sum.values.reduce((acc, v, i) => acc + (binOf(v) === b ? fair.sum.counts[i] : 0), 0) / fair.sum.total);
  const obsSum = bins.map((b) => draws.filter((d) => binOf(d.total_sum) === b).length / Math.max(1, n));
  const odds = draws.map((d) => Number(d.odd_even.split(':')[0]));
  const acs = draws.map((d) => d.ac_value);

  box.replaceChildren(
    h('p', { class: 'muted' }, L(`관측: 선택한 기간의 추첨 ${n}회. 회색 막대는 8,145,060개 조합을 모두 센 정확한 분포입니다 — 우연만으로 생기는 모습입니다.`,
      `Observed: the ${n} draws of the window. Grey bars are the exact distribution over all 8,145,060 combinations: what chance alone looks like.`)),
    compareChart(L('총합 분포', 'Total sum'), bins.map((b) => `${b}`), obsSum, fairSum, L('10 단위 구간 (예: 130 = 130–139). 무작위 평균 138.', 'Bins of 10 (130 = 130–139). Chance mean 138.')),
    h('div', { class: 'grid2' },
      compareChart(L('AC 값 분포', 'AC value'), fair.ac.values.map(String), share(acs, fair.ac.values), fair.ac.counts.map((c) => c / fair.ac.total), L('AC: 서로 다른 번호 차이의 수 − 5. 무작위 조합 대부분이 7 이상입니다.', 'AC: distinct pairwise differences − 5. Most random combinations score 7 or more.')),
      compareChart(L('홀수 개수 분포', 'Odd numbers per draw'), fair.odd.values.map(String), share(odds, fair.odd.values), fair.odd.counts.map((c) => c / fair.odd.total), L('1–45 중 홀수는 23개: 무작위 평균 3.07개.', '23 of 1–45 are odd: chance mean 3.07.')),
    ),
  );
}

async function render(main: HTMLElement): Promise<void> {
  main.append(pageHeader(L('통계', 'Statistics'), L('호기별 번호 빈도와 패턴을, 우연만으로 생기는 모습과 나란히 봅니다.', 'Number frequencies and patterns per machine, side by side with what chance alone produces.')));

  const windowOptions: Array<[number, string]> = [[50, L('최근 50회', 'Last 50')], [100, L('최근 100회', 'Last 100')], [300, L('최근 300회', 'Last 300')], [2000, L('전체 기록', 'All draws')]];
  const windowSel = h('select', { id: 's-window' }, ...windowOptions.map(([v, label]) => h('option', { value: v, selected: settings.window === v }, label)));
  const machineSel = h('select', { id: 's-machine' }, ...['all', ...MACHINES].map((m) => h('option', { value: m, selected: settings.machine === m }, machineName(m))));
  const windowF = field(L('기간', 'Window'), windowSel);
  const machineF = field(L('분포를 볼 호기', 'Machine for the distributions'), machineSel);
  main.append(h('form', { class: 'filters card', 'aria-label': L('통계 설정', 'Statistics settings'), onsubmit: (e: Event) => e.preventDefault() }, windowF.wrap, machineF.wrap));

  const overview = h('div', { id: 'stats-overview' }, loading());
  const dist = h('div', { id: 'stats-dist' });
  const since = h('div', { id: 'stats-since' });
  main.append(overview, card(L('마지막 출현', 'Since last seen'), since), card(L('패턴 분포 vs 무작위', 'Patterns vs chance'), dist));

  const narrow = () => main.clientWidth < 640;

  async function loadOverview(): Promise<boolean> {
    overview.replaceChildren(loading());
    const analyses = await Promise.all(
      MACHINES.map((m) =>
        api.get<MachineAnalysis>(`/api/statistics/machine-analysis/${m}`, { rounds: settings.window }).catch((e: unknown) => {
          if (e instanceof ApiFailure && (e.noData || e.code === 'INVALID_MACHINE_TYPE')) return null;
          throw e;
        }),
      ),
    );
    if (analyses.every((a) => a === null)) {
      overview.replaceChildren(noDataState());
      return false;
    }
    overview.replaceChildren(card(L('번호 빈도', 'Number frequency'), heatmap(analyses, narrow())), hotCold(analyses));
    return true;
  }

  async function loadMachine(): Promise<void> {
    since.replaceChildren(loading());
    const draws = await recentDraws(settings.machine, settings.window);
    if (draws.length === 0) {
      since.replaceChildren(h('p', { class: 'muted' }, L('이 호기의 기록이 없습니다.', 'No draws of this machine.')));
      clear(dist);
      return;
    }
    since.replaceChildren(sinceLastSeen(draws));
    await distributions(dist, draws);
  }

  const guard = async (f: () => Promise<unknown>, box: HTMLElement) => {
    try {
      await f();
    } catch (e) {
      box.replaceChildren(errorBox(e));
    }
  };

  windowSel.addEventListener('change', () => {
    settings.window = Number(windowSel.value);
    void guard(loadOverview, overview);
    void guard(loadMachine, since);
  });
  machineSel.addEventListener('change', () => {
    settings.machine = machineSel.value;
    void guard(loadMachine, since);
  });

  let ok = false;
  await guard(async () => (ok = await loadOverview()), overview);
  if (ok) await guard(loadMachine, since);
  else {
    since.closest('.card')?.remove();
    dist.closest('.card')?.remove();
  }
}

export const statisticsPage: Page = { id: 'statistics', title: () => L('통계', 'Statistics'), render };
