/** Minimal RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */

export interface CsvTable {
  header: string[];
  /** Data rows (header excluded), blank lines skipped. */
  rows: string[][];
}

/** Split CSV text into rows of fields. A UTF-8 BOM is ignored; CRLF and LF both end a row. */
export function parseCsvRows(text: string): string[][] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    // A line with one empty field is a blank line, not a record.
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
    field = '';
  };
  while (i < s.length) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      endRow();
      i++;
    } else if (c === '\n' || c === '\r') endRow();
    else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

export function parseCsv(text: string): CsvTable {
  const rows = parseCsvRows(text);
  return { header: (rows[0] ?? []).map((h) => h.trim()), rows: rows.slice(1) };
}

function escapeField(v: string): string {
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Render rows as CSV with LF line endings and a trailing newline. null/undefined become empty cells. */
export function writeCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  const line = (cells: ReadonlyArray<string | number | null | undefined>) =>
    cells.map((c) => (c === null || c === undefined ? '' : escapeField(String(c)))).join(',');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
