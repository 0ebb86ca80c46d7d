// "이 번호는 당첨된 적이 있나요? · Has this combination ever won?" on the History page.
import { api, ApiFailure } from '../api.js';
import { ballRow } from '../balls.js';
import { append, clear, fmtInt, h } from '../dom.js';
import { L, lang } from '../i18n.js';
import type { CombinationHistory } from '../types.js';
import { card, describeError, field, setFieldError, stat } from '../ui.js';

const won = (n: number) => (lang() === 'ko' ? `${fmtInt(n, 'ko')}원` : `₩${fmtInt(n, 'en')}`);

function show(out: HTMLElement, r: CombinationHistory): void {
  clear(out);
  append(out, [
    h('p', {}, ballRow(r.numbers, { size: 'sm' }), ' ',
      L(`${r.rounds_played}회(제 ${r.first_round ?? '–'}–${r.last_round ?? '–'}회) 동안`, `over ${r.rounds_played} rounds (${r.first_round ?? '–'}–${r.last_round ?? '–'})`),
      ' · ',
      h('strong', { id: 'combo-first' }, r.ever_first_prize ? L('1등 당첨 이력 있음', 'won a 1st prize') : L('1등 당첨 이력 없음', 'never a 1st prize')),
    ),
    h('div', { class: 'stats-row' },
      ...r.tiers.map((t) => stat(L(`${t.rank}등`, `Rank ${t.rank}`), fmtInt(t.count, lang()))),
      stat(L('매주 샀다면 비용', 'Cost, every week'), won(r.cost)),
      stat(L('받았을 금액(세후)', 'Paid after tax'), won(r.paid_net)),
      stat(L('손익', 'Net result'), won(r.result)),
    ),
    r.amount_pending_wins > 0 ? h('p', { class: 'muted small' }, L(`당첨금이 저장되지 않은 당첨 ${r.amount_pending_wins}회는 금액에 넣지 않았습니다.`, `${r.amount_pending_wins} win(s) without a stored prize are not in the amounts.`)) : null,
    r.wins.length === 0
      ? h('p', {}, L('한 번도 당첨되지 않았습니다.', 'It never won a prize.'))
      : h('div', { class: 'table-wrap' },
          h('table', { class: 'table', id: 'combo-wins' },
            h('thead', {}, h('tr', {}, h('th', {}, L('회차', 'Round')), h('th', {}, L('등수', 'Rank')), h('th', {}, L('일치', 'Matched')), h('th', {}, L('그 회차 당첨금', 'That round’s prize')))),
            h('tbody', {}, r.wins.slice().reverse().map((w) => h('tr', { 'data-round': w.round }, h('td', {}, w.round), h('td', {}, w.rank), h('td', {}, `${w.matches}${w.rank === 2 ? '+B' : ''}`), h('td', {}, w.prize_each === null ? L('미저장', 'not stored') : won(w.prize_each))))),
          ),
        ),
  ]);
}

export function combinationCheckCard(): HTMLElement {
  const input = h('input', { id: 'combo-numbers', type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: '1,2,3,4,5,6' });
  const f = field(L('번호 6개 (쉼표로 구분)', 'Six numbers (comma-separated)'), input);
  const out = h('div', { id: 'combo-out', 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form', id: 'combo-form' }, f.wrap, h('button', { type: 'submit', class: 'btn' }, L('확인', 'Check')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    setFieldError(input, f.error, null);
    try {
      show(out, await api.get<CombinationHistory>('/api/combinations/history', { numbers: input.value.replace(/\s+/g, '') }));
    } catch (e) {
      clear(out);
      if (e instanceof ApiFailure && e.field === 'numbers') setFieldError(input, f.error, L('1–45의 서로 다른 번호 6개를 쉼표로 구분해 입력하세요.', 'Enter six different numbers 1–45 separated by commas.'));
      else out.append(h('p', { class: 'form-error' }, describeError(e)));
    }
  });
  return card(L('이 번호는 당첨된 적이 있나요?', 'Has this combination ever won?'), form, out);
}
