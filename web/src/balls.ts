import { h } from './dom.js';
import { L } from './i18n.js';

/** The official colour bands: 1–10 yellow, 11–20 blue, 21–30 red, 31–40 grey, 41–45 green. */
export function band(n: number): 'y' | 'b' | 'r' | 'g' | 'n' {
  if (n <= 10) return 'y';
  if (n <= 20) return 'b';
  if (n <= 30) return 'r';
  if (n <= 40) return 'g';
  return 'n';
}

export interface BallOptions {
  size?: 'sm' | 'md' | 'lg';
  /** Highlight as a matched number (My predictions). */
  hit?: boolean;
  /** Dim (a number that did not match). */
  miss?: boolean;
  bonus?: boolean;
}

export function ball(n: number, o: BallOptions = {}): HTMLSpanElement {
  const cls = ['ball', `ball-${band(n)}`, `ball-${o.size ?? 'md'}`, o.hit ? 'hit' : '', o.miss ? 'miss' : '', o.bonus ? 'bonus' : ''].filter(Boolean).join(' ');
  return h('span', { class: cls, 'data-n': n }, String(n));
}

/** Six balls (and a bonus) as a list screen readers read as numbers. */
export function ballRow(numbers: readonly number[], o: BallOptions & { bonusNumber?: number | null; hits?: ReadonlySet<number> } = {}): HTMLElement {
  const label = L(`번호 ${numbers.join(', ')}`, `Numbers ${numbers.join(', ')}`) + (o.bonusNumber ? L(`, 보너스 ${o.bonusNumber}`, `, bonus ${o.bonusNumber}`) : '');
  const row = h('span', { class: 'balls', role: 'img', 'aria-label': label });
  for (const n of numbers) {
    const hit = o.hits ? o.hits.has(n) : false;
    row.append(ball(n, { size: o.size, hit, miss: o.hits !== undefined && !hit }));
  }
  if (o.bonusNumber) {
    row.append(h('span', { class: 'plus', 'aria-hidden': 'true' }, '+'));
    row.append(ball(o.bonusNumber, { size: o.size, bonus: true, hit: o.hits?.has(o.bonusNumber) }));
  }
  return row;
}
