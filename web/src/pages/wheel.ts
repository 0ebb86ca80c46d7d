/**
 * The wheel section of the generate page (조합 축소): pick a pool of 7–20 numbers (and fixed ones),
 * a guarantee or a ticket budget, and get the fewest tickets with a verified guarantee.
 */
import { api, ApiFailure } from '../api.js';
import { ballPicker, type BallPicker } from '../ballPicker.js';
import { ballRow } from '../balls.js';
import { clear, fmtInt, h } from '../dom.js';
import { L, lang } from '../i18n.js';
import { GUARANTEE_NAMES } from '../../../src/domain/wheels/guarantee.js';
import type { WheelResponse, WheelTicketsResponse } from '../types.js';
import { describeError, field, note, setFieldError } from '../ui.js';

const MIN_POOL = 7;
const MAX_POOL = 20;
const MAX_FIXED = 5;

type Mode = 'pool' | 'fixed';

/** Remembered between visits of the page within a session. */
const state = {
  pool: new Set<number>(),
  fixed: new Set<number>(),
  mode: 'pool' as Mode,
  guarantee: '4if6',
  budget: '',
  last: null as WheelResponse | null,
};

/** "4if6" in words: what the player is promised. */
function guaranteeWords(name: string): string {
  const m = Number(name[0]);
  const p = Number(name[3]);
  return L(`${name} · 풀에서 ${p}개 나오면 ${m}개 일치`, `${name} · ${m} matched if ${p} drawn are in the pool`);
}

function guaranteeSelect(): HTMLSelectElement {
  const s = h('select', { id: 'wheel-guarantee', name: 'wheel-guarantee' });
  s.append(h('option', { value: '', selected: state.guarantee === '' }, L('예산 안에서 가장 강한 보장', 'The strongest that fits the budget')));
  // Strongest first, as the budget search goes.
  for (const name of [...GUARANTEE_NAMES].reverse()) s.append(h('option', { value: name, selected: state.guarantee === name }, guaranteeWords(name)));
  return s;
}

function poolPicker(onChange: () => void): BallPicker {
  return ballPicker<Mode>({
    legend: L(`풀 (${MIN_POOL}–${MAX_POOL}개)`, `Pool (${MIN_POOL}–${MAX_POOL} numbers)`),
    hint: L('좋아하는 번호를 고르세요. 고정수 모드에서 고른 번호는 모든 티켓에 들어갑니다.', 'Pick the numbers you like. Numbers picked in fixed mode go on every ticket.'),
    modes: [
      { value: 'pool', label: L('풀 번호', 'Pool numbers') },
      { value: 'fixed', label: L('고정수 (모든 티켓)', 'Fixed (every ticket)') },
    ],
    mode: () => state.mode,
    setMode: (m) => (state.mode = m),
    press: (n, mode) => {
      if (mode === 'pool') {
        if (state.pool.has(n)) {
          state.pool.delete(n);
          state.fixed.delete(n);
        } else state.pool.add(n);
      } else if (state.fixed.has(n)) state.fixed.delete(n);
      else {
        // A fixed number is a pool number too.
        state.fixed.add(n);
        state.pool.add(n);
      }
    },
    look: (n, mode) => {
      const inPool = state.pool.has(n);
      const fixed = state.fixed.has(n);
      return {
        classes: { fixed: inPool, 'wheel-fixed': fixed },
        pressed: mode === 'pool' ? inPool : fixed,
        suffix: fixed ? L(' 고정', ' fixed') : inPool ? L(' 풀', ' in pool') : '',
      };
    },
    counter: () => L(`풀 ${state.pool.size}/${MAX_POOL} · 고정 ${state.fixed.size}/${MAX_FIXED}`, `Pool ${state.pool.size}/${MAX_POOL} · fixed ${state.fixed.size}/${MAX_FIXED}`),
    clear: () => (state.pool.clear(), state.fixed.clear()),
    onChange,
    ids: { fieldset: 'wheel-pool', grid: 'wheel-picker', help: 'wheel-pool-help', error: 'wheel-pool-error', counter: 'wheel-count' },
  });
}

function ticketsText(w: WheelResponse): string {
  return [`hogi · ${w.guarantee.name} · ${w.pool.join(' ')}`, ...w.tickets.map((t, i) => `#${i + 1}: ${t.map((n) => String(n).padStart(2, ' ')).join(' ')}`)].join('\n');
}

function renderWheel(box: HTMLElement, w: WheelResponse): void {
  clear(box);
  const { match: m, if: p } = w.guarantee;
  const status = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(ticketsText(w));
      status.textContent = L('복사했습니다', 'Copied');
    } catch {
      status.textContent = L('복사할 수 없습니다', 'Could not copy');
    }
  };
  const how =
    w.construction.source === 'table'
      ? L('미리 찾아 둔 표의 휠을 풀에 맞춰 옮긴 것', 'the table wheel, relabelled onto your pool')
      : w.construction.source === 'exact'
        ? L('완전 탐색', 'exact search')
        : L(`탐색 (시드 ${w.construction.seed})`, `search (seed ${w.construction.seed})`);
  box.append(
    h('div', { class: 'result-head' },
      h('div', {},
        h('h3', { id: 'wheel-title' }, L(`${w.guarantee.name} 휠 · ${w.ticket_count}장 · ${fmtInt(w.cost.total_won, 'ko')}원`, `${w.guarantee.name} wheel · ${w.ticket_count} tickets · ${fmtInt(w.cost.total_won, 'en')} won`)),
        h('p', { class: 'muted', id: 'wheel-proof' },
          L(
            `검증됨: 당첨 번호 중 ${p}개가 풀에 들어오는 ${fmtInt(w.proof.draws_checked, 'ko')}가지 경우를 모두 확인했고, 어느 경우든 한 장이 ${m}개 이상 맞습니다. ${how}${w.construction.minimal ? ' · 최소 장수 증명됨' : ''}.`,
            `Verified: all ${fmtInt(w.proof.draws_checked, 'en')} ways ${p} drawn numbers can fall in your pool were checked; in each a ticket matches ${m} or more. ${how}${w.construction.minimal ? ' · proved minimal' : ''}.`,
          ),
        ),
      ),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn', id: 'wheel-copy', onclick: () => void copy() }, L('티켓 복사', 'Copy tickets')),
        saveButton(w),
        status,
      ),
    ),
    h('p', { class: 'wheel-saved', id: 'wheel-saved', role: 'status', 'aria-live': 'polite' }),
  );
  const sharing = sharingLine(w);
  if (sharing) box.append(sharing);
  if (w.budget && w.budget.requested && w.budget.requested !== w.guarantee.name) {
    box.append(note(L(`${w.budget.requested}는 ${w.budget.limit}장 안에 들어가지 않아 ${w.guarantee.name}로 낮췄습니다.`, `${w.budget.requested} does not fit in ${w.budget.limit} tickets, so this is ${w.guarantee.name}.`), 'warn'));
  }
  const list = h('ol', { class: 'wheel-tickets', id: 'wheel-tickets' });
  for (const t of w.tickets) list.append(h('li', { 'data-numbers': t.join(',') }, ballRow(t, { size: 'sm' })));
  box.append(list, h('p', { class: 'muted small' }, w.note[lang()]));
}

/** "티켓으로 저장": the wheel as shown, verified again by the server, saved as tickets of five games for the next round. */
function saveButton(w: WheelResponse): HTMLButtonElement {
  const btn = h('button', { type: 'button', class: 'btn', id: 'wheel-save' }, L('티켓으로 저장', 'Save as tickets'));
  btn.addEventListener('click', async () => {
    const out = document.getElementById('wheel-saved');
    if (!out) return;
    btn.disabled = true;
    out.replaceChildren(L('저장하는 중…', 'Saving…'));
    try {
      const s = await api.post<WheelTicketsResponse>('/api/wheels/tickets', { pool: w.pool, guarantee: { match: w.guarantee.match, if: w.guarantee.if }, fixed: w.fixed, tickets: w.tickets, lang: lang() });
      const n = s.ticket_ids.length;
      out.className = 'wheel-saved ok';
      out.replaceChildren(
        L(`${s.round}회용 티켓 ${n}장으로 저장했습니다 (한 장에 5게임, 모두 ${s.games}게임, ${fmtInt(s.cost.total_won, 'ko')}원). 추첨 후 자동으로 확인됩니다. `, `Saved as ${n} ticket${n === 1 ? '' : 's'} for round ${s.round} (five games a ticket, ${s.games} games, ${fmtInt(s.cost.total_won, 'en')} won); checked automatically after the draw. `),
        h('a', { href: '#/tickets', id: 'wheel-saved-link' }, L(`내 티켓에서 보기 (#${s.ticket_ids.join(', #')})`, `See them in My tickets (#${s.ticket_ids.join(', #')})`)),
      );
    } catch (e) {
      btn.disabled = false;
      const reasons = e instanceof ApiFailure && Array.isArray(e.details.reasons) ? (e.details.reasons as unknown[]).filter((x): x is string => typeof x === 'string') : [];
      out.className = 'wheel-saved field-error';
      out.replaceChildren(reasons.length ? reasons.join(' ') : e instanceof ApiFailure ? e.message : describeError(e));
    }
  });
  return btn;
}

/** The least-shared labelling: tiers 1–3 mean predicted co-winner ratio before → after, or why it did not run. */
function sharingLine(w: WheelResponse): HTMLElement | null {
  const p = w.popularity;
  if (!p || !p.requested) return null;
  if (!p.applied || !p.before || !p.after) return p.reason ? h('p', { class: 'muted small', id: 'wheel-sharing' }, p.reason[lang()]) : null;
  const mean = (r: { '1': number; '2': number; '3': number }) => ((r['1'] + r['2'] + r['3']) / 3).toFixed(3);
  const b = p.before.mean_ratio;
  const a = p.after.mean_ratio;
  return h('p', { class: 'small', id: 'wheel-sharing' },
    L(
      `공유 최소화: 티켓들의 1–3등 예측 공동당첨 비율 평균 ${mean(b)} → ${mean(a)} (1 = 평균 조합, 낮을수록 당첨 시 나눌 사람이 적을 것으로 예측). `,
      `Least shared: mean predicted tier 1–3 co-winner ratio over the tickets ${mean(b)} → ${mean(a)} (1 = an average combination; lower: fewer predicted to share a win). `,
    ),
    h('span', { class: 'muted' }, p.note[lang()]),
  );
}

/** The wheel form and its result, as one card for the generate page. */
export function wheelSection(): HTMLElement {
  const formError = h('div', { class: 'form-error', role: 'alert' });
  const pick = poolPicker(() => setFieldError(pick.el, pick.error, null));
  const guarantee = guaranteeSelect();
  const guaranteeF = field(L('보장', 'Guarantee'), guarantee, L('풀에 당첨 번호가 충분히 들어와야만 당첨이 보장됩니다.', 'The prize is guaranteed only when enough drawn numbers are in your pool.'));
  const budget = h('input', { id: 'wheel-budget', type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: L('제한 없음', 'no limit'), value: state.budget });
  const budgetF = field(L('예산 (장, 선택)', 'Budget (tickets, optional)'), budget, L('넘지 않는 가장 강한 보장을 고릅니다. 장당 1,000원.', 'The strongest guarantee that fits is chosen. 1,000 won a ticket.'));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'wheel-make' }, L('휠 만들기', 'Make the wheel'));
  const result = h('div', { class: 'result', id: 'wheel-result', 'aria-live': 'polite', 'aria-labelledby': 'wheel-title' });
  const fieldControls: Record<string, [HTMLElement, HTMLElement]> = {
    pool: [pick.el, pick.error],
    fixed: [pick.el, pick.error],
    guarantee: [guarantee, guaranteeF.error],
    budget: [budget, budgetF.error],
  };
  const form = h('form', { class: 'form-grid', novalidate: true, 'aria-label': L('휠 설정', 'Wheel settings') },
    pick.el,
    h('div', { class: 'row-end' }, guaranteeF.wrap, budgetF.wrap, h('div', { class: 'submit-wrap' }, submit)),
    formError,
  );

  async function make(): Promise<void> {
    formError.replaceChildren();
    for (const [c, e] of Object.values(fieldControls)) setFieldError(c, e, null);
    state.guarantee = guarantee.value;
    state.budget = budget.value.trim();
    if (state.pool.size < MIN_POOL || state.pool.size > MAX_POOL) {
      setFieldError(pick.el, pick.error, L(`풀에는 ${MIN_POOL}~${MAX_POOL}개의 번호가 필요합니다 (지금 ${state.pool.size}개).`, `The pool needs ${MIN_POOL} to ${MAX_POOL} numbers (now ${state.pool.size}).`));
      pick.el.querySelector<HTMLElement>('button.pick')?.focus();
      return;
    }
    const body: Record<string, unknown> = { pool: [...state.pool].sort((a, b) => a - b), lang: lang() };
    if (state.fixed.size) body.fixed = [...state.fixed].sort((a, b) => a - b);
    if (state.guarantee) body.guarantee = { match: Number(state.guarantee[0]), if: Number(state.guarantee[3]) };
    // Sent as typed so the API's own validation names a bad budget.
    if (state.budget !== '') body.budget = /^\d+$/.test(state.budget) ? Number(state.budget) : state.budget;
    submit.disabled = true;
    submit.textContent = L('만드는 중…', 'Working…');
    try {
      const w = await api.post<WheelResponse>('/api/wheels', body);
      state.last = w;
      renderWheel(result, w);
    } catch (e) {
      const key = e instanceof ApiFailure && e.field ? e.field.split(/[.[]/)[0] : null;
      const target = key ? fieldControls[key] : undefined;
      const reasons = e instanceof ApiFailure && Array.isArray(e.details.reasons) ? (e.details.reasons as unknown[]).filter((x): x is string => typeof x === 'string') : [];
      if (e instanceof ApiFailure && target) {
        // The server's reason in the page's language when it sent one, else its message.
        setFieldError(target[0], target[1], reasons.length ? reasons.join(' ') : e.message);
        (target[0].matches('input,select') ? target[0] : target[0].querySelector<HTMLElement>('input,button'))?.focus();
      } else {
        formError.replaceChildren(h('div', { class: 'alert alert-error' }, reasons.length ? reasons.join(' ') : describeError(e)));
      }
    } finally {
      submit.disabled = false;
      submit.textContent = L('휠 만들기', 'Make the wheel');
    }
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void make();
  });
  if (state.last) renderWheel(result, state.last);
  return h('section', { class: 'card wheel', id: 'wheel', 'aria-labelledby': 'wheel-heading' },
    h('h2', { id: 'wheel-heading' }, L('휠 (조합 축소)', 'Wheel (조합 축소)')),
    h('p', { class: 'muted' }, L(
      '고른 번호 전부를 사지 않고도, 당첨 번호가 풀에 충분히 들어오면 적어도 한 장이 맞도록 하는 가장 적은 티켓입니다. 모든 휠은 보내기 전에 빠짐없이 검증합니다.',
      'The fewest tickets over your numbers such that, if enough drawn numbers are in your pool, at least one ticket matches. Every wheel is fully verified before it is shown.',
    )),
    form,
    result,
  );
}
