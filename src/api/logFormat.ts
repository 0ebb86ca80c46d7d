/**
 * pino's JSON lines as lines a person reads in a terminal:
 *   12:04:31 INFO  hogi serving on http://127.0.0.1:8000 (API docs: …)
 *   12:04:33 INFO  request completed  GET /api/draws 200 4.1 ms  req-id=…
 * Everything the JSON line carries besides time, level and message follows as key=value.
 * Only for terminals (server.ts picks it); pipes and files keep JSON lines for tools.
 */

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '\u001b[90m' },
  20: { name: 'DEBUG', color: '\u001b[36m' },
  30: { name: 'INFO', color: '\u001b[32m' },
  40: { name: 'WARN', color: '\u001b[33m' },
  50: { name: 'ERROR', color: '\u001b[31m' },
  60: { name: 'FATAL', color: '\u001b[35m' },
};
const RESET = '\u001b[0m';
const DIM = '\u001b[2m';

/** Keys shown in their own place or not worth a terminal line. */
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'v', 'req', 'res', 'responseTime', 'reqId', 'err']);

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

/** One JSON log line as a readable line (a line that is not JSON is returned unchanged). */
export function formatLogLine(line: string, options: { color?: boolean } = {}): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const color = options.color ?? false;
  const level = LEVELS[Number(o.level)] ?? { name: String(o.level ?? '?').toUpperCase(), color: '' };
  const t = typeof o.time === 'number' ? new Date(o.time) : null;
  const time = t && !Number.isNaN(t.getTime()) ? t.toTimeString().slice(0, 8) : '--:--:--';
  const parts: string[] = [time, color ? `${level.color}${level.name.padEnd(5)}${RESET}` : level.name.padEnd(5), String(o.msg ?? '')];
  const req = o.req as { method?: string; url?: string } | undefined;
  const res = o.res as { statusCode?: number } | undefined;
  if (req?.method) parts.push(`${req.method} ${req.url ?? ''}`);
  if (res?.statusCode !== undefined) parts.push(String(res.statusCode));
  if (typeof o.responseTime === 'number') parts.push(`${o.responseTime.toFixed(1)} ms`);
  const extras = Object.entries(o)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${value(v)}`);
  if (typeof o.reqId === 'string') extras.push(`req-id=${o.reqId}`);
  let out = parts.filter((p) => p !== '').join('  ');
  if (extras.length) out += `  ${color ? DIM : ''}${extras.join(' ')}${color ? RESET : ''}`;
  const err = o.err as { message?: string; stack?: string } | undefined;
  if (err) out += `\n${err.stack ?? err.message ?? value(err)}`;
  return `${out}\n`;
}

/** A destination for pino that writes readable lines to `out`. */
export function prettyLogStream(out: { write(chunk: string): unknown }, options: { color?: boolean } = {}): { write(chunk: string): void } {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line !== '') out.write(formatLogLine(line, options));
    },
  };
}
