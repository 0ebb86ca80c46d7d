import { Command } from 'commander';
import { cliConfig, dbPathFor } from '../context.js';
import { CliFailure, UsageError, parseIntOption } from '../errors.js';

function portOption(value: string): number {
  const n = parseIntOption('--port')(value);
  if (n < 0 || n > 65535) throw new UsageError(`--port must be in 0..65535, got ${n}`);
  return n;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the REST API (OpenAPI at /openapi.json, Swagger UI at /docs) until SIGINT/SIGTERM')
    .option('--port <n>', 'port to listen on (env HOGI_PORT or PORT; default 8000)', portOption)
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
        .option(
      '--allowed-hosts <names...>',
      'host names the server answers besides loopback ones, e.g. hogi.example.org, or "*" (env HOGI_ALLOWED_HOSTS, comma-separated; ' +
        'default: loopback names only when bound to loopback, against DNS rebinding; any when bound beyond it)',
    )
    .option('--no-schedule', 'do not run the weekly sync-and-retrain cycle (Saturdays 21:00 KST; env HOGI_SCHEDULE=0)')
    .option('--no-startup-training', 'do not train missing models at start-up; the frequency baseline serves until `hogi train` (env HOGI_STARTUP_TRAINING=0)')
    .action(async function (
      this: Command,
      opts: { port?: number; host?: string; requireKey?: boolean; corsOrigin?: string[]; allowedHosts?: string[]; schedule: boolean; startupTraining: boolean; runtime?: 'onnx' | 'tfjs' },
    ) {
      // fastify, the routes and their schemas load here, not with the CLI: `hogi --help` and the light commands stay fast.
      const { parseAllowedHosts, parseCorsOrigins, startServer } = await import('../../api/server.js');
      const config = cliConfig();
      try {
        // Resolves once listening; the open socket keeps the process alive until a signal closes it.
        await startServer({
          dbPath: dbPathFor(this),
          host: opts.host,
          port: opts.port,
          // --no-schedule turns the cycle off; without it HOGI_SCHEDULE decides (default on).
          ...(opts.schedule ? {} : { schedule: false }),
          ...(opts.startupTraining ? {} : { startupTraining: false }),
          // The global --no-snapshot: an empty database stays empty.
          ...(this.optsWithGlobals<{ snapshot?: boolean }>().snapshot === false ? { snapshot: false } : {}),
          ...(opts.requireKey ? { requireKey: true } : {}),
          ...(opts.runtime ? { runtime: opts.runtime } : {}),
          ...(opts.corsOrigin ? { corsOrigins: opts.corsOrigin.flatMap((o) => parseCorsOrigins(o)) } : {}),
          ...(opts.allowedHosts ? { allowedHosts: opts.allowedHosts.flatMap((h) => parseAllowedHosts(h) ?? []) } : {}),
        }, config);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EADDRINUSE') {
          throw new CliFailure(`address ${opts.host ?? config.host ?? '127.0.0.1'}:${opts.port ?? config.port ?? 8000} is already in use; pick another with --port`);
        }
        if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') throw new CliFailure(`cannot bind ${opts.host}: ${err.message}`);
        throw e;
      }
    });
}
