/**
 * Korean by default, English on request (remembered in localStorage). Strings sit next to the
 * markup that uses them as L('한국어', 'English') pairs, so a page reads in both languages at once.
 */
export type Lang = 'ko' | 'en';

const KEY = 'hogi.lang';

function stored(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'ko';
  } catch {
    return 'ko';
  }
}

let current: Lang = stored();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  document.documentElement.lang = next;
}

export function L(ko: string, en: string): string {
  return current === 'ko' ? ko : en;
}

/** "1호기" in Korean, "Machine 1" in English; "all" as both/every. */
export function machineName(m: number | string | null): string {
  if (m === null) return L('미상', 'unknown');
  const s = String(m);
  if (s === 'all') return L('전체', 'All');
  const n = s.replace(/호기$/, '');
  return L(`${n}호기`, `Machine ${n}`);
}
