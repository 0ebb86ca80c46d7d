import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { openDb, resolveDbPath, type Db } from '../data/db.js';
import { buildApp } from './app.js';
import { LOAD_DATA_HINT } from './errors.js';

/**
 * The only module that reads the environment, listens and handles signals.
 * Environment: HOGI_DB, HOGI_HOST, HOGI_PORT, HOGI_LOG_LEVEL (explicit options win).
 */
export interface ServerOptions {
  dbPath?: string;
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Defaults to a pino logger at HOGI_LOG_LEVEL (info). */
  logger?: Logger | false;
  /** Close gracefully on SIGTERM/SIGINT (default true); the handlers go away on close. */
  handleSignals?: boolean;
  /** How long a graceful close may wait for in-flight requests before the process exits anyway. */
  closeTimeoutMs?: number;
}

export interface RunningServer {
  app: FastifyInstance;
  db: Db;
  /** e.g. http://127.0.0.1:8000 */
  url: string;
  port: number;
  /** Stop accepting, drain in-flight requests, close the database. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8000;

function envPort(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.HOGI_PORT;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`HOGI_PORT must be a port number 0..65535, got "${raw}"`);
  return n;
}

export async function startServer(options: ServerOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const host = options.host ?? env.HOGI_HOST ?? DEFAULT_HOST;
  const port = options.port ?? envPort(env) ?? DEFAULT_PORT;
  const dbPath = resolveDbPath(options.dbPath, env);
  const logger = options.logger === undefined ? pino({ level: env.HOGI_LOG_LEVEL ?? 'info', base: { service: 'hogi' } }) : options.logger;

  const db = openDb(dbPath);
  const app = buildApp({ db, logger: logger === false ? false : logger });
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close().catch(() => undefined);
    db.close();
    throw err;
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;

  const summary = app.draws.summary();
  if (summary.totalDraws === 0) app.log.warn({ db: dbPath }, LOAD_DATA_HINT);
  else app.log.info({ db: dbPath, draws: summary.totalDraws, latest_round: summary.latestRound }, 'database ready');
  app.log.info(`hogi serving on ${url} (API docs: ${url}/docs)`);

  let closing: Promise<void> | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, options.closeTimeoutMs ?? 10_000);
    timer.unref();
    close().then(
      () => {
        process.exitCode = 0;
      },
      (err: unknown) => {
        app.log.error({ err }, 'error during shutdown');
        process.exitCode = 1;
      },
    );
  };
  const handleSignals = options.handleSignals ?? true;
  if (handleSignals) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      if (handleSignals) {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
      // fastify's close stops accepting, lets in-flight requests finish, then runs onClose hooks.
      await app.close();
      db.close();
    })();
    return closing;
  }

  return { app, db, url, port: boundPort, close };
}
