import { api, ApiFailure, hasRoute } from '../api.js';
import { chart, COLORS } from '../charts.js';
import { append, fmtInt, fmtNum, h } from '../dom.js';
import { L, lang, machineName } from '../i18n.js';
import type { Page } from '../main.js';
import type { BacktestDetail, BacktestList, BacktestListItem, BacktestMethod, BacktestScope, BacktestSummary, FairnessResponse } from '../types.js';
import { card, errorBox, field, loading, emptyState, pageHeader, note } from '../ui.js';

/** A {ko, en} pair in the current language. */
const words = (x: { ko: string; en: string }): string => (lang() === 'ko' ? x.ko : x.en);

const METHOD_NAMES: Record<string, [string, string]> = {
  random: ['무작위 (기준)', 'Random (control)'],
  frequency_baseline: ['빈도 기준선', 'Frequency baseline'],
  transformer: ['Transformer 단독', 'Transformer alone'],
  ensemble: ['RF/GB/MLP 앙상블 단독', 'RF/GB/MLP ensemble alone'],
  weighted_voting: ['가중 투표', 'Weighted voting'],
  stacking: ['스태킹', 'Stacking'],
  blending: ['블렌딩', 'Blending'],
  strategy_1: ['1호기 전략', 'Machine 1 strategy'],
  strategy_2: ['2호기 전략', 'Machine 2 strategy'],
  strategy_3: ['3호기 전략', 'Machine 3 strategy'],
};
const methodName = (m: string) => (METHOD_NAMES[m] ? L(...METHOD_NAMES[m]) : m);

function verdictBadge(v: BacktestMethod['verdict']): HTMLElement {
  const [ko, en, cls] =
    v === 'better_than_chance' ? ['무작위보다 나음', 'Better than chance', 'good'] : v === 'worse_than_chance' ? ['무작위보다 못함', 'Worse than chance', 'bad'] : ['차이 없음', 'No evidence of an edge', 'neutral'];
  return h('span', { class: `badge verdict-${cls}` }, L(ko, en));
}

const progressPct = (x: BacktestListItem): number => x.progress.fraction * 100;

const pText = (p: number | null) => (p === null ? '–' : p < 0.0001 ? '< 0.0001' : p.toFixed(4));

function matchesChart(methods: BacktestMethod[], chance: number): HTMLElement {
  const narrow = window.innerWidth < 640;
  const names = methods.map((m) => methodName(m.method));
  const lower = methods.map((m) => m.mean_matches_ci?.lower ?? m.mean_matches);
  const upper = methods.map((m) => m.mean_matches_ci?.upper ?? m.mean_matches);
  const mean = methods.map((m) => m.mean_matches);
  return chart(
    L('세트당 평균 일치 수와 95% 신뢰구간 vs 무작위 0.8', 'Mean matches per set with 95% CI vs chance 0.8'),
    {
      grid: { left: narrow ? 84 : 130, right: 24, top: 16, bottom: 32 },
      tooltip: {
        trigger: 'axis',
        formatter: (ps: unknown) => {
          const i = (ps as Array<{ dataIndex: number }>)[0]?.dataIndex ?? 0;
          return `${names[i]}<br>${L('평균', 'mean')} ${fmtNum(mean[i], 3)} [${fmtNum(lower[i], 3)}, ${fmtNum(upper[i], 3)}]`;
        },
      },
      yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: narrow ? 76 : 120, overflow: 'truncate' } },
      // scale: the axis hugs the intervals and chance instead of starting at 0.
      xAxis: { type: 'value', scale: true, splitLine: { lineStyle: { color: COLORS.grid } } },
      series: [
        // A transparent bar up to the lower bound, then the interval stacked on top of it.
        { type: 'bar', stack: 'ci', data: lower.map((v) => Number(v.toFixed(4))), itemStyle: { color: 'transparent' }, barWidth: 10, silent: true },
        { type: 'bar', stack: 'ci', name: 'CI', data: upper.map((u, i) => Number((u - lower[i]).toFixed(4))), itemStyle: { color: '#bfdbfe', borderRadius: 5 }, barWidth: 10 },
        {
          type: 'line',
          name: L('평균', 'Mean'),
          data: mean.map((v) => Number(v.toFixed(4))),
          symbol: 'circle',
          symbolSize: 10,
          lineStyle: { opacity: 0 },
          itemStyle: { color: COLORS.observed },
          markLine: { symbol: 'none', lineStyle: { color: COLORS.accent, type: 'dashed' }, label: { position: 'insideEndTop', formatter: L('무작위 0.8', 'chance 0.8') }, data: [{ xAxis: chance }] },
        },
      ],
    },
    Math.max(200, 36 * methods.length + 60),
  );
}

function methodTable(methods: BacktestMethod[]): HTMLElement {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': L('방법별 결과', 'Results per method') },
    h('table', { class: 'data', id: 'methods-table' },
      h('thead', {}, h('tr', {}, [L('방법', 'Method'), L('평균 일치', 'Mean matches'), '95% CI', L('p (단측)', 'p (one-sided)'), 'Holm p', L('N개 중 최고', 'Best of N'), 'log-loss Δ', L('판정', 'Verdict')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, methods.map((m) => {
        const ci = m.mean_matches_ci;
        const best = m.best_of_n;
        const ll = m.log_loss;
        return h('tr', { 'data-method': m.method },
          h('th', { scope: 'row' }, methodName(m.method)),
          h('td', { class: 'num' }, fmtNum(m.mean_matches, 3)),
          h('td', { class: 'num nowrap' }, ci ? `${fmtNum(ci.lower, 3)} – ${fmtNum(ci.upper, 3)}` : '–'),
          h('td', { class: 'num' }, pText(m.p_value)),
          h('td', { class: 'num' }, pText(m.p_value_holm)),
          h('td', { class: 'num nowrap' }, best ? `${fmtNum(best.observed_mean, 3)} / ${fmtNum(best.chance_mean, 3)}` : '–'),
          h('td', { class: 'num' }, ll ? fmtNum(ll.difference, 4) : '–'),
          h('td', {}, verdictBadge(m.verdict)),
        );
      })),
    ),
  );
}

function tierTable(methods: BacktestMethod[], probabilities: BacktestSummary['chance']['prize_tier_probabilities']): HTMLElement {
  const tiers = [5, 4, 3, 2, 1];
  const tierLabel = (t: number) => L(`${t}등`, `${t}${t === 1 ? 'st' : t === 2 ? 'nd' : t === 3 ? 'rd' : 'th'}`);
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': L('당첨 등수', 'Prize tiers') },
    h('table', { class: 'data', id: 'tiers-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, L('방법', 'Method')), tiers.map((t) => h('th', { scope: 'col' }, tierLabel(t))))),
      h('tbody', {},
        // The chance of each tier for one ticket, then each method's count against its expectation.
        h('tr', { class: 'prob-row' }, h('th', { scope: 'row' }, L('1장당 확률', 'Chance per ticket')), tiers.map((t) => {
          const p = probabilities[String(t)] ?? null;
          return h('td', { class: 'num nowrap muted' }, p === null ? '–' : p >= 0.001 ? `${(p * 100).toFixed(2)}%` : `1 / ${fmtInt(Math.round(1 / p), lang())}`);
        })),
        methods.map((m) => {
        const rows = m.prize_tiers;
        return h('tr', {},
          h('th', { scope: 'row' }, methodName(m.method)),
          tiers.map((t) => {
            const r = rows.find((x) => x.tier === t);
            return h('td', { class: 'num nowrap', title: r ? `p = ${pText(r.p_value)}` : '' }, r ? h('span', {}, h('strong', {}, fmtInt(r.count, lang())), h('span', { class: 'muted' }, ` / ${fmtNum(r.expected, 2)}`)) : '–');
          }),
        );
      })),
    ),
  );
}

function calibrationChart(methods: BacktestMethod[]): HTMLElement | null {
  const withBins = methods.filter((m) => (m.calibration?.length ?? 0) > 0).slice(0, 6);
  if (!withBins.length) return null;
  const palette = ['#2563eb', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2'];
  return chart(
    L('확률 보정: 예측 확률 vs 실제 출현 비율', 'Calibration: predicted probability vs observed rate'),
    {
      grid: { left: 48, right: 16, top: 40, bottom: 40 },
      legend: { top: 0 },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', name: L('예측', 'predicted'), nameLocation: 'middle', nameGap: 24, min: 0, axisLabel: { formatter: (v: number) => v.toFixed(2) } },
      yAxis: { type: 'value', name: L('실제', 'observed'), min: 0, axisLabel: { formatter: (v: number) => v.toFixed(2) }, splitLine: { lineStyle: { color: COLORS.grid } } },
      series: [
        ...withBins.map((m, i) => ({
          type: 'line' as const,
          name: methodName(m.method),
          data: (m.calibration ?? []).map((b) => [b.meanPredicted, b.observedRate]),
          symbolSize: 6,
          itemStyle: { color: palette[i % palette.length] },
        })),
        {
          type: 'line' as const,
          name: L('완벽한 보정', 'Perfect calibration'),
          data: [[0, 0], [0.3, 0.3]],
          symbol: 'none',
          lineStyle: { type: 'dashed' as const, color: COLORS.chance },
          itemStyle: { color: COLORS.chance },
        },
      ],
    },
    300,
    L('점이 대각선 위에 있으면 예측 확률이 맞는 것입니다. 무작위 추첨에서는 모든 번호가 6/45 = 0.133 근처에 모입니다.', 'Points on the diagonal mean the stated probabilities come true. In a fair draw everything collects near 6/45 = 0.133.'),
  );
}

async function renderBacktest(box: HTMLElement): Promise<void> {
  let items: BacktestList['items'] = [];
  if (await hasRoute('/api/backtests')) {
    try {
      items = (await api.get<BacktestList>('/api/backtests?page_size=100')).items;
    } catch (e) {
      if (!(e instanceof ApiFailure && e.missingRoute)) throw e;
    }
  }
  // Newest first (the 100 latest runs): the latest completed run is shown, even behind many running or failed ones.
  const done = items.filter((x) => x.status === 'completed');
  const running = items.find((x) => x.status === 'running');
  const emptyCmd = 'hogi backtest --from 941 --to 1240 --machine all --config small';
  if (!done.length) {
    box.replaceChildren();
    append(box, [
      emptyState(L('아직 백테스트가 없습니다', 'No backtest yet'), L('과거 회차마다 그 이전 기록만으로 학습하고 예측해 무작위와 비교합니다. 한 번 실행하면 결과가 여기에 나옵니다.', 'It trains on the draws before each past round, predicts it, and compares with chance. Run one and the results appear here.'), [emptyCmd]),
      running ? note(L(`백테스트를 실행하는 중입니다 (${fmtNum(progressPct(running), 0)}%).`, `A backtest is running (${fmtNum(progressPct(running), 0)}%).`)) : null,
    ]);
    return;
  }
  const id = done[0].id;
  const detail = await api.get<BacktestDetail>(`/api/backtests/${encodeURIComponent(id)}`);
  const summary = detail.summary;
  if (!summary) {
    box.replaceChildren(note(L('백테스트 결과를 읽을 수 없습니다.', 'The backtest result could not be read.'), 'warn'));
    return;
  }
  const scopes: BacktestScope[] = [summary.overall, ...summary.machines];
  const chanceMean = summary.chance.mean_matches;
  const params = detail.params;
  const conclusion = words(summary.conclusion);
  const significant = summary.significant_methods;

  const scopeSel = h('select', { id: 'bt-scope' }, scopes.map((s, i) => h('option', { value: i }, scopeLabel(s))));
  const scopeF = field(L('범위', 'Scope'), scopeSel);
  const scopeBox = h('div', { id: 'bt-scope-box' });
  const showScope = () => {
    const s = scopes[Number(scopeSel.value)] ?? scopes[0];
    const methods = s.methods;
    scopeBox.replaceChildren();
    append(scopeBox, [
      h('p', { class: 'muted' }, L(`${fmtInt(s.rounds, 'ko')}회 (${s.first_round ?? '?'}–${s.last_round ?? '?'})`, `${fmtInt(s.rounds, 'en')} rounds (${s.first_round ?? '?'}–${s.last_round ?? '?'})`)),
      matchesChart(methods, chanceMean),
      methodTable(methods),
      h('h3', {}, L('당첨 등수: 실제 / 무작위 기대', 'Prize tiers: observed / expected by chance')),
      tierTable(methods, summary.chance.prize_tier_probabilities),
      calibrationChart(methods),
    ]);
  };
  scopeSel.addEventListener('change', showScope);

  box.replaceChildren(
    h('section', { class: `card conclusion ${significant.length ? 'conclusion-edge' : 'conclusion-none'}`, id: 'bt-conclusion' },
      h('h2', {}, L('결론', 'The conclusion')),
      h('p', { class: 'conclusion-text' }, conclusion),
      h('p', { class: 'muted' },
        L('백테스트 ', 'Backtest '), h('code', {}, id),
        ` · ${L('회차', 'rounds')} ${params.from}–${params.to} · ${L('세트', 'sets')} ${params.sets} · seed ${params.seed}`,
      ),
    ),
    card(L('방법별 성적 vs 무작위', 'Each method against chance'), h('div', { class: 'filters' }, scopeF.wrap), scopeBox),
  );
  showScope();
}

function scopeLabel(s: BacktestScope): string {
  return s.machine === null ? L('전체 호기', 'All machines') : machineName(s.machine);
}

async function renderFairness(box: HTMLElement): Promise<void> {
  const unavailable = () =>
    box.replaceChildren(emptyState(L('공정성 검정을 아직 제공하지 않습니다', 'Fairness tests are not available yet'), L('이 서버 버전에는 공정성 엔드포인트가 없습니다. 터미널에서 실행할 수 있습니다.', 'This server version has no fairness endpoint; run it in a terminal.'), ['hogi fairness --machine all']));
  if (!(await hasRoute('/api/statistics/fairness'))) return unavailable();
  let report: FairnessResponse;
  try {
    report = await api.get<FairnessResponse>('/api/statistics/fairness');
  } catch (e) {
    if (e instanceof ApiFailure && e.missingRoute) return unavailable();
    throw e;
  }
  const scopes = report.scopes;
  if (!scopes.length) {
    box.replaceChildren(emptyState(L('검정할 기록이 없습니다', 'Nothing to test yet'), L('호기 정보가 있는 추첨이 필요합니다.', 'Draws with machine labels are needed.'), ['hogi sync']));
    return;
  }
  box.replaceChildren(
    h('div', { class: 'grid2 fairness' }, scopes.map((s) => {
      const tests = s.tests;
      const minP = s.min_adjusted_p;
      const flagged = minP !== null && minP < 0.05;
      return h('section', { class: `card mini fair-${flagged ? 'flag' : 'ok'}`, 'data-scope': String(s.machine) },
        h('h3', {}, words(s.label), h('span', { class: 'muted small' }, L(` · ${fmtInt(s.draws, 'ko')}회`, ` · ${fmtInt(s.draws, 'en')} draws`))),
        h('p', { class: 'fair-conclusion' }, words(s.conclusion)),
        tests.length
          ? h('details', {}, h('summary', {}, L(`검정 ${tests.length}개 자세히`, `${tests.length} tests in detail`)),
              h('ul', { class: 'tests' }, tests.map((t) => h('li', {}, h('strong', {}, t.name), ` · Holm p = ${pText(t.adjusted_p)} · `, words(t.conclusion)))))
          : null,
      );
    })),
  );
}

async function render(main: HTMLElement): Promise<void> {
  main.append(pageHeader(L('예측이 되나요?', 'Does it predict?'), L('과거 회차로 검증한 결과를 그대로 보여줍니다. 무작위보다 낫지 않으면 그렇다고 말합니다.', 'What testing on past rounds found, as it is. If nothing beats chance, this page says so.')));
  const bt = h('div', { id: 'backtest' }, loading());
  const fair = h('div', { id: 'fairness' }, loading());
  main.append(bt, card(L('추첨기는 공정한가요?', 'Are the draw machines fair?'), fair));
  await Promise.all([
    renderBacktest(bt).catch((e: unknown) => bt.replaceChildren(errorBox(e))),
    renderFairness(fair).catch((e: unknown) => fair.replaceChildren(errorBox(e))),
  ]);
}

export const backtestPage: Page = { id: 'backtest', title: () => L('예측이 되나요?', 'Does it predict?'), render };
