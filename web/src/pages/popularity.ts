// "당첨금 나눔 · Prize sharing": any combination's predicted co-winner ratio and expected prize if
// it wins, and the walk-forward evidence that the model sees which combinations people pick.
import { api, ApiFailure, hasRoute } from '../api.js';
import { ballRow } from '../balls.js';
import { chart, COLORS } from '../charts.js';
import { append, clear, fmtInt, fmtNum, h } from '../dom.js';
import { L, lang } from '../i18n.js';
import type { Page } from '../main.js';
import type { PopularityEvidence, PopularityScore } from '../types.js';
import { card, describeError, emptyState, errorBox, field, note, pageHeader, setFieldError, stat } from '../ui.js';

type TierKey = '1' | '2' | '3' | '4' | '5';
const TIERS: TierKey[] = ['1', '2', '3', '4', '5'];
type TierEvidence = NonNullable<NonNullable<PopularityEvidence['evidence']>['tiers'][TierKey]>;

const won = (n: number | null | undefined) => (n === null || n === undefined ? '–' : lang() === 'ko' ? `${fmtInt(Math.round(n), 'ko')}원` : `₩${fmtInt(Math.round(n), 'en')}`);
const tierName = (k: string) => L(`${k}등`, `Tier ${k}`);
const words = (x: { ko: string; en: string }) => (lang() === 'ko' ? x.ko : x.en);
const pText = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3));
const FIXED_PRIZE: Record<string, number> = { '4': 50_000, '5': 5_000 };

/** NO_DATA here means the five prize tiers are missing (draws alone do not do): say what to load. */
function failure(e: unknown): HTMLElement {
  if (!(e instanceof ApiFailure && e.noData)) return errorBox(e);
  return emptyState(
    L('등수별 당첨 자료가 필요합니다', 'The prize tiers are needed'),
    L(
      '이 페이지는 회차마다 1–5등 당첨자 수와 판매액으로 계산합니다. 빈 데이터베이스는 함께 배포된 기록(다섯 등수 포함)을 불러오고, 그 밖에는 등수별 당첨 CSV를 가져오세요.',
      'This page is computed from each round’s winners in all five tiers and its sales. An empty database loads the shipped history (with the five tiers); otherwise import a prizes CSV.',
    ),
    ['hogi import prizes.csv', 'hogi sync'],
  );
}

// ---- score any combination ----------------------------------------------------------------------

function scoreTable(s: PopularityScore): HTMLElement {
  const top = (k: TierKey) => (k === '1' || k === '2' || k === '3' ? k : null);
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': L('등수별 점수', 'Score per tier') },
    h('table', { class: 'data', id: 'pop-score-table' },
      h('thead', {}, h('tr', {}, [
        L('등수', 'Tier'),
        L('공동 당첨 비율', 'Co-winner ratio'),
        L('당첨 시 기대 당첨금 (세전)', 'Expected prize if won (gross)'),
        L('세후', 'After tax'),
        L('평균 조합 (세전)', 'Average combination (gross)'),
        L('평균 조합 (세후)', 'Average combination (after tax)'),
      ].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, TIERS.map((k) => {
        const t = top(k);
        const mine = t ? s.expected_prize_if_won[t] : null;
        const avg = t ? s.average_combination.expected_prize_if_won[t] : null;
        const fixed = L(`고정 ${won(FIXED_PRIZE[k])}`, `fixed ${won(FIXED_PRIZE[k])}`);
        return h('tr', { 'data-tier': k },
          h('th', { scope: 'row' }, tierName(k)),
          h('td', { class: 'mono', 'data-ratio': s.ratio[k] }, fmtNum(s.ratio[k], 3)),
          h('td', { class: 'mono' }, mine ? won(mine.gross) : fixed),
          h('td', { class: 'mono' }, mine ? won(mine.after_tax) : '–'),
          h('td', { class: 'mono' }, avg ? won(avg.gross) : fixed),
          h('td', { class: 'mono' }, avg ? won(avg.after_tax) : '–'),
        );
      })),
    ),
  );
}

function scoreCard(): HTMLElement {
  const input = h('input', { id: 'pop-numbers', type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: '3,11,19,27,35,43' });
  const f = field(L('번호 6개 (쉼표로 구분)', 'Six numbers (comma-separated)'), input);
  const out = h('div', { id: 'pop-score-out', 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form', id: 'pop-score-form' }, f.wrap, h('button', { type: 'submit', class: 'btn', id: 'pop-score' }, L('점수 보기', 'Score')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    setFieldError(input, f.error, null);
    try {
      const s = await api.get<PopularityScore>('/api/popularity/score', { numbers: input.value.replace(/\s+/g, '') });
      clear(out);
      append(out, [
        h('p', {}, ballRow(s.numbers, { size: 'sm' }), ' ', h('span', { class: 'muted small' }, L(`제 ${s.after_round + 1}회 기준 (${s.after_round}회까지의 판매량·당첨자로 학습)`, `for round ${s.after_round + 1} (fitted on sales and winners through ${s.after_round})`))),
        scoreTable(s),
        h('p', { class: 'muted small', id: 'pop-score-note' }, words(s.note)),
      ]);
    } catch (e) {
      clear(out);
      if (e instanceof ApiFailure && e.field === 'numbers') setFieldError(input, f.error, L('1–45의 서로 다른 번호 6개를 쉼표로 구분해 입력하세요.', 'Enter six different numbers 1–45 separated by commas.'));
      else out.append(failure(e));
    }
  });
  return card(
    L('아무 조합이나 점수 매기기', 'Score any combination'),
    h('p', { class: 'muted' }, L(
      '비율 1은 평균 조합입니다. 1보다 크면 같은 번호를 고른 사람이 많아 당첨되면 나눠 갖는 사람이 많고, 1보다 작으면 적습니다. 당첨 확률은 어느 조합이나 같습니다.',
      'A ratio of 1 is an average combination. Above 1, more players hold it, so a win is shared with more people; below 1, with fewer. The chance of winning is the same for every combination.',
    )),
    form,
    out,
  );
}

// ---- the evidence -------------------------------------------------------------------------------

interface Window {
  from?: number;
  to?: number;
  retrain_every?: number;
}

function windowFromHash(): Window {
  const q = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const num = (k: string) => {
    const v = q.get(k);
    return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  return { from: num('from'), to: num('to'), retrain_every: num('retrain_every') };
}

function quintileChart(k: TierKey, t: TierEvidence): HTMLElement {
  const labels = t.quintiles.map((q) => L(`${q.quintile}분위`, `Q${q.quintile}`));
  return chart(
    L(`${tierName(k)}: 예측 인기 5분위별 예측 vs 실제 공동 당첨 비율`, `${tierName(k)}: predicted vs realized co-winner ratio by predicted quintile`),
    {
      grid: { left: 44, right: 12, top: 36, bottom: 28 },
      legend: { top: 0, data: [L('예측', 'Predicted'), L('실제', 'Realized')] },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmtNum(Number(v), 3) },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', splitLine: { lineStyle: { color: COLORS.grid } } },
      series: [
        { type: 'bar', name: L('예측', 'Predicted'), data: t.quintiles.map((q) => Number(q.mean_predicted_ratio.toFixed(4))), itemStyle: { color: COLORS.chance } },
        {
          type: 'bar',
          name: L('실제', 'Realized'),
          data: t.quintiles.map((q) => Number(q.mean_realized_ratio.toFixed(4))),
          itemStyle: { color: COLORS.observed },
          markLine: { symbol: 'none', lineStyle: { color: COLORS.accent, type: 'dashed' }, label: { formatter: L('평균 1', 'average 1') }, data: [{ yAxis: 1 }] },
        },
      ],
    },
    220,
    L('1분위 = 가장 덜 고른다고 예측한 회차, 5분위 = 가장 많이 고른다고 예측한 회차. 실제 비율 = 당첨자 수 ÷ 무작위로 골랐을 때의 기대 당첨자 수.',
      'Q1 = rounds whose winning numbers the model predicted least popular, Q5 = most popular. Realized ratio = winners ÷ the winners uniform play would give.'),
  );
}

function quintileTable(k: TierKey, t: TierEvidence): HTMLElement {
  const prize = k === '1' || k === '2' || k === '3';
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': L(`${tierName(k)} 5분위 표`, `${tierName(k)} quintile table`) },
    h('table', { class: 'data', id: `ev-quintiles-${k}` },
      h('thead', {}, h('tr', {}, [L('예측 5분위', 'Predicted quintile'), L('회차 수', 'Rounds'), L('예측 비율', 'Predicted ratio'), L('실제 비율', 'Realized ratio'), prize ? L('1인당 실제 당첨금', 'Realized prize per winner') : null].filter((x): x is string => x !== null).map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, t.quintiles.map((q) =>
        h('tr', { 'data-quintile': q.quintile },
          h('th', { scope: 'row' }, q.quintile === 1 ? L('1 (가장 덜 인기)', '1 (least popular)') : q.quintile === 5 ? L('5 (가장 인기)', '5 (most popular)') : String(q.quintile)),
          h('td', { class: 'mono' }, q.n),
          h('td', { class: 'mono' }, fmtNum(q.mean_predicted_ratio, 3)),
          h('td', { class: 'mono', 'data-realized': q.mean_realized_ratio }, fmtNum(q.mean_realized_ratio, 3)),
          prize ? h('td', { class: 'mono' }, won(q.mean_prize_each_won)) : null,
        ))),
    ),
  );
}

function calibrationTable(k: TierKey, t: TierEvidence): HTMLElement {
  return h('details', { class: 'calibration' },
    h('summary', {}, L(`${tierName(k)} 예측 10분위별 보정`, `${tierName(k)} calibration by predicted decile`)),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'data', id: `ev-calibration-${k}` },
        h('thead', {}, h('tr', {}, [L('10분위', 'Decile'), L('회차 수', 'Rounds'), L('예측 비율', 'Predicted ratio'), L('예측 당첨자 ÷ 기대', 'Predicted winners ÷ uniform'), L('실제 비율', 'Realized ratio')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, t.calibration.map((c) => h('tr', {}, h('td', {}, c.decile), h('td', { class: 'mono' }, c.n), h('td', { class: 'mono' }, fmtNum(c.mean_predicted_ratio, 3)), h('td', { class: 'mono' }, fmtNum(c.mean_expected_ratio, 3)), h('td', { class: 'mono' }, fmtNum(c.mean_realized_ratio, 3))))),
      ),
    ),
  );
}

function goalsTable(ev: PopularityEvidence): HTMLElement {
  const e = ev.evidence;
  if (!e) return h('p', {});
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': L('목표 대비 결과', 'Results against the goals') },
    h('table', { class: 'data', id: 'ev-goals' },
      h('thead', {}, h('tr', {}, [L('등수', 'Tier'), L('지표', 'Measure'), L('측정값', 'Measured'), L('목표', 'Goal'), L('결과', 'Result')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, e.goals.map((g) => {
        const t = e.tiers[g.tier as TierKey];
        const isCorr = g.tier !== '1';
        return h('tr', { 'data-tier': g.tier },
          h('th', { scope: 'row' }, tierName(g.tier)),
          h('td', {}, isCorr ? L('상관계수 (로그 예측 vs 실제)', 'Correlation (log predicted vs realized)') : L('가장 인기 5분위 ÷ 가장 덜 인기 5분위 실제 비율', 'Most ÷ least popular quintile, realized ratio')),
          h('td', { class: 'mono' }, g.measured === null ? '–' : isCorr ? `${fmtNum(g.measured, 3)}${t ? ` [${fmtNum(t.pearson_ci95.low, 3)}, ${fmtNum(t.pearson_ci95.high, 3)}]` : ''}` : `${fmtNum(g.measured, 2)}×`),
          h('td', { class: 'mono' }, isCorr ? `≥ ${fmtNum(g.target, 2)}` : `≥ ${fmtNum(g.target, 1)}×`),
          // Over another window the goal is not judged: a short one is mostly noise.
          h('td', {}, g.applies
            ? h('span', { class: `badge verdict-${g.met ? 'good' : 'bad'}` }, g.met ? L('달성', 'Met') : L('미달', 'Missed'))
            : h('span', { class: 'badge verdict-neutral' }, L('판정 안 함 (목표 구간 아님)', 'Not judged (not the goal window)'))),
        );
      })),
    ),
  );
}

function tierSection(k: TierKey, t: TierEvidence | null): HTMLElement {
  if (!t) return h('section', { class: 'card mini', 'data-tier': k }, h('h3', {}, tierName(k)), h('p', { class: 'muted' }, L('이 구간에는 이 등수의 당첨자 자료가 부족합니다.', 'Too few rounds with this tier’s winners in the window.')));
  const pooled = k === '1' || k === '2' || k === '3';
  const least = t.least_popular_quintile;
  const most = t.most_popular_quintile;
  return h('section', { class: 'card', 'data-tier': k },
    h('h3', {}, tierName(k), ' ', h('span', { class: 'muted small' }, pooled ? L('· 당첨금을 나눔 (변동)', '· prize shared (pari-mutuel)') : L('· 고정 당첨금', '· fixed prize'))),
    h('div', { class: 'stats-row' },
      stat(L('상관계수', 'Correlation'), h('span', { class: 'mono', id: `ev-pearson-${k}` }, fmtNum(t.pearson, 3)), `95% CI [${fmtNum(t.pearson_ci95.low, 3)}, ${fmtNum(t.pearson_ci95.high, 3)}]`),
      stat(L('순열 p', 'Permutation p'), h('span', { class: 'mono' }, pText(t.permutation_p))),
      stat('Spearman', h('span', { class: 'mono' }, fmtNum(t.spearman, 3))),
      stat(L('회차 수', 'Rounds'), h('span', { class: 'mono' }, t.n)),
      stat(L('5분위 배율', 'Quintile ratio'), h('span', { class: 'mono' }, `${fmtNum(t.quintile_ratio, 2)}×`), L('가장 인기 ÷ 가장 덜 인기', 'most ÷ least popular')),
    ),
    quintileChart(k, t),
    quintileTable(k, t),
    pooled && least.mean_prize_each_won !== null && most.mean_prize_each_won !== null
      ? h('p', { class: 'small', id: `ev-prize-${k}` }, L(
          `가장 덜 인기 5분위 회차의 1인당 당첨금 평균 ${won(least.mean_prize_each_won)}, 가장 인기 5분위 ${won(most.mean_prize_each_won)} (회차마다 판매량과 이월이 달라 잡음이 큽니다).`,
          `Mean prize per winner in the least popular quintile's rounds ${won(least.mean_prize_each_won)}, in the most popular ${won(most.mean_prize_each_won)} (sales and carry-overs differ by round, so this is noisy).`,
        ))
      : null,
    calibrationTable(k, t),
  );
}

function evidenceBody(ev: PopularityEvidence): HTMLElement[] {
  const e = ev.evidence;
  if (!e) return [];
  const peers = h('ul', { id: 'ev-peers', class: 'small' }, ev.peers.map((p) => h('li', {}, h('strong', { class: 'mono' }, fmtNum(p.value, 3)), ' — ', words(p))));
  return [
    h('p', { id: 'ev-window' }, L(
      `제 ${ev.window.from}–${ev.window.to}회 ${ev.window.rounds}회차, ${ev.window.retrain_every}회마다 그 이전 회차만으로 다시 학습.`,
      `Rounds ${ev.window.from}–${ev.window.to} (${ev.window.rounds} rounds), refitted every ${ev.window.retrain_every} rounds on earlier rounds only.`,
    )),
    goalsTable(ev),
    h('p', { class: 'muted small' }, L(
      '목표는 제 939–1238회(자료가 있는 마지막 300회) 기준입니다. 짧은 구간의 결과는 잡음이 커서 신뢰구간이 넓습니다.',
      'The goals are set for rounds 939–1238 (the last 300 with prize data). A short window is noisy: see how wide its intervals are.',
    )),
    h('h3', {}, L('공개된 다른 모델의 수치', 'What the public peers report')),
    peers,
    h('p', { class: 'muted small' }, L(
      '다른 모델의 수치는 다른 나라 복권·다른 기간에서 나온 것이라 직접 비교는 참고용입니다.',
      'The peers measured other lotteries over other periods, so the comparison is only a guide.',
    )),
    h('div', { class: 'tier-evidence' }, TIERS.map((k) => tierSection(k, e.tiers[k]))),
  ];
}

function evidenceCard(): HTMLElement {
  const initial = windowFromHash();
  const from = h('input', { id: 'ev-from', type: 'number', min: 1, inputmode: 'numeric', value: initial.from ?? '' });
  const to = h('input', { id: 'ev-to', type: 'number', min: 1, inputmode: 'numeric', value: initial.to ?? '' });
  const every = h('input', { id: 'ev-retrain', type: 'number', min: 1, inputmode: 'numeric', value: initial.retrain_every ?? '' });
  const fFrom = field(L('시작 회차', 'From round'), from, L('비우면 자료가 있는 마지막 300회', 'empty: the last 300 rounds with data'));
  const fTo = field(L('끝 회차', 'To round'), to, L('비우면 마지막 회차', 'empty: the last round'));
  const fEvery = field(L('재학습 간격', 'Refit every'), every, L('비우면 10회', 'empty: 10 rounds'));
  const fields: Record<string, { control: HTMLElement; error: HTMLElement }> = { from: { control: from, error: fFrom.error }, to: { control: to, error: fTo.error }, retrain_every: { control: every, error: fEvery.error } };
  const status = h('div', { id: 'ev-status', role: 'status', 'aria-live': 'polite' });
  const out = h('div', { id: 'ev-out' });
  const form = h('form', { class: 'inline-form', id: 'ev-form' }, fFrom.wrap, fTo.wrap, fEvery.wrap, h('button', { type: 'submit', class: 'btn', id: 'ev-run' }, L('보기', 'Show')));
  let generation = 0;

  const num = (el: HTMLInputElement) => (el.value.trim() === '' ? undefined : el.value.trim());
  // The first call comes before the card is in the page: "left the page" is checked after each answer.
  const poll = async (gen: number): Promise<void> => {
    if (gen !== generation) return;
    for (const f of Object.values(fields)) setFieldError(f.control, f.error, null);
    let ev: PopularityEvidence;
    try {
      ev = await api.get<PopularityEvidence>('/api/popularity/evidence', { from: num(from), to: num(to), retrain_every: num(every) });
    } catch (e) {
      if (gen !== generation || !out.isConnected) return;
      clear(status);
      clear(out);
      const f = e instanceof ApiFailure && e.field ? fields[e.field] : undefined;
      if (f) setFieldError(f.control, f.error, describeError(e));
      else out.append(failure(e));
      return;
    }
    if (gen !== generation || !out.isConnected) return;
    clear(status);
    if (ev.status === 'queued' || ev.status === 'running') {
      const pct = Math.round(ev.progress.fraction * 100);
      append(status, [
        h('p', {}, ev.status === 'queued'
          ? L('다른 백테스트가 끝나기를 기다리는 중입니다…', 'Waiting for another backtest to finish…')
          : L(`제 ${ev.window.from}–${ev.window.to}회 백테스트 중: ${ev.progress.done}/${ev.progress.total}회차`, `Backtesting rounds ${ev.window.from}–${ev.window.to}: ${ev.progress.done}/${ev.progress.total} rounds`)),
        h('progress', { id: 'ev-progress', max: 100, value: pct, 'aria-label': L('백테스트 진행률', 'Backtest progress') }),
        h('span', { class: 'mono' }, ` ${pct}%`),
        h('p', { class: 'muted small' }, L('처음 한 번은 몇 분 걸릴 수 있습니다. 끝난 결과는 저장되어 다음에는 바로 보입니다.', 'The first run can take a few minutes; the finished result is kept, so next time it shows at once.')),
      ]);
      window.setTimeout(() => void poll(gen), 2000);
      return;
    }
    clear(out);
    if (ev.status === 'failed') {
      out.append(note(L(`백테스트가 실패했습니다: ${ev.error ?? ''} 다시 시도하면 새로 실행합니다.`, `The backtest failed: ${ev.error ?? ''} Trying again starts it anew.`), 'warn'));
      return;
    }
    out.dataset.status = 'done';
    append(out, evidenceBody(ev));
  };
  const run = () => {
    generation += 1;
    clear(out);
    delete out.dataset.status;
    void poll(generation);
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    run();
  });
  run();
  return card(
    L('증거: 예측한 인기와 실제 당첨자 수', 'Evidence: predicted popularity against realized winners'),
    note(h('span', { id: 'ev-honest' }, L(
      '당첨금을 나누는 사람 수는 당첨됐을 때 받는 금액만 바꿀 뿐, 당첨 확률은 바꾸지 않습니다. 모든 조합이 뽑힐 확률은 같습니다. 아래 수치는 각 회차를 그 이전 회차만으로 학습한 모델로 채점한 것이지만, 모델 설정은 939–1238회를 보며 골랐으므로 그 구간과 겹치는 수치는 다소 낙관적입니다.',
      'How many winners share a prize changes only how much you get if you win, never the chance of winning: every combination is drawn with the same probability. Each round below is scored by a model fitted only on earlier rounds, but the model settings were chosen while looking at rounds 939–1238, so figures over windows that overlap them flatter the model somewhat.',
    )), 'info'),
    form,
    status,
    out,
  );
}

export const popularityPage: Page = {
  id: 'popularity',
  title: () => L('당첨금 나눔', 'Prize sharing'),
  async render(main) {
    main.append(pageHeader(this.title(), L(
      '1–3등 당첨금은 당첨자끼리 나눕니다. 남들이 덜 고르는 조합은 같은 확률로 당첨되지만, 당첨되면 더 많이 받습니다.',
      'Tiers 1–3 split their pool among the winners. A combination few others pick wins with the same odds, but pays more when it does.',
    )));
    if (!(await hasRoute('/api/popularity/evidence'))) {
      main.append(emptyState(L('이 서버에는 이 기능이 없습니다', 'This server does not have this feature'), L('hogi를 최신 버전으로 업데이트하세요.', 'Update hogi to the latest version.')));
      return;
    }
    main.append(scoreCard(), evidenceCard());
  },
};
