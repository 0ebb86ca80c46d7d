import { statSync } from 'node:fs';

/** A cheap change marker for a file (mtime and size), or '-' when it is absent: caches key on it. */
export function fileStamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return '-';
  }
}
