/**
 * hogi's version, read once from its package.json (the one place it is written), for the
 * API's root document, `hogi --version` and the sync client's User-Agent. The file sits two
 * folders up both from src/data (tsx) and from dist/data (the built CLI).
 */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(url, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read hogi's version from ${url.pathname}: ${(e as Error).message}`);
  }
  const version = typeof parsed === 'object' && parsed !== null && 'version' in parsed ? parsed.version : undefined;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+/.test(version)) throw new Error(`${url.pathname} has no usable "version" field (got ${JSON.stringify(version)})`);
  return version;
}

export const HOGI_VERSION: string = readVersion();
