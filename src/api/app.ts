import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../data/db.js';
import { clientErrorHandler, errorHandling, frameworkErrors, requestIdFrom } from './errors.js';
import { lazyCompilersFactory } from './lazySchemas.js';
import { access, API_KEY_SECURITY_SCHEMES, type AccessOptions } from './plugins/access.js';
import { cyclePlugin, type CycleConfig } from './plugins/cycle.js';
import { metricsPlugin } from './plugins/metrics.js';
import type { RequestMetrics } from '../service/metrics.js';
import { DEFAULT_CACHED_PREFIXES, httpCache, type HttpCacheOptions } from './plugins/httpCache.js';
import { finishOpenApi, nameSchemas } from './openapi.js';
import { requestLimits } from './plugins/requestLimits.js';
import { predictionsPlugin, type PredictionsPluginOptions } from './plugins/predictions.js';
import { PredictionService } from '../service/predictions/service.js';
import { services } from './plugins/services.js';
import { fairnessPlugin, type FairnessPluginOptions } from './plugins/fairness.js';
import fairnessRoutes from './routes/fairness.js';
import backtestRoutes from './routes/backtests.js';
import drawsRoutes from './routes/draws.js';
import monitoringRoutes from './routes/monitoring.js';
import predictionRoutes from './routes/predictions.js';
import popularityRoutes from './routes/popularity.js';
import { popularityPlugin, type PopularityPluginOptions } from './plugins/popularity.js';
import statisticsRoutes from './routes/statistics.js';
import wheelRoutes from './routes/wheels.js';
import ticketRoutes from './routes/tickets.js';
import { ticketsPlugin, type TicketsPluginOptions } from './plugins/tickets.js';
import { RootInfo } from './schemas.js';
import { dashboard, type DashboardOptions } from '../web/dashboard.js';
import { HOGI_VERSION } from '../data/version.js';

// The version lives in package.json only; re-exported here for the API's users.
export { HOGI_VERSION };

export interface AppOptions {
  /** An open, migrated database; the caller owns it and closes it after the app. */
  db: Db;
  /** false (default) for silence, true for fastify's pino at info, or a pino logger. */
  logger?: boolean | FastifyBaseLogger;
  version?: string;
  /** The prediction service, or where its models are (default ./data/models, small config, worker threads). */
  predictions?: PredictionsPluginOptions['predictions'];
  /** Where the built dashboard is (default dist/web/client); without a build, `/` says how to make one. */
  dashboard?: DashboardOptions;
  /** API keys, tier limits and CORS (default: no key required, same-origin only; see plugins/access.ts). */
  access?: AccessOptions;
  /** ETag / Cache-Control on GET draws, statistics and backtests (see plugins/httpCache.ts). */
  httpCache?: HttpCacheOptions;
  /** gzip/brotli/deflate answers of at least `threshold` bytes when accepted (default on, 1024). */
  compression?: false | { threshold?: number };
  /** The request metrics recorder (tests inject one with a fake clock; default a fresh one). */
  metrics?: RequestMetrics;
  /** How fairness reports are computed and cached (default: worker thread, 16 kept). */
  fairness?: FairnessPluginOptions['fairness'];
  /** The weekly sync-and-retrain cycle: options (server.ts passes {} unless --no-schedule), or false/undefined for none. */
  schedule?: CycleConfig | false;
  /** The player's tickets (tests inject a service over a fixture prize source). */
  tickets?: Omit<TicketsPluginOptions, 'db'>;
  /** Where the popularity model reads the five prize tiers (default: the database's stored tiers). */
  popularity?: Omit<PopularityPluginOptions, 'db'>;
  /** How long a request body may take to arrive once its headers have, ms (default 10 000): then 408. */
  bodyTimeoutMs?: number;
  /** The clock health and the draw calendar read, and the prediction service the plugin creates (default: real time). */
  clock?: () => Date;
  /** Keep a cycle for training missing models at start-up even without the schedule (server.ts decides when to start it). */
  startupTraining?: CycleConfig | false;
}

/**
 * The whole application as one plugin (no listening, no environment): the order is errors,
 * OpenAPI, services, then one route plugin per resource.
 */
export const hogiApp = fp(
  async (app: FastifyInstance, opts: AppOptions) => {
    const version = opts.version ?? HOGI_VERSION;
    nameSchemas();
    await app.register(errorHandling);
    await app.register(requestLimits, { bodyTimeoutMs: opts.bodyTimeoutMs });
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'hogi',
          version,
          description:
            'Korean Lotto 6/45 draw history, statistics per draw machine (호기). Errors use one envelope: ' +
            '{"status":"error","error":{"code","message","field"},"timestamp","request_id"}. Every response carries X-Request-Id.',
        },
        components: { securitySchemes: API_KEY_SECURITY_SCHEMES },
        tags: [
          { name: 'draws', description: 'Stored draw history' },
          { name: 'statistics', description: 'Window statistics per machine' },
          { name: 'monitoring', description: 'Health, measured metrics (JSON and Prometheus)' },
          { name: 'predictions', description: 'Number sets per machine from the cached model vectors; stored and scored' },
          { name: 'backtests', description: 'Walk-forward backtests against chance (run with `hogi backtest`)' },
          { name: 'wheels', description: 'Wheels (조합 축소): fewest tickets over a pool with a proved m-if-p guarantee' },
          { name: 'tickets', description: 'The player’s own tickets: QR scan, automatic checking with each round’s prize after tax, the ledger' },
          { name: 'popularity', description: 'How many others would share a combination\'s prize (never the odds of winning)' },
        ],
      },
      transformObject: finishOpenApi({ cachedPrefixes: opts.httpCache?.prefixes ?? DEFAULT_CACHED_PREFIXES }),
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    // Before the other plugins and routes, so its onResponse hook times every route (429s and 404s included).
    await app.register(metricsPlugin, { metrics: opts.metrics });
    // Before any route: these add per-route hooks (rate limit, compression) through onRoute.
    await app.register(access, { ...opts.access, db: opts.db });
    await app.register(httpCache, opts.httpCache ?? {});
    if (opts.compression !== false) {
      // Request bodies are never decompressed (no zip bombs). gzip first: on this 2-core target it
      // costs ~150 µs less than brotli (quality 4) per 10-30 KB answer for ~4% more bytes. Answers
      // up to 64 KB compress synchronously: the stream path (the plugin's default above 8 KB on two
      // cores) took twice the CPU and latency for API-sized answers (bench/access.ts).
      await app.register(compress, {
        threshold: opts.compression?.threshold ?? 1024,
        syncThreshold: 64 * 1024,
        globalDecompression: false,
        encodings: ['gzip', 'br', 'deflate'],
      });
    }
    await app.register(services, { db: opts.db, clock: opts.clock });
    await app.register(fairnessPlugin, { db: opts.db, fairness: opts.fairness });
    // The prize source given for the popularity routes also serves avoid_sharing and each set's popularity figures.
    const predictions =
      opts.popularity?.source && !(opts.predictions instanceof PredictionService) ? { ...opts.predictions, popularitySource: opts.popularity.source } : opts.predictions;
    await app.register(predictionsPlugin, { db: opts.db, predictions, clock: opts.clock });
    await app.register(popularityPlugin, { ...opts.popularity, db: opts.db });
    await app.register(cyclePlugin, { db: opts.db, schedule: opts.schedule, startupTraining: opts.startupTraining });
    await app.register(ticketsPlugin, { ...(opts.clock ? { now: opts.clock } : {}), ...opts.tickets, db: opts.db });

    await app.register(drawsRoutes, { prefix: '/api/draws' });
    await app.register(statisticsRoutes, { prefix: '/api/statistics' });
    await app.register(fairnessRoutes, { prefix: '/api/statistics' });
    await app.register(monitoringRoutes, { prefix: '/api/monitoring' });
    await app.register(predictionRoutes, { prefix: '/api' });
    await app.register(backtestRoutes, { prefix: '/api/backtests' });
    await app.register(wheelRoutes, { prefix: '/api/wheels' });
    await app.register(ticketRoutes, { prefix: '/api' });
    await app.register(popularityRoutes, { prefix: '/api/popularity' });

    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    // The dashboard owns `/`; the machine-readable pointers live at /api.
    await app.register(dashboard, opts.dashboard ?? {});
    app.get('/api', { schema: { hide: true, response: { 200: RootInfo } } }, async () => ({
      name: 'hogi',
      version,
      docs: '/docs',
      openapi: '/openapi.json',
      health: '/api/monitoring/health',
      dashboard: '/',
    }));
  },
  { name: 'hogi-app', fastify: '5.x' },
);

/** Server options shared by tests and the real server: request ids and the logger. */
export function serverOptions(logger: AppOptions['logger'] = false): FastifyServerOptions & { loggerInstance?: FastifyBaseLogger } {
  const base: FastifyServerOptions = {
    // Client ids are echoed when plain (see requestIdFrom), otherwise a UUID is generated.
    requestIdHeader: false,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    bodyLimit: 64 * 1024,
    // Malformed URLs and over-long path parameters answer in the error envelope too,
    frameworkErrors,
    // and so do requests Node's parser refuses (bad request line, 431, 408).
    clientErrorHandler,
    // Receiving a whole request may take at most this long (Node checks it every 30 s); a stalled
    // body is answered much sooner by the body timeout (plugins/requestLimits.ts).
    requestTimeout: 120_000,
    // Each route's validators and serializers compile on first use, not all at start-up (see lazySchemas.ts).
    schemaController: { compilersFactory: lazyCompilersFactory },
  };
  if (typeof logger === 'object') return { ...base, loggerInstance: logger };
  return { ...base, logger };
}

/** A configured, not yet listening fastify instance; `inject` works on it directly. */
export function buildApp(opts: AppOptions): FastifyInstance {
  const app: FastifyInstance = Fastify(serverOptions(opts.logger));
  app.register(hogiApp, opts);
  return app;
}
