// "티켓으로 저장 · Save as ticket" under a machine's sets on the Generate page.
import { api, ApiFailure } from '../api.js';
import { h } from '../dom.js';
import { L } from '../i18n.js';
import type { Ticket } from '../types.js';
import { describeError } from '../ui.js';

/** One ticket holds five games: the first five of these sets. */
export function saveAsTicketButton(predictionId: string, setNumbers: number[]): HTMLElement {
  const chosen = setNumbers.slice(0, 5);
  const status = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const btn = h('button', { type: 'button', class: 'btn btn-sm', 'data-action': 'save-ticket' }, setNumbers.length > 5 ? L('처음 5세트를 티켓으로 저장', 'Save the first five as a ticket') : L('티켓으로 저장', 'Save as ticket'));
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      const t = await api.post<Ticket>('/api/tickets', { prediction_id: predictionId, set_numbers: chosen });
      status.replaceChildren(L('저장했습니다 · ', 'Saved · '), h('a', { href: '#/tickets' }, L(`내 티켓 #${t.id}`, `My tickets #${t.id}`)));
    } catch (e) {
      btn.disabled = false;
      status.textContent = e instanceof ApiFailure ? e.message : describeError(e);
    }
  });
  return h('div', { class: 'actions' }, btn, status);
}
