/** One validation problem: which record, which field, what was expected and what was found. */
export interface Problem {
  /** 0-based index of the record in its source (row, array element). */
  index?: number;
  round?: number;
  field: string;
  expected: string;
  found: string;
  /** Source name (file path, URL) when known. */
  source?: string;
}

export function formatProblem(p: Problem): string {
  const where: string[] = [];
  if (p.source) where.push(p.source);
  if (p.index !== undefined) where.push(`record ${p.index}`);
  if (p.round !== undefined) where.push(`round ${p.round}`);
  const prefix = where.length ? `${where.join(', ')}: ` : '';
  return `${prefix}${p.field}: expected ${p.expected}, found ${p.found}`;
}

/** Thrown when input fails validation; carries every problem found, not just the first. */
export class ValidationError extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[], summary?: string) {
    const head = summary ?? `${problems.length} validation problem${problems.length === 1 ? '' : 's'}`;
    const lines = problems.slice(0, 50).map((p) => `  - ${formatProblem(p)}`);
    if (problems.length > 50) lines.push(`  … and ${problems.length - 50} more`);
    super(`${head}\n${lines.join('\n')}`);
    this.name = 'ValidationError';
    this.problems = problems;
  }
}

/** Render any value for a "found" field without flooding the message. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let s: string;
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
