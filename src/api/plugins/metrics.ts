import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { availableParallelism } from 'node:os';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { RequestMetrics } from '../../service/metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: RequestMetrics;
    prometheus: Registry;
  }
}

export interface MetricsPluginOptions {
  /** A recorder to use (tests inject one with a fake clock); default a fresh one. */
  metrics?: RequestMetrics;
}

/** Periods the Prometheus gauges report (percentiles, CPU, hit ratio). */
const GAUGE_PERIODS: Array<[string, number]> = [
  ['1m', 60_000],
  ['5m', 300_000],
];

/**
 * Measures every response (route pattern, status, fastify's own elapsed time) into the
 * request metrics ring, samples CPU and memory once a bucket, and serves the same figures to
 * Prometheus at GET /metrics from a registry of this app's own (never the global one, so
 * several apps can live in one process). The Prometheus values are read from the recorder at
 * scrape time: a request pays only for the ring update.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, opts: MetricsPluginOptions) => {
    const metrics = opts.metrics ?? new RequestMetrics({ cores: availableParallelism() });
    app.decorate('metrics', metrics);
    app.addHook('onResponse', (request, reply, done) => {
      const url = request.routeOptions.url;
      metrics.recordRequest(url === undefined ? 'unmatched' : `${request.method} ${url}`, reply.statusCode, reply.elapsedTime);
      done();
    });
    const timer = setInterval(() => metrics.sample(), metrics.bucketMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));

    const registry = new Registry();
    registry.setDefaultLabels({ service: 'hogi' });
    collectDefaultMetrics({ register: registry });
    app.decorate('prometheus', registry);
    const cacheStats = () => (app.hasDecorator('predictions') ? app.predictions.cacheStats() : null);

    new Counter({
      name: 'hogi_http_requests_total',
      help: 'Finished HTTP requests by outcome (success < 400, client_error 4xx, server_error 5xx).',
      labelNames: ['outcome'],
      registers: [registry],
      collect() {
        const t = metrics.totals();
        this.reset();
        this.inc({ outcome: 'success' }, t.successful);
        this.inc({ outcome: 'client_error' }, t.clientErrors);
        this.inc({ outcome: 'server_error' }, t.serverErrors);
      },
    });
    new Counter({
      name: 'hogi_http_request_duration_ms_sum',
      help: 'Sum of HTTP request durations in milliseconds (with hogi_http_requests_total: the mean).',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(metrics.totals().latencySumMs);
      },
    });
    new Gauge({
      name: 'hogi_http_request_duration_ms',
      help: 'HTTP request latency over a trailing period: avg, p50, p95, p99, max (ms; percentiles from a log histogram, ±9 %).',
      labelNames: ['period', 'stat'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [label, ms] of GAUGE_PERIODS) {
          const s = metrics.summary(ms, label).latency_ms;
          for (const stat of ['avg', 'p50', 'p95', 'p99', 'max'] as const) this.set({ period: label, stat }, s[stat] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'hogi_process_cpu_percent',
      help: 'CPU time used by the process over a trailing period, percent of one core.',
      labelNames: ['period'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [label, ms] of GAUGE_PERIODS) this.set({ period: label }, metrics.summary(ms, label).cpu.percent);
      },
    });
    new Counter({
      name: 'hogi_predictions_generated_total',
      help: 'Predictions made and stored (cache misses); cache hits are not new predictions.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(metrics.totals().predictions);
      },
    });
    new Counter({
      name: 'hogi_prediction_cache_requests_total',
      help: 'Prediction responses by cache result (hit: the stored answer of an identical earlier request).',
      labelNames: ['result'],
      registers: [registry],
      collect() {
        const t = metrics.totals();
        this.reset();
        this.inc({ result: 'hit' }, t.cacheHits);
        this.inc({ result: 'miss' }, t.cacheMisses);
      },
    });
    new Gauge({
      name: 'hogi_prediction_cache_entries',
      help: 'Answers held by the prediction response cache.',
      registers: [registry],
      collect() {
        this.set(cacheStats()?.entries ?? 0);
      },
    });
    new Gauge({
      name: 'hogi_prediction_cache_bytes',
      help: 'Approximate memory of the prediction response cache (JSON bytes).',
      registers: [registry],
      collect() {
        this.set(cacheStats()?.bytes ?? 0);
      },
    });

    app.get(
      '/metrics',
      {
        schema: {
          tags: ['monitoring'],
          summary: 'Prometheus metrics (text exposition format)',
          description:
            'The figures of /api/monitoring/metrics for Prometheus: hogi_http_requests_total{outcome}, hogi_http_request_duration_ms{period,stat}, ' +
            'hogi_predictions_generated_total, hogi_prediction_cache_requests_total{result}, hogi_prediction_cache_entries/bytes, ' +
            'hogi_process_cpu_percent{period}, and prom-client\'s process and Node.js metrics (process_resident_memory_bytes, nodejs_eventloop_lag_seconds...).',
          produces: ['text/plain'],
          response: { 200: { type: 'string', description: 'Prometheus text format 0.0.4.' } },
        },
      },
      async (_request, reply) => {
        reply.type(registry.contentType);
        return registry.metrics();
      },
    );
  },
  { name: 'hogi-metrics', fastify: '5.x' },
);
