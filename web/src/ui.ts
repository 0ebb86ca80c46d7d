import { ApiFailure } from './api.js';
import { h, type Child } from './dom.js';
import { errorText } from './errorText.js';
import { L, lang } from './i18n.js';

export function pageHeader(title: string, lead?: Child): HTMLElement {
  return h('header', { class: 'page-head' }, h('h1', { tabindex: '-1' }, title), lead ? h('p', { class: 'lead' }, lead) : null);
}

export function card(title: string | null, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, title ? h('h2', {}, title) : null, ...children);
}

export function code(text: string): HTMLElement {
  return h('code', {}, text);
}

/** What to do when a page has nothing to show, with the commands that fix it. */
export function emptyState(title: string, body: string, commands: string[] = []): HTMLElement {
  return h(
    'div',
    { class: 'empty', role: 'status' },
    h('div', { class: 'empty-icon', 'aria-hidden': 'true' }, '∅'),
    h('h2', {}, title),
    h('p', {}, body),
    commands.length ? h('pre', { class: 'cmd' }, commands.join('\n')) : null,
  );
}

export function noDataState(): HTMLElement {
  return emptyState(
    L('아직 추첨 기록이 없습니다', 'No draws stored yet'),
    L('공식 사이트에서 가져오거나 파일을 불러오면 모든 페이지가 채워집니다.', 'Fetch them from the official sources or import a file, and every page fills in.'),
    ['hogi sync', 'hogi import draws.csv machines.csv'],
  );
}

export function loading(): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), L('불러오는 중…', 'Loading…'));
}

export function describeError(e: unknown): string {
  if (e instanceof ApiFailure) return errorText(e, lang());
  return e instanceof Error ? e.message : String(e);
}

export function errorBox(e: unknown): HTMLElement {
  if (e instanceof ApiFailure && e.noData) return noDataState();
  return h('div', { class: 'alert alert-error', role: 'alert' }, h('strong', {}, L('오류', 'Error')), ' ', describeError(e));
}

export function note(text: Child, kind: 'info' | 'warn' = 'info'): HTMLElement {
  return h('div', { class: `alert alert-${kind}` }, text);
}

export function stat(label: string, value: Child, sub?: Child): HTMLElement {
  return h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value' }, value), sub ? h('div', { class: 'stat-sub' }, sub) : null);
}

/** A labelled form field: the label, the control, and the place its API error appears. */
export function field(label: string, control: HTMLElement, hint?: string): { wrap: HTMLElement; error: HTMLElement } {
  const id = control.id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  const hintEl = hint ? h('p', { class: 'field-hint', id: `${id}-hint` }, hint) : null;
  control.setAttribute('aria-describedby', [hintEl ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' '));
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl, error);
  return { wrap, error };
}

export function setFieldError(control: HTMLElement | null, errorEl: HTMLElement | null, message: string | null): void {
  if (errorEl) errorEl.textContent = message ?? '';
  if (control) {
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }
}
