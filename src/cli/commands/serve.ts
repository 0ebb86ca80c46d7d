import { Command } from 'commander';
import { dbPathFor } from '../context.js';
import { CliFailure, UsageError, parseIntOption } from '../errors.js';

function portOption(value: string): number {
  const n = parseIntOption('--port')(value);
  if (n < 0 || n > 65535) throw new UsageError(`--port must be in 0..65535, got ${n}`);
  return n;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the REST API (OpenAPI at /openapi.json, Swagger UI at /docs) until SIGINT/SIGTERM')
    .option('--port <n>', 'port to listen on (env HOGI_PORT; default 8000)', portOption)
    .option('--host <addr>', 'address to bind (env HOGI_HOST; default 127.0.0.1); any other than loopback requires API keys')
    .option('--require-key', 'require API keys on /api even on loopback (env HOGI_REQUIRE_KEY=1)')
    .option(
      '--cors-origin <origin...>',
      'browser origins allowed to call the API besides the server\'s own, e.g. https://example.org, or "*" (env HOGI_CORS_ORIGINS, comma-separated)',
    )
    .option('--runtime <runtime>', 'inference runtime: onnx (exported files through onnxruntime-node; default) or tfjs (env HOGI_RUNTIME)', (v: string) => {
      if (v !== 'onnx' && v !== 'tfjs') throw new UsageError(`--runtime must be onnx or tfjs, got "${v}"`);
      return v;
    })
    .option('--no-schedule', 'do not run the weekly sync-and-retrain cycle (Saturdays 21:00 KST; env HOGI_SCHEDULE=0)')
    .action(async function (this: Command, opts: { port?: number; host?: string; requireKey?: boolean; corsOrigin?: string[]; schedule: boolean; runtime?: 'onnx' | 'tfjs' }) {
      // fastify, the routes and their schemas load here, not with the CLI: `hogi --help` and the light commands stay fast.
      const { parseCorsOrigins, startServer } = await import('../../api/server.js');
      try {
        // Resolves once listening; the open socket keeps the process alive until a signal closes it.
        await startServer({
          dbPath: dbPathFor(this),
          host: opts.host,
          port: opts.port,
          // --no-schedule turns the cycle off; without it HOGI_SCHEDULE decides (default on).
          ...(opts.schedule ? {} : { schedule: false }),
          ...(opts.requireKey ? { requireKey: true } : {}),
          ...(opts.runtime ? { runtime: opts.runtime } : {}),
          ...(opts.corsOrigin ? { corsOrigins: opts.corsOrigin.flatMap((o) => parseCorsOrigins(o)) } : {}),
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EADDRINUSE') throw new CliFailure(`address ${opts.host ?? '127.0.0.1'}:${opts.port ?? 8000} is already in use; pick another with --port`);
        if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') throw new CliFailure(`cannot bind ${opts.host}: ${err.message}`);
        throw e;
      }
    });
}
