/** Shared output: aligned tables for people, JSON for scripts. */
export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  align?: 'left' | 'right';
}

// Hangul and other wide glyphs take two terminal cells.
function cellWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xff00 && cp <= 0xff60) ? 2 : 1;
  }
  return w;
}

function pad(s: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - cellWidth(s)));
  return align === 'right' ? fill + s : s + fill;
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => {
    const v = c.value(r);
    return v === null || v === undefined ? '-' : String(v);
  }));
  const widths = columns.map((c, i) => Math.max(cellWidth(c.header), ...cells.map((row) => cellWidth(row[i]))));
  const line = (vals: string[]) => vals.map((v, i) => pad(v, widths[i], columns[i].align ?? 'left')).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function printJson(value: unknown, write: (s: string) => void = (s) => process.stdout.write(s)): void {
  write(`${JSON.stringify(value, null, 2)}\n`);
}
