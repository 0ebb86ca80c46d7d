import { api, ApiFailure } from '../api.js';
import { ball, ballRow } from '../balls.js';
import { chart, COLORS } from '../charts.js';
import { clear, fmtNum, h } from '../dom.js';
import { L, lang, machineName } from '../i18n.js';
import type { Page } from '../main.js';
import type { PredictionItem, PredictionResponse } from '../types.js';
import { saveAsTicketButton } from './saveAsTicket.js';
import { card, describeError, errorBox, field, note, pageHeader, setFieldError } from '../ui.js';
import { wheelSection } from './wheel.js';
import { ballPicker, type BallPicker } from '../ballPicker.js';

const MAX_SETS = 20;
const MAX_FIXED = 5;
const MAX_EXCLUDED = 39;
const CHANCE = 0.8;

type Mark = 'fixed' | 'excluded';

/** Remembered between visits of the page within a session. */
const state = {
  machine: 'all',
  count: 5,
  algorithm: 'enhanced',
  method: 'auto',
  seed: '',
  avoidSharing: false,
  marks: new Map<number, Mark>(),
  mode: 'fixed' as Mark,
  last: null as PredictionResponse | null,
};

function algorithmOptions(): Array<[string, string]> {
  return [
    ['basic', L('basic · 빈도 기준 + 호기 전략', 'basic · frequency baseline + machine strategy')],
    ['enhanced', L('enhanced · Transformer + RF/GB/MLP 앙상블 가중 투표', 'enhanced · Transformer + RF/GB/MLP ensemble, weighted voting')],
    ['premium', L('premium · 백테스트가 고른 조합 방식', 'premium · the combination method backtests rank best')],
  ];
}

function methodOptions(): Array<[string, string]> {
  return [
    ['auto', L('알고리즘에 맡김', 'As the algorithm decides')],
    ['weighted_voting', L('가중 투표 (0.55 / 0.45)', 'Weighted voting (0.55 / 0.45)')],
    ['stacking', L('스태킹 (hogi train --stacking 필요)', 'Stacking (needs hogi train --stacking)')],
    ['blending', L('블렌딩 (최근 적중도 가중)', 'Blending (weights from recent log-likelihood)')],
  ];
}

/** The model families as people know them; the API keeps the design's names (pytorch_transformer, sklearn_ensemble). */
export function modelLabel(name: string): string {
  if (name === 'pytorch_transformer') return 'Transformer';
  if (name === 'frequency_baseline') return L('빈도 기준선', 'frequency baseline');
  if (name === 'sklearn_ensemble' || name === 'enhanced_predictor') return L('RF/GB/MLP 앙상블', 'RF/GB/MLP ensemble');
  return name;
}

function methodLabel(method: string): string {
  const known = new Map<string, string>([...methodOptions(), ['frequency_baseline', L('빈도 기준선', 'frequency baseline')]]);
  return method.split(',').map((m) => known.get(m) ?? m).join(', ');
}

function select(id: string, options: Array<[string, string]>, value: string): HTMLSelectElement {
  const s = h('select', { id, name: id });
  for (const [v, label] of options) s.append(h('option', { value: v, selected: v === value }, label));
  return s;
}

/** The set as one line of text, for the clipboard. */
function setLine(p: PredictionItem): string {
  return `${machineName(p.machine_type)} #${p.set_number}: ${p.numbers.map((n) => String(n).padStart(2, ' ')).join(' ')}`;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (insecure origin, permissions): fall back to a selected textarea.
    const ta = h('textarea', { class: 'sr-only', 'aria-hidden': 'true' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}

/** Who scored the set: the trained models, or the frequency baseline standing in for them. */
type Scorer = 'models' | 'baseline';

function percentileBadge(score: number, scorer: Scorer): HTMLElement {
  const pct = Math.round(score * 1000) / 10;
  const who = scorer === 'baseline' ? L('빈도 기준선', 'frequency baseline') : L('모델', 'model');
  return h(
    'span',
    {
      class: 'badge badge-pct',
      title: L(
        `${who} 점수로 매긴 순위: 전체 8,145,060 조합 중 ${pct}%보다 높습니다. 순위일 뿐 당첨 확률이 아니며, 모든 조합의 당첨 확률은 같습니다.`,
        `A ranking by the ${who}'s score: above ${pct}% of all 8,145,060 combinations. A rank, not a chance of winning; every combination has the same chance.`,
      ),
    },
    L(`${who} 순위 백분위 ${fmtNum(pct, 1)}`, `${scorer === 'baseline' ? 'Baseline' : 'Model'} rank percentile ${fmtNum(pct, 1)}`),
  );
}

function expectedMeter(value: number, scorer: Scorer): HTMLElement {
  const max = 1.6;
  const who = scorer === 'baseline' ? L('빈도 기준선', 'the frequency baseline') : L('모델', 'the model');
  return h(
    'div',
    {
      class: 'meter',
      title: L(
        `${who}이 옳다고 가정할 때의 기대 일치 ${fmtNum(value, 3)}개. 실제로는 어떤 세트든 기대 일치가 정확히 0.8개입니다.`,
        `Expected matches if ${who} were right: ${fmtNum(value, 3)}. In fact every set expects exactly 0.8.`,
      ),
    },
    h('span', { class: 'meter-label' },
      scorer === 'baseline' ? L('기준선 가정 기대 일치', 'Baseline-assumed matches') : L('모델 가정 기대 일치', 'Model-assumed matches'),
      ' ', h('strong', {}, fmtNum(value, 2)),
      h('span', { class: 'muted' }, L(' · 실제(무작위) 0.8', ' · actual (chance) 0.8'))),
    h('span', { class: 'meter-track', 'aria-hidden': 'true' },
      h('span', { class: 'meter-fill', style: `width:${Math.min(100, (value / max) * 100)}%` }),
      h('span', { class: 'meter-chance', style: `left:${(CHANCE / max) * 100}%` }),
    ),
  );
}

/** Predicted sharing of the set if it wins (popularity model); absent while the prize tiers are not stored. Never the odds. */
function popularityLine(p: PredictionItem): HTMLElement | null {
  const pop = p.popularity;
  if (!pop) return null;
  const r = (k: '1' | '2' | '3') => fmtNum(pop.ratio[k], 2);
  return h(
    'p',
    { class: 'muted popularity', title: L('당첨 확률은 모든 조합이 같습니다. 이 비율은 당첨 시 나눌 사람 수의 예상입니다.', 'Every combination has the same chance; this is how many would share the prize if it won.') },
    L(`공동당첨 예상 비율 (평균 조합 = 1): 1등 ${r('1')} · 2등 ${r('2')} · 3등 ${r('3')} · 당첨 시 1등 예상 몫 ${pop.expected_prize_if_won['1'].toLocaleString('ko')}원`,
      `Expected co-winners vs an average combination: 1st ${r('1')} · 2nd ${r('2')} · 3rd ${r('3')} · 1st prize per winner if it wins ₩${pop.expected_prize_if_won['1'].toLocaleString('en')}`),
  );
}

function setCard(p: PredictionItem, scorer: Scorer): HTMLElement {
  return h(
    'article',
    { class: 'set', 'data-set': p.set_number, 'data-machine': p.machine_type, 'data-numbers': p.numbers.join(',') },
    h('div', { class: 'set-head' }, h('span', { class: 'set-no' }, `#${p.set_number}`), percentileBadge(p.confidence_score, scorer)),
    ballRow(p.numbers, { size: 'lg' }),
    expectedMeter(p.expected_matches, scorer),
    popularityLine(p),
    p.explanation.length
      ? h('details', { class: 'explain' }, h('summary', {}, L('왜 이 번호인가요?', 'Why these numbers?')), h('ul', {}, p.explanation.map((e) => h('li', {}, e))))
      : null,
  );
}

function differentiationCard(r: PredictionResponse): HTMLElement | null {
  const d = r.metadata.differentiation;
  if (!d) return null;
  return card(
    L('호기별 차별화', 'How the machines differ'),
    h('div', { class: 'stats-row' },
      h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, L('차별화 점수', 'Differentiation score')), h('div', { class: 'stat-value' }, fmtNum(d.score, 2)), h('div', { class: 'stat-sub' }, L('1 − 공유 / 서로 다른 번호', '1 − shared / distinct numbers'))),
      h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, L('서로 다른 번호', 'Distinct numbers')), h('div', { class: 'stat-value' }, d.distinct_numbers)),
      ...d.per_machine.map((m) =>
        h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, machineName(m.machine_type)), h('div', { class: 'stat-value' }, m.exclusive), h('div', { class: 'stat-sub' }, L(`전용 번호 (전체 ${m.distinct}개 중)`, `exclusive (of ${m.distinct})`))),
      ),
    ),
    d.shared_numbers.length
      ? h('p', { class: 'shared' }, L('두 호기 이상이 함께 쓴 번호: ', 'Used by two or more machines: '), h('span', { class: 'balls' }, d.shared_numbers.map((n) => ball(n, { size: 'sm' }))))
      : h('p', { class: 'muted' }, L('두 호기 이상이 함께 쓴 번호가 없습니다.', 'No number is used by more than one machine.')),
    h('p', { class: 'muted' }, d.claim),
  );
}

function renderResult(box: HTMLElement, r: PredictionResponse): void {
  clear(box);
  const md = r.metadata;
  const machines = [...new Set(r.predictions.map((p) => p.machine_type))];
  const copyStatus = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const copyAll = async () => {
    const ok = await copyText(`hogi · ${L('제', 'round ')}${md.target_round}${L('회', '')}\n${r.predictions.map(setLine).join('\n')}`);
    copyStatus.textContent = ok ? L('복사했습니다', 'Copied') : L('복사할 수 없습니다', 'Could not copy');
  };
  box.append(
    h('div', { class: 'result-head' },
      h('div', {},
        h('h2', { id: 'result-title', tabindex: '-1' }, L(`제 ${md.target_round}회 예측`, `Sets for round ${md.target_round}`)),
        h('p', { class: 'muted', id: 'result-meta' },
          `${md.algorithm} · ${methodLabel(md.combination_method)} · ${md.models_used.map(modelLabel).join(' + ')} · ${L('시드', 'seed')} ${md.seed}`,
          ' · ',
          h('a', { href: `#/mine?id=${encodeURIComponent(r.request_id)}` }, L('저장됨', 'saved')),
        ),
      ),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn', id: 'copy-sets', onclick: () => void copyAll() }, L('번호 복사', 'Copy sets')),
        h('button', { type: 'button', class: 'btn', id: 'download-json', onclick: () => download('res.json', `${JSON.stringify(r, null, 2)}\n`) }, L('res.json 다운로드', 'Download res.json')),
        copyStatus,
      ),
    ),
  );
  if (md.fallback) {
    box.append(note(h('div', {},
      h('span', {}, L('일부 모델 없이 빈도 기준선으로 대신 만들었습니다. 모델을 학습하려면 ', 'Some models were missing, so the frequency baseline stood in. To train them run '), h('code', {}, 'hogi train'), '.'),
      md.fallback_reasons.length ? h('details', {}, h('summary', {}, L('자세히', 'Details')), h('ul', { class: 'small' }, md.fallback_reasons.map((r) => h('li', {}, r)))) : null,
    ), 'warn'));
  }
  if (md.method_reason) box.append(note(md.method_reason));
  box.append(
    h('p', { class: 'muted small', id: 'score-legend' },
      L(
        '순위 백분위: 이 세트가 점수로 전체 8,145,060 조합 중 몇 %보다 위인지(순위일 뿐 당첨 확률이 아님). 가정 기대 일치: 점수를 낸 쪽이 옳다고 가정할 때 맞을 번호 수. 실제로는 어떤 세트든 모든 조합의 확률이 같아 기대 일치가 정확히 0.8개입니다.',
        'Rank percentile: how many of all 8,145,060 combinations this set outscores (a rank, not a chance of winning). Assumed matches: the numbers expected to match if the scorer were right. In fact every combination is equally likely, so every set expects exactly 0.8.',
      ),
    ),
  );
  for (const m of machines) {
    const sets = r.predictions.filter((p) => p.machine_type === m);
    const meta = md.machines.find((x) => x.machine_type === m);
    box.append(
      h('section', { class: 'machine-group', 'aria-label': machineName(m) },
        h('h3', {}, machineName(m), meta ? h('span', { class: 'muted small' }, ` · ${meta.strategy}`) : null),
        h('div', { class: 'sets' }, sets.map((p) => setCard(p, meta?.combination_method === 'frequency_baseline' ? 'baseline' : 'models'))),
        saveAsTicketButton(r.request_id, sets.map((p) => p.set_number)),
      ),
    );
  }
  const diff = differentiationCard(r);
  if (diff) box.append(diff);
  box.append(
    chart(
      L('세트별 기대 일치 수와 무작위(0.8)', 'Expected matches per set against chance (0.8)'),
      {
        grid: { left: 40, right: 72, top: 16, bottom: 48 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: r.predictions.map((p) => `${String(p.machine_type).replace(/호기$/, '')}-${p.set_number}`), axisLabel: { rotate: r.predictions.length > 10 ? 45 : 0 } },
        yAxis: { type: 'value', min: 0, splitLine: { lineStyle: { color: COLORS.grid } } },
        series: [
          {
            type: 'bar',
            name: L('기대 일치', 'Expected matches'),
            data: r.predictions.map((p) => ({ value: Number(p.expected_matches.toFixed(3)), itemStyle: { color: COLORS.observed } })),
            markLine: { symbol: 'none', label: { formatter: L('무작위 0.8', 'chance 0.8') }, lineStyle: { color: COLORS.accent, type: 'dashed' }, data: [{ yAxis: CHANCE }] },
          },
        ],
      },
      220,
      L('기대 일치는 모델이 맞다고 가정한 값입니다. 실제로 모델이 무작위보다 나은지는 "예측이 되나요?" 페이지의 백테스트가 보여줍니다.',
        'Expected matches assume the model is right. Whether it beats chance in practice is what the backtest on "Does it predict?" shows.'),
    ),
  );
}

function picker(onChange: () => void): BallPicker {
  return ballPicker<Mark>({
    legend: L('번호 고정 · 제외', 'Fixed and excluded numbers'),
    hint: L('모드를 고른 뒤 공을 누르세요. 고정한 번호는 모든 세트에 들어가고, 제외한 번호는 어느 세트에도 들어가지 않습니다.', 'Pick a mode, then press balls. Fixed numbers go into every set; excluded numbers into none.'),
    modes: [
      { value: 'fixed', label: L('고정할 번호', 'Fix numbers') },
      { value: 'excluded', label: L('제외할 번호', 'Exclude numbers') },
    ],
    mode: () => state.mode,
    setMode: (m) => (state.mode = m),
    press: (n, mode) => {
      if (state.marks.get(n) === mode) state.marks.delete(n);
      else state.marks.set(n, mode);
    },
    look: (n, mode) => {
      const m = state.marks.get(n);
      return {
        classes: { fixed: m === 'fixed', excluded: m === 'excluded' },
        pressed: m === mode,
        suffix: m === 'fixed' ? L(' 고정', ' fixed') : m === 'excluded' ? L(' 제외', ' excluded') : '',
      };
    },
    counter: () => {
      const fixed = [...state.marks].filter(([, m]) => m === 'fixed').length;
      const excluded = [...state.marks].filter(([, m]) => m === 'excluded').length;
      return L(`고정 ${fixed}/${MAX_FIXED} · 제외 ${excluded}/${MAX_EXCLUDED}`, `Fixed ${fixed}/${MAX_FIXED} · excluded ${excluded}/${MAX_EXCLUDED}`);
    },
    clear: () => state.marks.clear(),
    onChange,
    ids: { grid: 'picker', help: 'picker-help', error: 'picker-error' },
  });
}

async function render(main: HTMLElement): Promise<void> {
  main.append(pageHeader(L('번호 생성', 'Generate numbers'), L('호기별 모델과 전략으로 다음 회차 번호를 만듭니다. 점수는 순위일 뿐 당첨 확률이 아닙니다.', 'Sets for the next draw from the per-machine models and strategies. Scores are rankings, not chances of winning.')));

  const formError = h('div', { class: 'form-error', role: 'alert' });
  // Machine: a radio group styled as segments.
  const machineErr = h('p', { class: 'field-error', id: 'machine-error', 'aria-live': 'polite' });
  const machineGroup = h('fieldset', { class: 'field', id: 'machine', 'aria-describedby': 'machine-error' }, h('legend', {}, L('호기', 'Machine')));
  const seg = h('div', { class: 'segmented machines' });
  for (const m of ['1', '2', '3', 'all']) {
    const id = `machine-${m}`;
    const input = h('input', { type: 'radio', name: 'machine', id, value: m, checked: state.machine === m });
    input.addEventListener('change', () => (state.machine = m));
    seg.append(h('span', { class: 'seg' }, input, h('label', { for: id }, m === 'all' ? L('모두', 'All three') : machineName(m))));
  }
  machineGroup.append(seg, machineErr);

  const count = h('input', { id: 'sets-count', type: 'number', min: 1, max: MAX_SETS, step: 1, value: state.count, inputmode: 'numeric' });
  const countF = field(L('세트 수 (1–20)', 'Sets (1–20)'), count);
  const alg = select('algorithm', algorithmOptions(), state.algorithm);
  const algF = field(L('알고리즘', 'Algorithm'), alg);
  const method = select('method', methodOptions(), state.method);
  const methodF = field(L('조합 방식', 'Combination method'), method, L('직접 고르면 enhanced 경로로 만듭니다.', 'Choosing one uses the enhanced path.'));
  const seed = h('input', { id: 'seed', type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: L('비우면 무작위', 'random when empty'), value: state.seed });
  const seedF = field(L('시드 (선택)', 'Seed (optional)'), seed, L('같은 시드면 같은 번호가 나옵니다.', 'The same seed gives the same sets.'));
  const avoid = h('input', { id: 'avoid-sharing', type: 'checkbox' });
  avoid.checked = state.avoidSharing;
  const avoidError = h('p', { class: 'field-error', id: 'avoid-sharing-error', 'aria-live': 'polite' });
  const avoidF = h('div', { class: 'field' },
    h('label', { for: 'avoid-sharing' }, avoid, ' ', L('당첨금 나눔 줄이기', 'Share less if it wins')),
    h('p', { class: 'field-hint', id: 'avoid-sharing-hint' }, L('다른 사람이 덜 고를 것으로 예상되는 조합만 (1~3등 예상 공동당첨 비율 0.85 이하). 당첨 확률은 그대로입니다.', 'Only sets predicted to be picked by fewer others (co-winner ratio ≤ 0.85 in tiers 1–3). The chance of winning is unchanged.')),
    avoidError,
  );
  avoid.setAttribute('aria-describedby', 'avoid-sharing-hint avoid-sharing-error');
  const pick = picker(() => setFieldError(pick.el, pick.error, null));
  // An explicit combination method goes through the ensemble route, which has no algorithm choice.
  const syncAlgorithm = () => (alg.disabled = method.value !== 'auto');
  method.addEventListener('change', syncAlgorithm);
  syncAlgorithm();

  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'generate' }, L('번호 생성', 'Generate'));
  const result = h('div', { class: 'result', id: 'result', 'aria-live': 'polite', 'aria-labelledby': 'result-title' });

  const fieldControls: Record<string, [HTMLElement, HTMLElement]> = {
    machine_type: [machineGroup, machineErr],
    sets_count: [count, countF.error],
    algorithm: [alg, algF.error],
    ensemble_method: [method, methodF.error],
    models: [method, methodF.error],
    include: [pick.el, pick.error],
    exclude: [pick.el, pick.error],
    seed: [seed, seedF.error],
    avoid_sharing: [avoid, avoidError],
  };
  const clearErrors = () => {
    formError.replaceChildren();
    for (const [c, e] of Object.values(fieldControls)) setFieldError(c, e, null);
  };

  const form = h('form', { class: 'card form-grid', novalidate: true, 'aria-label': L('번호 생성 설정', 'Generation settings') },
    machineGroup,
    h('div', { class: 'row3' }, countF.wrap, algF.wrap, methodF.wrap),
    pick.el,
    avoidF,
    h('div', { class: 'row-end' }, seedF.wrap, h('div', { class: 'submit-wrap' }, submit)),
    formError,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void generate();
  });

  async function generate(): Promise<void> {
    clearErrors();
    state.count = Number(count.value);
    state.algorithm = alg.value;
    state.method = method.value;
    state.seed = seed.value.trim();
    state.avoidSharing = avoid.checked;
    const body: Record<string, unknown> = {
      machine_type: state.machine,
      // Sent as typed so the API's own validation (and its field name) reports a bad value.
      sets_count: /^\d+$/.test(count.value.trim()) ? Number(count.value) : count.value,
      lang: lang(),
    };
    if (state.seed !== '') body.seed = /^\d+$/.test(state.seed) ? Number(state.seed) : state.seed;
    const include = [...state.marks].filter(([, m]) => m === 'fixed').map(([n]) => n).sort((a, b) => a - b);
    const exclude = [...state.marks].filter(([, m]) => m === 'excluded').map(([n]) => n).sort((a, b) => a - b);
    if (include.length) body.include = include;
    if (exclude.length) body.exclude = exclude;
    if (state.avoidSharing) body.avoid_sharing = true;
    let path = '/api/predictions/generate';
    if (state.method === 'auto') body.algorithm = state.algorithm;
    else {
      path = '/api/ensemble/predictions';
      body.ensemble_method = state.method;
      body.confidence_threshold = 0;
    }
    submit.disabled = true;
    submit.textContent = L('생성 중…', 'Generating…');
    try {
      // no-cache: pressing the button again asks for fresh sets, not a cached answer.
      const r = await api.post<PredictionResponse>(path, body, { 'cache-control': 'no-cache' });
      state.last = r;
      renderResult(result, r);
      result.setAttribute('data-request-id', r.request_id);
      // The sets appear below the form, often below the fold: bring them into view and move focus there.
      const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      result.scrollIntoView({ behavior: reduce ? 'auto' : 'smooth', block: 'start' });
      result.querySelector<HTMLElement>('#result-title')?.focus({ preventScroll: true });
    } catch (e) {
      const key = e instanceof ApiFailure && e.field ? e.field.split('.')[0] : null;
      const target = key ? fieldControls[key] : undefined;
      if (e instanceof ApiFailure && target) {
        const reasons = Array.isArray(e.details.reasons) ? (e.details.reasons as unknown[]).filter((x): x is string => typeof x === 'string') : [];
        const text = describeError(e);
        setFieldError(target[0], target[1], [text, ...reasons.filter((x) => x !== text)].join(' '));
        (target[0].matches('input,select') ? target[0] : target[0].querySelector<HTMLElement>('input,button'))?.focus();
      } else if (e instanceof ApiFailure && e.noData) {
        formError.replaceChildren(errorBox(e));
      } else {
        formError.replaceChildren(h('div', { class: 'alert alert-error' }, describeError(e)));
      }
    } finally {
      submit.disabled = false;
      submit.textContent = L('번호 생성', 'Generate');
    }
  }

  main.append(form, result);
  if (state.last) renderResult(result, state.last);
  main.append(wheelSection());
}

export const predictPage: Page = { id: 'predict', title: () => L('번호 생성', 'Generate'), render };
