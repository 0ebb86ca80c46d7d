import { api, ApiFailure, hasRoute } from '../api.js';
import { chart, COLORS } from '../charts.js';
import { append, fmtInt, fmtNum, h } from '../dom.js';
import { L, lang, machineName } from '../i18n.js';
import type { Page } from '../main.js';
import { card, errorBox, field, loading, emptyState, pageHeader, note } from '../ui.js';

/*
 * Shapes of /api/backtests/{id} (summary: src/service/backtest/summary.ts) and
 * /api/statistics/fairness (src/domain/fairness/report.ts). Both are read defensively: keys in
 * camelCase or snake_case, optional parts tolerated, so the page degrades instead of breaking.
 */
type Json = Record<string, unknown>;

const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
function pick(o: unknown, ...keys: string[]): unknown {
  if (!isObj(o)) return undefined;
  for (const k of keys) if (o[k] !== undefined) return o[k];
  return undefined;
}
const num = (o: unknown, ...keys: string[]): number | null => {
  const v = pick(o, ...keys);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};
const str = (o: unknown, ...keys: string[]): string | null => {
  const v = pick(o, ...keys);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
};
/** A {ko, en} pair or a plain string in the current language. */
function words(x: unknown): string | null {
  if (typeof x === 'string') return x;
  if (isObj(x)) return str(x, lang(), 'en', 'ko');
  return null;
}

const METHOD_NAMES: Record<string, [string, string]> = {
  random: ['무작위 (기준)', 'Random (control)'],
  frequency_baseline: ['빈도 기준선', 'Frequency baseline'],
  transformer: ['Transformer 단독', 'Transformer alone'],
  ensemble: ['앙상블 단독', 'Ensemble alone'],
  weighted_voting: ['가중 투표', 'Weighted voting'],
  stacking: ['스태킹', 'Stacking'],
  blending: ['블렌딩', 'Blending'],
  strategy_1: ['1호기 전략', 'Machine 1 strategy'],
  strategy_2: ['2호기 전략', 'Machine 2 strategy'],
  strategy_3: ['3호기 전략', 'Machine 3 strategy'],
};
const methodName = (m: string) => (METHOD_NAMES[m] ? L(...METHOD_NAMES[m]) : m);

function verdictBadge(v: string | null): HTMLElement {
  const [ko, en, cls] =
    v === 'better_than_chance' ? ['무작위보다 나음', 'Better than chance', 'good'] : v === 'worse_than_chance' ? ['무작위보다 못함', 'Worse than chance', 'bad'] : ['차이 없음', 'No evidence of an edge', 'neutral'];
  return h('span', { class: `badge verdict-${cls}` }, L(ko, en));
}

/** Progress as a percentage, whether the server reports 0..1 or 0..100. */
function progressPct(x: unknown): number | null {
  const p = num(x, 'progress', 'progress_pct') ?? num(pick(x, 'progress'), 'fraction');
  return p === null ? null : p > 1 ? p : p * 100;
}

const pText = (p: number | null) => (p === null ? '–' : p < 0.0001 ? '< 0.0001' : p.toFixed(4));

function matchesChart(methods: Json[], chance: number): HTMLElement {
  const narrow = window.innerWidth < 640;
  const names = methods.map((m) => methodName(str(m, 'method') ?? '?'));
  const lower = methods.map((m) => num(pick(m, 'mean_matches_ci', 'meanMatchesCi'), 'lower') ?? num(m, 'mean_matches', 'meanMatches') ?? 0);
  const upper = methods.map((m) => num(pick(m, 'mean_matches_ci', 'meanMatchesCi'), 'upper') ?? num(m, 'mean_matches', 'meanMatches') ?? 0);
  const mean = methods.map((m) => num(m, 'mean_matches', 'meanMatches') ?? 0);
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

function methodTable(methods: Json[]): HTMLElement {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': L('방법별 결과', 'Results per method') },
    h('table', { class: 'data', id: 'methods-table' },
      h('thead', {}, h('tr', {}, [L('방법', 'Method'), L('평균 일치', 'Mean matches'), '95% CI', L('p (단측)', 'p (one-sided)'), 'Holm p', L('N개 중 최고', 'Best of N'), 'log-loss Δ', L('판정', 'Verdict')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, methods.map((m) => {
        const ci = pick(m, 'mean_matches_ci', 'meanMatchesCi');
        const best = pick(m, 'best_of_n', 'bestOfN');
        const ll = pick(m, 'log_loss', 'logLoss');
        return h('tr', { 'data-method': str(m, 'method') ?? '' },
          h('th', { scope: 'row' }, methodName(str(m, 'method') ?? '?')),
          h('td', { class: 'num' }, fmtNum(num(m, 'mean_matches', 'meanMatches'), 3)),
          h('td', { class: 'num nowrap' }, ci ? `${fmtNum(num(ci, 'lower'), 3)} – ${fmtNum(num(ci, 'upper'), 3)}` : '–'),
          h('td', { class: 'num' }, pText(num(m, 'p_value', 'pValue'))),
          h('td', { class: 'num' }, pText(num(m, 'p_value_holm', 'pValueHolm'))),
          h('td', { class: 'num nowrap' }, best ? `${fmtNum(num(best, 'observed_mean', 'observedMean'), 3)} / ${fmtNum(num(best, 'chance_mean', 'chanceMean'), 3)}` : '–'),
          h('td', { class: 'num' }, ll ? fmtNum(num(ll, 'difference'), 4) : '–'),
          h('td', {}, verdictBadge(str(m, 'verdict'))),
        );
      })),
    ),
  );
}

function tierTable(methods: Json[], probabilities: unknown): HTMLElement {
  const tiers = [5, 4, 3, 2, 1];
  const tierLabel = (t: number) => L(`${t}등`, `${t}${t === 1 ? 'st' : t === 2 ? 'nd' : t === 3 ? 'rd' : 'th'}`);
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': L('당첨 등수', 'Prize tiers') },
    h('table', { class: 'data', id: 'tiers-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, L('방법', 'Method')), tiers.map((t) => h('th', { scope: 'col' }, tierLabel(t))))),
      h('tbody', {},
        // The chance of each tier for one ticket, then each method's count against its expectation.
        h('tr', { class: 'prob-row' }, h('th', { scope: 'row' }, L('1장당 확률', 'Chance per ticket')), tiers.map((t) => {
          const p = num(probabilities, String(t));
          return h('td', { class: 'num nowrap muted' }, p === null ? '–' : p >= 0.001 ? `${(p * 100).toFixed(2)}%` : `1 / ${fmtInt(Math.round(1 / p), lang())}`);
        })),
        methods.map((m) => {
        const rows = arr(pick(m, 'prize_tiers', 'prizeTiers'));
        return h('tr', {},
          h('th', { scope: 'row' }, methodName(str(m, 'method') ?? '?')),
          tiers.map((t) => {
            const r = rows.find((x) => num(x, 'tier') === t);
            return h('td', { class: 'num nowrap', title: r ? `p = ${pText(num(r, 'p_value', 'pValue'))}` : '' }, r ? h('span', {}, h('strong', {}, fmtInt(num(r, 'count'), lang())), h('span', { class: 'muted' }, ` / ${fmtNum(num(r, 'expected'), 2)}`)) : '–');
          }),
        );
      })),
    ),
  );
}

function calibrationChart(methods: Json[]): HTMLElement | null {
  const withBins = methods.filter((m) => arr(pick(m, 'calibration')).length > 0).slice(0, 6);
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
          name: methodName(str(m, 'method') ?? '?'),
          data: arr(pick(m, 'calibration')).map((b) => [num(b, 'meanPredicted', 'mean_predicted') ?? 0, num(b, 'observedRate', 'observed_rate') ?? 0]),
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

function summaryOf(detail: unknown): Json | null {
  if (!isObj(detail)) return null;
  const s = pick(detail, 'summary', 'summary_json');
  if (isObj(s)) return s;
  return pick(detail, 'overall') ? detail : null;
}

async function renderBacktest(box: HTMLElement): Promise<void> {
  let list: unknown = [];
  if (await hasRoute('/api/backtests')) {
    try {
      list = await api.get<unknown>('/api/backtests');
    } catch (e) {
      if (!(e instanceof ApiFailure && e.missingRoute)) throw e;
    }
  }
  const items = Array.isArray(list) ? list : arr(pick(list, 'items', 'backtests'));
  const done = items.filter((x) => /complete|done|finished/i.test(str(x, 'status') ?? 'completed'));
  const running = items.find((x) => /running|in_progress|pending/i.test(str(x, 'status') ?? ''));
  const emptyCmd = 'hogi backtest --from 941 --to 1240 --machine all --config small';
  if (!done.length) {
    box.replaceChildren();
    append(box, [
      emptyState(L('아직 백테스트가 없습니다', 'No backtest yet'), L('과거 회차마다 그 이전 기록만으로 학습하고 예측해 무작위와 비교합니다. 한 번 실행하면 결과가 여기에 나옵니다.', 'It trains on the draws before each past round, predicts it, and compares with chance. Run one and the results appear here.'), [emptyCmd]),
      running ? note(L(`백테스트를 실행하는 중입니다 (${fmtNum(progressPct(running), 0)}%).`, `A backtest is running (${fmtNum(progressPct(running), 0)}%).`)) : null,
    ]);
    return;
  }
  const latest = done[0];
  const id = str(latest, 'id', 'backtest_id');
  const detail = id ? await api.get<unknown>(`/api/backtests/${encodeURIComponent(id)}`) : latest;
  const summary = summaryOf(detail);
  if (!summary) {
    box.replaceChildren(note(L('백테스트 결과를 읽을 수 없습니다.', 'The backtest result could not be read.'), 'warn'));
    return;
  }
  const scopes: Json[] = [pick(summary, 'overall'), ...arr(pick(summary, 'machines'))].filter(isObj);
  const chanceMean = num(pick(summary, 'chance'), 'mean_matches', 'meanMatches') ?? 0.8;
  const params = pick(detail, 'params');
  const conclusion = words(pick(summary, 'conclusion'));
  const significant = arr(pick(summary, 'significant_methods', 'significantMethods')).filter((x): x is string => typeof x === 'string');

  const scopeSel = h('select', { id: 'bt-scope' }, scopes.map((s, i) => h('option', { value: i }, scopeLabel(s))));
  const scopeF = field(L('범위', 'Scope'), scopeSel);
  const scopeBox = h('div', { id: 'bt-scope-box' });
  const showScope = () => {
    const s = scopes[Number(scopeSel.value)] ?? scopes[0];
    const methods = arr(pick(s, 'methods')).filter(isObj);
    scopeBox.replaceChildren();
    append(scopeBox, [
      h('p', { class: 'muted' }, L(`${fmtInt(num(s, 'rounds'), 'ko')}회 (${str(s, 'first_round', 'firstRound') ?? '?'}–${str(s, 'last_round', 'lastRound') ?? '?'})`, `${fmtInt(num(s, 'rounds'), 'en')} rounds (${str(s, 'first_round', 'firstRound') ?? '?'}–${str(s, 'last_round', 'lastRound') ?? '?'})`)),
      matchesChart(methods, chanceMean),
      methodTable(methods),
      h('h3', {}, L('당첨 등수: 실제 / 무작위 기대', 'Prize tiers: observed / expected by chance')),
      tierTable(methods, pick(pick(summary, 'chance'), 'prize_tier_probabilities', 'prizeTierProbabilities')),
      calibrationChart(methods),
    ]);
  };
  scopeSel.addEventListener('change', showScope);

  box.replaceChildren(
    h('section', { class: `card conclusion ${significant.length ? 'conclusion-edge' : 'conclusion-none'}`, id: 'bt-conclusion' },
      h('h2', {}, L('결론', 'The conclusion')),
      h('p', { class: 'conclusion-text' }, conclusion ?? L('결론이 기록되지 않았습니다.', 'No conclusion recorded.')),
      h('p', { class: 'muted' },
        L('백테스트 ', 'Backtest '), h('code', {}, id ?? '?'),
        params ? ` · ${L('회차', 'rounds')} ${str(params, 'from') ?? '?'}–${str(params, 'to') ?? '?'} · ${L('세트', 'sets')} ${str(params, 'sets') ?? '?'} · seed ${str(params, 'seed') ?? '?'}` : '',
      ),
    ),
    card(L('방법별 성적 vs 무작위', 'Each method against chance'), h('div', { class: 'filters' }, scopeF.wrap), scopeBox),
  );
  showScope();
}

function scopeLabel(s: Json): string {
  const m = num(s, 'machine');
  return m === null ? L('전체 호기', 'All machines') : machineName(m);
}

async function renderFairness(box: HTMLElement): Promise<void> {
  const unavailable = () =>
    box.replaceChildren(emptyState(L('공정성 검정을 아직 제공하지 않습니다', 'Fairness tests are not available yet'), L('이 서버 버전에는 공정성 엔드포인트가 없습니다. 터미널에서 실행할 수 있습니다.', 'This server version has no fairness endpoint; run it in a terminal.'), ['hogi fairness --machine all']));
  if (!(await hasRoute('/api/statistics/fairness'))) return unavailable();
  let report: unknown;
  try {
    report = await api.get<unknown>('/api/statistics/fairness');
  } catch (e) {
    if (e instanceof ApiFailure && e.missingRoute) return unavailable();
    throw e;
  }
  const scopes = arr(pick(report, 'scopes')).filter(isObj);
  if (!scopes.length) {
    box.replaceChildren(emptyState(L('검정할 기록이 없습니다', 'Nothing to test yet'), L('호기 정보가 있는 추첨이 필요합니다.', 'Draws with machine labels are needed.'), ['hogi sync']));
    return;
  }
  box.replaceChildren(
    h('div', { class: 'grid2 fairness' }, scopes.map((s) => {
      const tests = arr(pick(s, 'tests')).filter(isObj);
      const minP = num(s, 'minAdjustedP', 'min_adjusted_p');
      const flagged = minP !== null && minP < 0.05;
      return h('section', { class: `card mini fair-${flagged ? 'flag' : 'ok'}`, 'data-scope': str(s, 'machine') ?? '' },
        h('h3', {}, words(pick(s, 'label')) ?? String(pick(s, 'machine')), h('span', { class: 'muted small' }, L(` · ${fmtInt(num(s, 'draws'), 'ko')}회`, ` · ${fmtInt(num(s, 'draws'), 'en')} draws`))),
        h('p', { class: 'fair-conclusion' }, words(pick(s, 'conclusion')) ?? ''),
        tests.length
          ? h('details', {}, h('summary', {}, L(`검정 ${tests.length}개 자세히`, `${tests.length} tests in detail`)),
              h('ul', { class: 'tests' }, tests.map((t) => h('li', {}, h('strong', {}, str(t, 'name', 'test') ?? '?'), ` · Holm p = ${pText(num(t, 'adjustedP', 'adjusted_p'))} · `, words(pick(t, 'conclusion')) ?? ''))))
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
