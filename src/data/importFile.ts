// Reading an import file defensively: refuse by size before reading (a 100 MB file is never
// loaded), read at most the limit even from things whose size is unknown (pipes, /dev/zero),
// and refuse binary, non-UTF-8 and pathologically nested content with a problem that says so,
// before any parser sees it.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Problem } from '../domain/problems.js';
import { parseImportText } from './formats/detect.js';
import { jsonShapeProblem } from './formats/jsonShape.js';
import type { ParseResult } from './formats/types.js';

/**
 * 16 MiB: the whole history (≈1,250 draws) is about 0.4 MB as res.json and 0.1 MB as CSV, so
 * this leaves decades of room while keeping an import's memory small.
 */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;
/** res.json nests 3 levels; the dhlottery API answer 4. */
export const MAX_IMPORT_JSON_DEPTH = 64;

const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(n < 1024 * 1024 ? 2 : 1)} MiB`;

const refused = (path: string, expected: string, found: string): ParseResult => ({
  format: 'unknown',
  source: path,
  records: [],
  problems: [{ source: path, field: 'file', expected, found } satisfies Problem],
});

/** Read and parse one file for `hogi import`; every refusal is a problem naming the file, never a throw. */
export function readImportFile(path: string, options: { maxBytes?: number } = {}): ParseResult {
  const maxBytes = options.maxBytes ?? MAX_IMPORT_BYTES;
  const limitText = `a file of at most ${mib(maxBytes)} (the whole history is under 1 MiB)`;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return refused(path, 'a readable file', err.code ?? err.message);
  }
  let bytes: Buffer;
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return refused(path, 'a file', 'a directory');
    if (st.isFile() && st.size > maxBytes) return refused(path, limitText, `${mib(st.size)}; nothing was read`);
    // Read in chunks up to one byte past the limit: sizes of pipes and devices are not known up front.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) return refused(path, limitText, `more than ${mib(maxBytes)} (reading stopped there)`);
    }
    bytes = Buffer.concat(chunks, total);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return refused(path, 'a readable file', err.code ?? err.message);
  } finally {
    closeSync(fd);
  }

  const probe = bytes.subarray(0, 64 * 1024);
  if (probe.includes(0)) return refused(path, 'a text file (res.json or CSV)', 'a binary file (it contains NUL bytes)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refused(path, 'UTF-8 text (res.json or CSV)', 'bytes that are not valid UTF-8 (a binary file, or another encoding such as EUC-KR)');
  }
  const head = text.trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    const shape = jsonShapeProblem(text, MAX_IMPORT_JSON_DEPTH);
    if (shape) return refused(path, `JSON nested at most ${MAX_IMPORT_JSON_DEPTH} levels deep (res.json uses 3)`, `JSON nested deeper than ${shape.limit} levels`);
  }
  return parseImportText(text, path);
}
