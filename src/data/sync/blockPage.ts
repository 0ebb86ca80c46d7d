import { HttpStatusError } from './errors.js';

/**
 * Recognising a waiting or reject page where data was expected. dhlottery answers
 * HTTP 200 with such a page when it queues or refuses a client, so the status alone
 * says nothing; the content type and the body decide.
 */

/** True when the body is an HTML document (or fragment) rather than JSON. */
export function looksLikeHtml(contentType: string, body: string): boolean {
  if (contentType.includes('text/html') || contentType.includes('application/xhtml')) return true;
  const head = body.trimStart().slice(0, 200).toLowerCase();
  return head.startsWith('<!doctype') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body') || head.startsWith('<script') || head.startsWith('<meta');
}

// Phrases that waiting rooms, WAFs and CDNs put on their pages (Korean and English).
const BLOCK_MARKERS = [
  '접속 대기',
  '접속대기',
  '대기 중',
  '대기중',
  '서비스 접근 대기',
  '접근이 차단',
  '접속이 차단',
  '차단되었습니다',
  '비정상적인 접근',
  '잠시 후 다시',
  'access denied',
  'request rejected',
  'the requested url was rejected',
  'forbidden',
  'too many requests',
  'just a moment',
  'captcha',
  'cf-chl',
  'netfunnel',
];

/** True when an HTML body reads like a waiting/reject page. */
export function looksLikeBlockPage(body: string): boolean {
  const text = body.toLowerCase();
  return BLOCK_MARKERS.some((m) => text.includes(m));
}

/** A short, single-line excerpt of an HTML page (its title, else its first text) for messages. */
export function pageExcerpt(body: string, max = 120): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1];
  const text = htmlToText(title && title.trim() ? title : body);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const NAMED_ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

/** Visible text of an HTML page: scripts and styles dropped, tags removed, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|noscript)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => safeCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => safeCodePoint(Number(d)))
    .replace(/&([a-z]+|#39);/gi, (m, name: string) => NAMED_ENTITIES[name.toLowerCase()] ?? m)
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim();
}

function safeCodePoint(cp: number): string {
  return Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : ' ';
}

/**
 * A 403 or 429 that carries an HTML page is a WAF or rate-limit reject page: report it as
 * blocked (the user should wait), not as a bare status.
 */
export function rejectPageOf(e: unknown): { contentType: string; body: string } | null {
  if (e instanceof HttpStatusError && (e.status === 403 || e.status === 429) && looksLikeHtml(e.contentType, e.bodyStart)) {
    return { contentType: e.contentType, body: e.bodyStart };
  }
  return null;
}
