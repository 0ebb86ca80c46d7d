// The server logs readable lines to a terminal and JSON lines to anything else.
import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../../src/api/logFormat.js';
import { serverLogger } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/env.js';

/** A stdout stand-in that records what is written. */
function sink(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('server log format', () => {
  it('turns a request line into time, level, message, method, URL, status and time taken', () => {
    const line = JSON.stringify({ level: 30, time: Date.UTC(2026, 11, 6, 3, 4, 5), pid: 1, hostname: 'h', service: 'hogi', reqId: 'abc', req: { method: 'GET', url: '/api/draws' }, res: { statusCode: 200 }, responseTime: 4.123, msg: 'request completed' });
    const out = formatLogLine(line);
    expect(out).toMatch(/^\d\d:\d\d:\d\d +INFO +request completed +GET \/api\/draws +200 +4\.1 ms +req-id=abc\n$/);
    expect(out).not.toContain('{');
  });

  it('keeps extra fields as key=value and prints an error stack under its line', () => {
    const out = formatLogLine(JSON.stringify({ level: 50, time: 0, msg: 'boom', draws: 1245, err: { message: 'x', stack: 'Error: x\n    at f' } }));
    expect(out).toMatch(/ERROR +boom +draws=1245\nError: x\n {4}at f\n$/);
  });

  it('uses readable lines on a terminal and JSON lines otherwise, unless HOGI_LOG_FORMAT says', async () => {
    const tty = sink(true);
    serverLogger(loadConfig({}), tty).info({ draws: 3 }, 'database ready');
    expect(tty.text).toMatch(/INFO.*database ready.*draws=3/);
    expect(() => JSON.parse(tty.text)).toThrow();
    const pipe = sink(false);
    serverLogger(loadConfig({}), pipe).info({ draws: 3 }, 'database ready');
    expect(JSON.parse(pipe.text)).toMatchObject({ level: 30, msg: 'database ready', draws: 3, service: 'hogi' });
    const forcedJson = sink(true);
    serverLogger(loadConfig({ HOGI_LOG_FORMAT: 'json' }), forcedJson).info('hello');
    expect(JSON.parse(forcedJson.text)).toMatchObject({ msg: 'hello' });
    const forcedPretty = sink(false);
    serverLogger(loadConfig({ HOGI_LOG_FORMAT: 'pretty' }), forcedPretty).info('hello');
    expect(forcedPretty.text).toMatch(/INFO +hello/);
    expect(() => loadConfig({ HOGI_LOG_FORMAT: 'xml' })).toThrow(/pretty or json/);
  });
});
