// 내 티켓 · My tickets: add a ticket (paste the QR text, choose a photo, scan with the camera, or
// type the games), see what was read and confirm before saving; the tickets with their results
// after tax; the ledger against chance.
import './tickets.css';
import { parseTicketQr, type QrProblem } from '../../../src/domain/tickets/qr.js';
import { api, ApiFailure } from '../api.js';
import { band, ballRow } from '../balls.js';
import { chart, COLORS } from '../charts.js';
import { clear, fmtInt, h, uid } from '../dom.js';
import { L, lang } from '../i18n.js';
import type { Page } from '../main.js';
import { decodeImageFile, startCameraScan, type CameraScan } from '../qrDecode.js';
import type { DrawPage, Ticket, TicketCheckResult, TicketPage, TicketSummary } from '../types.js';
import { card, describeError, errorBox, loading, pageHeader, stat } from '../ui.js';

const TYPE_NAMES: Record<string, [string, string]> = { auto: ['자동', 'auto'], manual: ['수동', 'manual'], semi_auto: ['반자동', 'semi-auto'] };
const typeName = (t: string) => (TYPE_NAMES[t] ? L(TYPE_NAMES[t][0], TYPE_NAMES[t][1]) : t);

/** Korean wording of the parser's refusals; English uses the parser's own sentence. */
const QR_PROBLEM_KO: Record<QrProblem['code'], string> = {
  QR_NOT_URL: '티켓 QR의 http(s) 주소가 아닙니다.',
  QR_HOST: '동행복권 티켓 주소(m.dhlottery.co.kr, qr.dhlottery.co.kr)가 아닙니다.',
  QR_USERINFO: '주소에 사용자 정보(@)가 들어 있습니다. 티켓 QR에는 없습니다.',
  QR_PORT: '주소에 포트가 있습니다. 티켓 QR에는 없습니다.',
  QR_PATH: '티켓 QR의 경로가 아닙니다.',
  QR_V_MISSING: '티켓 내용(v)이 없습니다.',
  QR_V_REPEATED: '티켓 내용(v)이 두 번 들어 있습니다.',
  QR_LENGTH: '티켓 내용의 길이가 맞지 않습니다.',
  QR_ROUND: '회차가 올바르지 않습니다.',
  QR_SLOT_TYPE: '게임 종류 문자가 올바르지 않습니다(q 자동, m 수동, s 반자동, n 미사용).',
  QR_NUMBERS: '번호는 1–45의 서로 다른 여섯 개가 오름차순이어야 합니다.',
  QR_UNUSED_SLOT: '미사용 게임 뒤에는 0만 와야 합니다.',
  QR_NO_GAMES: '모든 게임이 미사용입니다.',
  QR_SERIAL: '티켓 일련번호 부분이 숫자가 아닙니다.',
};

function qrProblemText(code: string, field: string | null, message: string): string {
  const ko = (QR_PROBLEM_KO as Record<string, string>)[code];
  const where = field ? ` (${field})` : '';
  return lang() === 'ko' && ko ? `${ko}${where}` : `${message}${where}`;
}

/** An API refusal in the page's language: the QR parser's codes worded here, every other code as on the other pages. */
function problemText(e: ApiFailure): string {
  return e.code in QR_PROBLEM_KO ? qrProblemText(e.code, e.field, e.message) : describeError(e);
}

function won(n: number): string {
  return lang() === 'ko' ? `${fmtInt(n, 'ko')}원` : `₩${fmtInt(n, 'en')}`;
}

/** Axis labels short enough for the chart's margin: 억/만 in Korean, k/M/B in English. */
function compactWon(v: number): string {
  const a = Math.abs(v);
  if (lang() === 'ko') return a >= 1e8 ? `${v / 1e8}억` : a >= 1e4 ? `${v / 1e4}만` : String(v);
  return a >= 1e9 ? `${v / 1e9}B` : a >= 1e6 ? `${v / 1e6}M` : a >= 1e3 ? `${v / 1e3}k` : String(v);
}

type Draft = { kind: 'qr'; text: string } | { kind: 'typed'; round: number; games: number[][] };

interface Ui {
  preview: HTMLElement;
  status: HTMLElement;
  list: HTMLElement;
  ledger: HTMLElement;
}

function resultText(g: Ticket['games'][number]): HTMLElement {
  const r = g.result;
  if (!r) return h('span', { class: 'ticket-result' }, L('추첨 전', 'not drawn yet'));
  if (r.rank === null) return h('span', { class: 'ticket-result' }, L(`${r.matches}개 일치 · 낙첨`, `${r.matches} matched · no prize`));
  if (r.amount_pending || r.prize_gross === null) {
    return h('span', { class: 'ticket-result won' }, L(`${r.rank}등 · 당첨금 집계 전`, `rank ${r.rank} · amount pending`));
  }
  return h(
    'span',
    { class: 'ticket-result won' },
    L(`${r.rank}등 · ${won(r.prize_gross)} (세금 ${won(r.tax ?? 0)}) · 실수령 ${won(r.prize_net ?? 0)}`, `rank ${r.rank} · ${won(r.prize_gross)} (tax ${won(r.tax ?? 0)}) · net ${won(r.prize_net ?? 0)}`),
  );
}

function gameRow(slot: string, type: string | null, numbers: number[], result?: HTMLElement): HTMLElement {
  return h('div', { class: 'ticket-game', 'data-slot': slot }, h('span', { class: 'ticket-slot' }, slot), type ? h('span', { class: 'ticket-type' }, typeName(type)) : null, ballRow(numbers, { size: 'sm' }), result ?? null);
}

function ticketCard(t: Ticket, ui: Ui): HTMLElement {
  const remove = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-action': 'remove' }, L('삭제', 'Remove'));
  remove.addEventListener('click', async () => {
    if (!confirm(L(`티켓 ${t.id}을(를) 삭제할까요?`, `Remove ticket ${t.id}?`))) return;
    try {
      await api.del(`/api/tickets/${t.id}`);
      await refresh(ui);
    } catch (e) {
      ui.status.textContent = describeError(e);
    }
  });
  const source = { qr: L('QR', 'QR'), manual: L('직접 입력', 'typed'), prediction: L('hogi 예측', 'hogi prediction') }[t.source];
  const status = t.status === 'pending' ? L('추첨 대기', 'waiting for the draw') : t.amount_pending ? L('당첨금 집계 전', 'amount pending') : L('확인 완료', 'checked');
  return h(
    'article',
    { class: 'ticket', 'data-id': t.id, 'data-status': t.status },
    h('div', { class: 'ticket-head' },
      h('h3', {}, L(`제 ${t.round}회`, `Round ${t.round}`), t.label ? h('span', { class: 'muted' }, ` · ${t.label}`) : null),
      h('span', { class: 'muted small' }, `${source} · ${status} · #${t.id}`),
      remove,
    ),
    t.games.map((g) => gameRow(g.slot, g.type, g.numbers, resultText(g))),
  );
}

function renderLedger(box: HTMLElement, s: TicketSummary): void {
  clear(box);
  if (s.games === 0) {
    box.append(h('p', { class: 'muted' }, L('아직 티켓이 없습니다.', 'No tickets yet.')));
    return;
  }
  box.append(
    h('div', { class: 'stats-row', id: 'ledger-stats' },
      stat(L('게임', 'Games'), fmtInt(s.games, lang()), L(`확인 ${s.checked_games} · 대기 ${s.pending_games}`, `${s.checked_games} checked · ${s.pending_games} waiting`)),
      stat(L('구입', 'Spent'), won(s.spent)),
      stat(L('당첨금(세전)', 'Won before tax'), won(s.gross)),
      stat(L('실수령', 'Won after tax'), won(s.net)),
      stat(L('손익', 'Net result'), h('span', { id: 'ledger-result' }, won(s.result))),
    ),
  );
  if (s.amount_pending_games > 0) box.append(h('p', { class: 'muted small' }, L(`당첨금이 아직 저장되지 않은 당첨 게임 ${s.amount_pending_games}개는 0원으로 계산했습니다.`, `${s.amount_pending_games} winning game(s) whose prize is not stored yet count as 0.`)));
  box.append(
    chart(
      L('회차별 손익과 누적 손익', 'Net result per round and cumulative'),
      {
        grid: { left: 70, right: 20, top: 30, bottom: 40 },
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        xAxis: { type: 'category', data: s.rounds.map((r) => String(r.round)) },
        yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compactWon(v) } },
        series: [
          { name: L('회차 손익', 'Per round'), type: 'bar', data: s.rounds.map((r) => ({ value: r.result, itemStyle: { color: r.result >= 0 ? COLORS.good : COLORS.accent } })) },
          { name: L('누적', 'Cumulative'), type: 'line', data: s.rounds.map((r) => r.cumulative_result), itemStyle: { color: COLORS.observed } },
        ],
      },
      260,
    ),
  );
  box.append(
    h('div', { class: 'table-wrap' },
      h('table', { class: 'table', id: 'ledger-tiers' },
        h('caption', {}, L(`확인된 ${s.checked_games}게임에서 등수별 당첨 횟수와 무작위가 기대하는 횟수`, `Wins per tier in ${s.checked_games} checked games against what chance expects`)),
        h('thead', {}, h('tr', {}, h('th', {}, L('등수', 'Rank')), h('th', {}, L('당첨', 'Won')), h('th', {}, L('기대값', 'Chance expects')), h('th', {}, L('1게임 확률', 'Chance per game')))),
        h('tbody', {}, s.tiers.map((t) => h('tr', {}, h('td', {}, L(`${t.rank}등`, `${t.rank}`)), h('td', {}, t.won), h('td', {}, t.expected < 0.01 ? t.expected.toExponential(1) : t.expected.toFixed(2)), h('td', {}, `1 / ${fmtInt(Math.round(1 / t.probability), lang())}`)))),
      ),
    ),
  );
}

async function refresh(ui: Ui): Promise<void> {
  const [page, summary] = await Promise.all([api.get<TicketPage>('/api/tickets', { page_size: 100 }), api.get<TicketSummary>('/api/tickets/summary')]);
  clear(ui.list);
  if (page.items.length === 0) ui.list.append(h('p', { class: 'muted' }, L('저장된 티켓이 없습니다. 위에서 추가하세요.', 'No tickets saved. Add one above.')));
  for (const t of page.items) ui.list.append(ticketCard(t, ui));
  renderLedger(ui.ledger, summary);
}

/** Show what was read, with Save and Cancel; nothing is stored before Save. */
function showDraft(ui: Ui, draft: Draft, onSaved: () => void): void {
  clear(ui.preview);
  ui.status.textContent = '';
  let round: number;
  let rows: HTMLElement[];
  if (draft.kind === 'qr') {
    const parsed = parseTicketQr(draft.text);
    if (!parsed.ok) {
      ui.status.textContent = qrProblemText(parsed.problem.code, parsed.problem.field, parsed.problem.message);
      return;
    }
    round = parsed.ticket.round;
    rows = parsed.ticket.games.map((g) => gameRow(g.slot, g.type, [...g.numbers]));
  } else {
    round = draft.round;
    rows = draft.games.map((g, i) => gameRow('ABCDE'[i], 'manual', g));
  }
  const label = h('input', { id: 'ticket-label', type: 'text', maxlength: 100, autocomplete: 'off', placeholder: L('메모 (선택)', 'Label (optional)'), 'aria-label': L('티켓 메모 (선택)', 'Ticket label (optional)') });
  const save = h('button', { type: 'button', class: 'btn btn-primary', id: 'ticket-save' }, L('이 티켓 저장', 'Save this ticket'));
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost' }, L('취소', 'Cancel'));
  cancel.addEventListener('click', () => clear(ui.preview));
  save.addEventListener('click', async () => {
    save.disabled = true;
    const labelText = label.value.trim() || undefined;
    const body = draft.kind === 'qr' ? { qr: draft.text, label: labelText } : { round: draft.round, games: draft.games, label: labelText };
    try {
      const t = await api.post<Ticket>('/api/tickets', body);
      clear(ui.preview);
      ui.status.textContent = t.status === 'pending' ? L(`저장했습니다. 제 ${t.round}회 추첨 후 자동으로 확인합니다.`, `Saved. It is checked by itself once round ${t.round} is drawn.`) : L('저장하고 확인했습니다.', 'Saved and checked.');
      onSaved();
      await refresh(ui);
    } catch (e) {
      save.disabled = false;
      if (e instanceof ApiFailure && e.code === 'DUPLICATE_TICKET') {
        clear(ui.preview);
        ui.status.textContent = L(`이미 저장된 티켓입니다 (#${String(e.details.ticket_id)}).`, `This ticket is already saved (#${String(e.details.ticket_id)}).`);
      } else if (e instanceof ApiFailure) ui.status.textContent = problemText(e);
      else ui.status.textContent = describeError(e);
    }
  });
  ui.preview.append(
    h('h3', {}, L(`읽은 내용: 제 ${round}회, ${rows.length}게임`, `Read: round ${round}, ${rows.length} game(s)`)),
    h('p', { class: 'muted small' }, L('맞는지 확인한 뒤 저장하세요. 티켓 일련번호는 저장하지 않고 중복 확인용 해시만 남깁니다.', 'Check it, then save. The ticket serial is not stored, only a hash to recognise a second scan.')),
    ...rows,
    h('div', { class: 'actions' }, label, save, cancel),
  );
  save.focus();
}

function typedGames(ui: Ui, defaultRound: number | null): HTMLElement {
  const games: number[][] = [];
  const picked = new Set<number>();
  const roundId = uid('round');
  const round = h('input', { id: roundId, type: 'number', min: 1, max: 9999, step: 1, inputmode: 'numeric', value: defaultRound ?? '' });
  const list = h('div', { class: 'picked-games', id: 'typed-games' });
  const grid = h('div', { class: 'picker-grid', role: 'group', 'aria-label': L('번호 45개', '45 numbers') });
  const count = h('p', { class: 'picker-count', 'aria-live': 'polite' });
  const add = h('button', { type: 'button', class: 'btn btn-sm', id: 'typed-add', disabled: true }, L('게임 추가', 'Add game'));
  const review = h('button', { type: 'button', class: 'btn', id: 'typed-review', disabled: true }, L('확인하기', 'Review'));
  const buttons: HTMLButtonElement[] = [];
  const sync = () => {
    count.textContent = L(`${picked.size}/6 선택 · ${games.length}/5 게임`, `${picked.size}/6 picked · ${games.length}/5 games`);
    add.disabled = picked.size !== 6 || games.length >= 5;
    review.disabled = games.length === 0;
    for (const b of buttons) {
      const on = picked.has(Number(b.dataset.n));
      b.classList.toggle('fixed', on);
      b.setAttribute('aria-pressed', String(on));
    }
    clear(list);
    games.forEach((g, i) => list.append(gameRow('ABCDE'[i], null, g)));
  };
  for (let n = 1; n <= 45; n++) {
    const b = h('button', { type: 'button', class: `pick ball-${band(n)}`, 'data-n': n }, String(n));
    b.addEventListener('click', () => {
      if (picked.has(n)) picked.delete(n);
      else if (picked.size < 6) picked.add(n);
      sync();
    });
    buttons.push(b);
    grid.append(b);
  }
  add.addEventListener('click', () => {
    games.push([...picked].sort((a, b) => a - b));
    picked.clear();
    sync();
  });
  review.addEventListener('click', () => {
    const r = Number(round.value);
    if (!Number.isInteger(r) || r < 1 || r > 9999) {
      ui.status.textContent = L('회차를 1–9999 사이로 입력하세요.', 'Enter a round between 1 and 9999.');
      round.focus();
      return;
    }
    showDraft(ui, { kind: 'typed', round: r, games: games.map((g) => [...g]) }, () => {
      games.length = 0;
      sync();
    });
  });
  sync();
  return h('fieldset', { class: 'field picker' },
    h('legend', {}, L('직접 입력 · Type the games', 'Type the games · 직접 입력')),
    h('div', { class: 'field' }, h('label', { for: roundId }, L('회차', 'Round')), round),
    h('div', { class: 'picker-bar' }, count, add, review),
    grid,
    list,
  );
}

async function render(main: HTMLElement): Promise<void> {
  main.append(pageHeader(L('내 티켓', 'My tickets'), L('산 티켓을 저장하면 추첨 후 그 회차의 실제 당첨금과 세금으로 자동 확인합니다.', 'Save the tickets you bought; after the draw each is checked with that round’s real prize and the tax.')));
  const ui: Ui = {
    preview: h('section', { class: 'ticket-preview', id: 'ticket-preview', 'aria-live': 'polite' }),
    status: h('p', { class: 'form-error', id: 'ticket-status', role: 'status', 'aria-live': 'polite' }),
    list: h('div', { id: 'ticket-list' }),
    ledger: h('div', { id: 'ledger' }),
  };

  // Paste the QR text.
  const qrText = h('textarea', { id: 'qr-text', spellcheck: 'false', autocomplete: 'off', placeholder: 'https://qr.dhlottery.co.kr/?v=…' });
  const read = h('button', { type: 'button', class: 'btn', id: 'qr-read' }, L('읽기', 'Read'));
  read.addEventListener('click', () => showDraft(ui, { kind: 'qr', text: qrText.value }, () => (qrText.value = '')));

  // A photo of the ticket (the label is in both languages whatever the page language).
  const photo = h('input', { id: 'qr-photo', type: 'file', accept: 'image/*' });
  photo.addEventListener('change', async () => {
    const file = photo.files?.[0];
    if (!file) return;
    ui.status.textContent = L('사진에서 QR을 읽는 중…', 'Reading the QR in the photo…');
    try {
      const text = await decodeImageFile(file);
      if (!text) {
        ui.status.textContent = L('사진에서 QR 코드를 찾지 못했습니다. 더 가까이, 밝게 찍어 보세요.', 'No QR code found in the photo. Try closer and brighter.');
        return;
      }
      qrText.value = text;
      showDraft(ui, { kind: 'qr', text }, () => (qrText.value = ''));
    } catch (e) {
      ui.status.textContent = describeError(e);
    } finally {
      photo.value = '';
    }
  });

  // The camera.
  const video = h('video', { id: 'camera-video', class: 'camera-video', hidden: true, muted: true, playsinline: true });
  const cameraBtn = h('button', { type: 'button', class: 'btn', id: 'camera-start' }, L('카메라로 스캔', 'Scan with the camera'));
  let scan: CameraScan | null = null;
  const stopCamera = () => {
    scan?.stop();
    scan = null;
    video.hidden = true;
    cameraBtn.textContent = L('카메라로 스캔', 'Scan with the camera');
  };
  cameraBtn.addEventListener('click', async () => {
    if (scan) return stopCamera();
    video.hidden = false;
    cameraBtn.textContent = L('스캔 중지', 'Stop scanning');
    try {
      scan = await startCameraScan(video, (text) => {
        stopCamera();
        qrText.value = text;
        showDraft(ui, { kind: 'qr', text }, () => (qrText.value = ''));
      });
    } catch (e) {
      stopCamera();
      ui.status.textContent = L(`카메라를 열 수 없습니다: ${describeError(e)}`, `Cannot open the camera: ${describeError(e)}`);
    }
  });

  const latest = await api.get<DrawPage>('/api/draws', { page_size: 1 }).catch(() => null);
  const nextRound = latest && latest.items.length > 0 ? latest.items[0].round + 1 : null;

  const recheck = h('button', { type: 'button', class: 'btn btn-sm', id: 'tickets-recheck' }, L('다시 확인', 'Check again'));
  recheck.addEventListener('click', async () => {
    try {
      const r = await api.post<TicketCheckResult>('/api/tickets/check', {});
      ui.status.textContent = L(`${r.checked_games}게임을 다시 확인했습니다.`, `Checked ${r.checked_games} game(s) again.`);
      await refresh(ui);
    } catch (e) {
      ui.status.textContent = describeError(e);
    }
  });

  main.append(
    card(
      L('티켓 추가', 'Add a ticket'),
      h('div', { class: 'ticket-inputs' },
        h('div', { class: 'field' },
          h('label', { for: 'qr-text' }, L('QR 내용 붙여넣기', 'Paste the QR text')),
          qrText,
          h('div', { class: 'actions' }, read),
        ),
        h('div', { class: 'field' },
          h('label', { for: 'qr-photo' }, '티켓 사진 선택 · Choose a photo of the ticket'),
          photo,
          h('p', { class: 'field-hint' }, L('사진은 이 브라우저 안에서만 읽고 서버로 보내지 않습니다.', 'The photo is read in this browser only; it is not uploaded.')),
          cameraBtn,
          video,
        ),
      ),
      typedGames(ui, nextRound),
      ui.status,
      ui.preview,
    ),
    card(L('내 티켓', 'My tickets'), h('div', { class: 'actions' }, recheck), ui.list),
    card(L('손익 장부', 'Ledger'), ui.ledger),
  );
  ui.list.append(loading());
  try {
    await refresh(ui);
  } catch (e) {
    clear(ui.list);
    ui.list.append(errorBox(e));
  }
}

export const ticketsPage: Page = { id: 'tickets', title: () => L('내 티켓', 'My tickets'), render };
