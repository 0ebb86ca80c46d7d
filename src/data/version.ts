/**
 * hogi's version, read once from its package.json (the one place it is written), for the
 * API's root document, `hogi --version` and the sync client's User-Agent. The file is found
 * by walking up from this module: two folders up from src/data (tsx) and dist/data (the
 * built CLI), further from a bundle placed elsewhere in the package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function readVersion(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new Error(`cannot read hogi's version from ${file}: ${(e as Error).message}`);
      }
      if (typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === 'hogi') {
        const version = 'version' in parsed ? parsed.version : undefined;
        if (typeof version !== 'string' || !/^\d+\.\d+\.\d+/.test(version)) throw new Error(`${file} has no usable "version" field (got ${JSON.stringify(version)})`);
        return version;
      }
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of hogi above ${start}: cannot tell hogi's version`);
  }
}

export const HOGI_VERSION: string = readVersion();
