import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { prettyLogStream } from './logFormat.js';
import { apiKeysRepo } from '../data/apiKeysRepo.js';
import { openDb, resolveDbPath, type Db } from '../data/db.js';
import { clockFrom, loadConfig, type HogiConfig } from '../config/env.js';
import { drawsRepo } from '../data/drawsRepo.js';
import { seedFromSnapshot, type SeedResult } from '../data/snapshot.js';
import type { SyncSummary } from '../data/sync/syncService.js';
import { recoverModelsDir } from '../service/modelSwap.js';
import { SERVED_TARGETS } from '../service/weeklyCycle.js';
import { DEFAULT_MODELS_DIR } from '../service/modelStore.js';
import type { ConfigName } from '../service/registry.js';
import { DEFAULT_RUNTIME, type InferenceRuntime } from '../service/onnx/serving.js';
import { buildApp } from './app.js';
import { requestLogView } from './plugins/access.js';
import type { CycleConfig } from './plugins/cycle.js';
import { LOAD_DATA_HINT } from './errors.js';

/**
 * The module that listens and handles signals. Its settings come from the options and then from the
 * configuration (config/env.ts, the only reader of the environment): HOGI_DB, HOGI_HOST, HOGI_PORT (or PORT), HOGI_LOG_LEVEL, HOGI_LOG_FORMAT (pretty | json;
 * default pretty on a terminal, JSON otherwise), HOGI_MODELS_DIR, HOGI_MODEL_CONFIG,
 * HOGI_INFERENCE_TIMEOUT_MS, HOGI_REQUIRE_KEY, HOGI_CORS_ORIGINS, HOGI_ALLOWED_HOSTS, HOGI_BODY_TIMEOUT_MS,
 * HOGI_SCHEDULE (0 = no weekly cycle), HOGI_PREDICTION_CACHE_TTL_S (0 = no prediction response cache),
 * HOGI_SNAPSHOT (0 = an empty database stays empty), HOGI_STARTUP_TRAINING (0 = no training of missing
 * models at start-up), HOGI_NOW (run as if started at that instant: tests and demos of the draw calendar)
 * (explicit options win).
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
  /** Trained models (default ./data/models) and the config to serve (small | reference, default small). */
  modelsDir?: string;
  modelConfig?: ConfigName;
  /** Per-family inference timeout in ms (default 30000). */
  inferenceTimeoutMs?: number;
  /**
   * Require API keys on /api (default: when binding beyond loopback or HOGI_REQUIRE_KEY=1).
   * A non-loopback address always requires them; false is only honoured on loopback.
   */
  requireKey?: boolean;
  /** Browser origins allowed besides the server's own (HOGI_CORS_ORIGINS, comma-separated; "*" for any). */
  corsOrigins?: string[];
  /** Score stored predictions and compute the prediction vectors right after listening (default true). */
  warmPredictions?: boolean;
  /** The weekly sync-and-retrain cycle: true (default unless HOGI_SCHEDULE=0), false (`--no-schedule`), or its options. */
  schedule?: boolean | CycleConfig;
  /** How long an unseeded prediction answer is reused for identical requests, seconds (default 300; 0 = never). */
  predictionCacheTtlSeconds?: number;
  /** Inference runtime: onnx (the exported files through onnxruntime-node, default) or tfjs (HOGI_RUNTIME). */
  runtime?: InferenceRuntime;
  /**
   * Host names the server answers besides loopback ones ("*": any). Default: loopback names only
   * when bound to loopback (DNS rebinding), any when bound beyond it (keys are required there).
   */
  allowedHosts?: string[];
  /** How long a request body may take to arrive, ms (HOGI_BODY_TIMEOUT_MS; default 10 000). */
  bodyTimeoutMs?: number;
  /** The clock of health's freshness and of prediction target rounds (tests pin it; default real time). */
  clock?: () => Date;
  /** Load the shipped history into an empty database (default true unless HOGI_SNAPSHOT=0). */
  snapshot?: boolean;
  /**
   * After loading the shipped history, fetch anything newer in the background: the sync to run
   * (tests inject a fake), or false for none. Default: `hogi sync` against the official sites.
   */
  startupSync?: (() => Promise<SyncSummary>) | false;
  /**
   * Train the served models that are missing (small config unless HOGI_MODEL_CONFIG says otherwise)
   * in a worker right after listening, and swap them in: true (default unless
   * HOGI_STARTUP_TRAINING=0), false, or cycle options (tests inject a fake trainer).
   */
  startupTraining?: boolean | CycleConfig;
}

export interface RunningServer {
  app: FastifyInstance;
  db: Db;
  /** What loading the shipped history did (loaded: false when the database already held draws or it is off). */
  seeded: SeedResult | null;
  /** The background sync after loading the shipped history, and the start-up training; null when not started. */
  startup: { sync: Promise<void> | null; training: Promise<void> | null };
  /** e.g. http://127.0.0.1:8000 */
  url: string;
  port: number;
  /** Stop accepting, drain in-flight requests, close the database. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8000;

/** HOGI_ALLOWED_HOSTS (comma-separated names, or "*"). */
export function parseAllowedHosts(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.split(',').map((h) => h.trim()).filter((h) => h !== '');
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Keys are needed whenever someone other than this machine can connect, or when asked for (option, then HOGI_REQUIRE_KEY). */
export function keyRequired(host: string, explicit: boolean | undefined, configured: boolean | undefined): boolean {
  if (!isLoopbackHost(host)) return true;
  return explicit ?? configured ?? false;
}

export function parseCorsOrigins(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  return raw.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter((o) => o !== '');
}

/** pino at HOGI_LOG_LEVEL: readable lines on a terminal, JSON lines otherwise (HOGI_LOG_FORMAT overrides). */
export function serverLogger(config: Pick<HogiConfig, 'logFormat' | 'logLevel'>, stdout: NodeJS.WriteStream = process.stdout): Logger {
  const format = config.logFormat;
  const pretty = format === 'pretty' || (format !== 'json' && stdout.isTTY === true);
  const options = { level: config.logLevel, base: { service: 'hogi' }, serializers: { req: requestLogView } };
  if (pretty) return pino(options, prettyLogStream(stdout, { color: stdout.isTTY === true }));
  // pino's own fast writer on the real stdout; any other stream (tests) as given.
  return stdout === process.stdout ? pino(options) : pino(options, stdout);
}

/** `config` defaults to the process's environment, read once (tests pass `loadConfig({...})`). */
export async function startServer(options: ServerOptions = {}, config: HogiConfig = loadConfig()): Promise<RunningServer> {
  const host = options.host ?? config.host ?? DEFAULT_HOST;
  const port = options.port ?? config.port ?? DEFAULT_PORT;
  const dbPath = resolveDbPath(options.dbPath, config.db);
  const logger = options.logger === undefined ? serverLogger(config) : options.logger;

  const modelConfig = options.modelConfig ?? config.modelConfig;
  const inferenceTimeoutMs = options.inferenceTimeoutMs ?? config.inferenceTimeoutMs;
  const requireKey = keyRequired(host, options.requireKey, config.requireKey);
  const corsOrigins = options.corsOrigins ?? config.corsOrigins ?? [];
  const allowedHosts = options.allowedHosts ?? config.allowedHosts ?? (isLoopbackHost(host) ? undefined : ['*']);
  const bodyTimeoutMs = options.bodyTimeoutMs ?? config.bodyTimeoutMs;
  const modelsDir = options.modelsDir ?? config.modelsDir ?? DEFAULT_MODELS_DIR;
  // The sync sources of HOGI_DHLOTTERY_URL / HOGI_LOTTOTAPA_URL, for the background and weekly syncs.
  const sources = { dhlotteryUrl: config.dhlotteryUrl, lottotapaUrl: config.lottotapaUrl };
  const scheduleOption = options.schedule ?? config.schedule;
  const schedule: CycleConfig | false = scheduleOption === true ? { sources } : scheduleOption;
  const ttlSeconds = options.predictionCacheTtlSeconds ?? config.predictionCacheTtlSeconds;
  const runtime = options.runtime ?? config.runtime ?? DEFAULT_RUNTIME;
  // A crash during a model swap can leave a model moved aside: put it back before anything loads models.
  const repaired = recoverModelsDir(modelsDir);
  const db = openDb(dbPath);
  // The embedded default: an empty database gets the history that ships with hogi, in one transaction.
  let seeded: SeedResult | null = null;
  let seedError: string | null = null;
  if (options.snapshot ?? config.snapshot) {
    try {
      seeded = seedFromSnapshot(drawsRepo(db));
    } catch (e) {
      seedError = (e as Error).message;
    }
  }
  const trainingOption = options.startupTraining ?? config.startupTraining;
  const startupTraining: CycleConfig | false = trainingOption === true ? (schedule || { sources }) : trainingOption;
  const app = buildApp({
    access: { requireKey, corsOrigins, allowedHosts },
    bodyTimeoutMs,
    db,
    logger: logger === false ? false : logger,
    predictions: {
      modelsDir,
      config: modelConfig,
      timeoutMs: inferenceTimeoutMs,
      runtime,
      responseCache: ttlSeconds === undefined ? undefined : { ttlMs: ttlSeconds * 1000 },
    },
    schedule,
    clock: options.clock ?? clockFrom(config),
    startupTraining,
  });
  for (const a of repaired) app.log.warn({ models_dir: modelsDir }, a);
  if (seeded?.loaded) app.log.info({ db: dbPath, draws: seeded.draws, latest_round: seeded.latestRound }, seeded.message);
  if (seedError) app.log.error({ db: dbPath }, `${seedError}; the database stays empty`);
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close().catch(() => undefined);
    db.close();
    throw err;
  }
  // The snapshot was written before the tickets plugin hooked the database: tickets stored while it
  // had no draws (HOGI_SNAPSHOT=0 earlier) are checked now against the rounds it brought.
  if (seeded?.loaded) app.tickets.checkAll();
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;

  const summary = app.draws.summary();
  if (summary.totalDraws === 0) app.log.warn({ db: dbPath }, LOAD_DATA_HINT);
  else app.log.info({ db: dbPath, draws: summary.totalDraws, latest_round: summary.latestRound }, 'database ready');
  app.log.info(`hogi serving on ${url} (API docs: ${url}/docs)`);
  app.log.info(
    { require_key: requireKey, cors_origins: corsOrigins, allowed_hosts: allowedHosts ?? 'loopback names' },
    requireKey ? 'API keys required on /api (create one with `hogi keys create`)' : 'no API key needed (loopback only)',
  );
  if (requireKey && !apiKeysRepo(db).list().some((k) => k.revokedAt === null)) {
    app.log.warn('API keys are required but none is active: every /api call except health will get 401 until you run `hogi keys create --tier … --label …`');
  }
  if (options.warmPredictions ?? true) {
    // Predictions whose draw arrived while the server was down get their results now; the
    // vectors are computed in the background so the first request finds them warm.
    const scored = app.predictions.score();
    if (scored.sets + scored.forecasts > 0) app.log.info(scored, 'scored stored predictions');
    if (summary.totalDraws > 0) app.predictions.warm().catch((err: unknown) => app.log.error({ err }, 'could not compute the prediction vectors'));
    // With the ONNX runtime, models without a current export are exported in the background
    // (tfjs answers for them meanwhile; health says so per machine).
    if (summary.totalDraws > 0 && runtime === 'onnx') {
      app.predictions.refreshOnnxExports().then(
        (r) => r.exported.length && app.log.info({ exported: r.exported }, 'ONNX exports refreshed'),
        (err: unknown) => app.log.error({ err }, 'could not export the models to ONNX; tfjs serves them'),
      );
    }
  }

  const startup: RunningServer['startup'] = { sync: null, training: null };
  if (seeded?.loaded && options.startupSync !== false) startup.sync = syncInBackground(app, db, seeded, options.startupSync, sources);
  if (startupTraining && app.cycle && summary.totalDraws > 0) {
    const cycle = app.cycle;
    // The cycle logs the outcome (trained, or which models failed); only an unexpected failure is left to report.
    startup.training = cycle.trainMissing(SERVED_TARGETS).then(
      () => undefined,
      (err: unknown) => app.log.error({ err }, 'start-up training failed; the frequency baseline keeps serving (run `hogi train`)'),
    );
  }

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

  return { app, db, seeded, startup, url, port: boundPort, close };
}

/**
 * Fetch rounds newer than the shipped history without holding up serving; say plainly when that
 * is not possible (offline, blocked), since the shipped history then stays what is served.
 */
function syncInBackground(
  app: FastifyInstance,
  db: Db,
  seeded: SeedResult,
  fn: (() => Promise<SyncSummary>) | undefined,
  sources: { dhlotteryUrl?: string; lottotapaUrl?: string },
): Promise<void> {
  const run = fn ?? (async () => (await import('../data/sync/syncService.js')).sync({ repo: drawsRepo(db), ...sources }));
  const shipped = `the shipped history up to round ${seeded.latestRound} (${seeded.latestDate})`;
  return run().then(
    (s) => {
      if (s.added > 0) {
        app.predictions.invalidate();
        app.log.info({ added: s.added, latest_round: s.latestRound }, `background sync: added ${s.added} round(s) after the shipped history, now up to round ${s.latestRound}`);
      } else app.log.info({ latest_round: s.latestRound }, `background sync: ${shipped} is up to date`);
    },
    (err: unknown) =>
      app.log.warn(
        { err: { message: (err as Error).message } },
        `could not fetch newer draws (${(err as Error).message}); serving ${shipped}. Run \`hogi sync\` once online.`,
      ),
  );
}
