/**
 * The 45-ball picker with modes (the generate page's fixed/excluded numbers and the wheel's
 * pool/fixed numbers): a segmented mode switch, a counter, "clear all", the 45 balls as toggle
 * buttons (Space/Enter from the keyboard) and a field-error line. What a press does and how a ball
 * looks are the caller's: the picker only draws and reports.
 */
import { band } from './balls.js';
import { h, uid } from './dom.js';
import { L } from './i18n.js';

export interface BallLook {
  /** CSS classes switched on (true) or off (false) for this ball. */
  classes: Record<string, boolean>;
  /** aria-pressed: the ball is selected in the current mode. */
  pressed: boolean;
  /** Read after the number by screen readers, e.g. " 고정" (may be ''). */
  suffix: string;
}

export interface BallPickerOptions<M extends string> {
  legend: string;
  hint: string;
  modes: ReadonlyArray<{ value: M; label: string }>;
  mode: () => M;
  setMode: (m: M) => void;
  /** Ball n was pressed while `mode` was chosen: update the caller's state. */
  press: (n: number, mode: M) => void;
  look: (n: number, mode: M) => BallLook;
  counter: () => string;
  clear: () => void;
  /** After any change of the selection (not of the mode). */
  onChange: () => void;
  /** Element ids: the balls' group, its hint and error lines; the fieldset and counter optionally. */
  ids: { grid: string; help: string; error: string; fieldset?: string; counter?: string };
}

export interface BallPicker {
  el: HTMLFieldSetElement;
  error: HTMLElement;
  refresh: () => void;
}

export function ballPicker<M extends string>(o: BallPickerOptions<M>): BallPicker {
  const error = h('p', { class: 'field-error', id: o.ids.error, 'aria-live': 'polite' });
  const counter = h('p', { class: 'picker-count', 'aria-live': 'polite', ...(o.ids.counter ? { id: o.ids.counter } : {}) });
  const grid = h('div', { class: 'picker-grid', id: o.ids.grid, role: 'group', 'aria-describedby': `${o.ids.help} ${o.ids.error}` });
  const buttons: HTMLButtonElement[] = [];
  const modeName = uid('pmode');
  const modes = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': L('공 선택 모드', 'Picker mode') });
  const refresh = () => {
    counter.textContent = o.counter();
    const mode = o.mode();
    for (const b of buttons) {
      const n = Number(b.dataset.n);
      const look = o.look(n, mode);
      for (const [cls, on] of Object.entries(look.classes)) b.classList.toggle(cls, on);
      b.setAttribute('aria-pressed', String(look.pressed));
      b.setAttribute('aria-label', `${n}${look.suffix}`);
    }
  };
  for (const { value, label } of o.modes) {
    const id = uid('pmode');
    const input = h('input', { type: 'radio', name: modeName, id, value, checked: o.mode() === value });
    input.addEventListener('change', () => {
      o.setMode(value);
      refresh();
    });
    modes.append(h('span', { class: 'seg' }, input, h('label', { for: id }, label)));
  }
  for (let n = 1; n <= 45; n++) {
    const b = h('button', { type: 'button', class: `pick ball-${band(n)}`, 'data-n': n }, String(n));
    b.addEventListener('click', () => {
      o.press(n, o.mode());
      refresh();
      o.onChange();
    });
    buttons.push(b);
    grid.append(b);
  }
  const clearBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', onclick: () => (o.clear(), refresh(), o.onChange()) }, L('모두 지우기', 'Clear all'));
  const el = h(
    'fieldset',
    { class: 'field picker', ...(o.ids.fieldset ? { id: o.ids.fieldset } : {}) },
    h('legend', {}, o.legend),
    h('p', { class: 'field-hint', id: o.ids.help }, o.hint),
    h('div', { class: 'picker-bar' }, modes, counter, clearBtn),
    grid,
    error,
  );
  refresh();
  return { el, error, refresh };
}
