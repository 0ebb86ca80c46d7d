/**
 * Request and prediction metrics measured by the process itself.
 *
 * A ring of fixed time buckets (10 s each, 24 h deep) holds, per bucket, request counts by
 * outcome, the latency sum and max, a log-scale latency histogram (bins 2^(1/4) wide, so a
 * reported percentile is within ±9 % of the true value), prediction and cache counts, and a
 * CPU/memory sample. Recording a request is a few array writes (no allocation except the
 * first request of a route in a bucket), so it can run on every response; a summary merges
 * the buckets of the asked period.
 */

export const BUCKET_MS = 10_000;
export const HORIZON_MS = 24 * 3600_000;
/** Histogram: bin i holds latencies in [MIN_MS·2^((i-1)/4), MIN_MS·2^(i/4)); bin 0 is below MIN_MS. */
const MIN_MS = 0.01;
const BINS_PER_DOUBLING = 4;
const BINS = 100;
const LOG_STEP = Math.log(2) / BINS_PER_DOUBLING;

export type PredictionCacheStatus = 'hit' | 'miss';

export interface RouteSummary {
  route: string;
  requests: number;
  failures: number;
  avg_ms: number;
}

export interface MetricsSummary {
  period: string;
  period_seconds: number;
  bucket_seconds: number;
  from: string;
  to: string;
  uptime_seconds: number;
  requests: {
    total: number;
    successful: number;
    client_errors: number;
    server_errors: number;
    failed: number;
    per_second: number;
  };
  latency_ms: { avg: number | null; p50: number | null; p95: number | null; p99: number | null; max: number | null };
  predictions: { generated: number; cache_hits: number; cache_misses: number; cache_hit_rate: number | null };
  cpu: { percent: number; user_seconds: number; system_seconds: number; cores: number };
  memory: { rss_mb: number; heap_used_mb: number; heap_total_mb: number; external_mb: number; max_rss_mb: number };
  routes: RouteSummary[];
}

/** Cumulative counts since the process started (Prometheus counters). */
export interface MetricsTotals {
  requests: number;
  successful: number;
  clientErrors: number;
  serverErrors: number;
  latencySumMs: number;
  predictions: number;
  cacheHits: number;
  cacheMisses: number;
}

export interface RequestMetricsOptions {
  /** Wall clock in ms (default Date.now). */
  now?: () => number;
  cpuUsage?: () => NodeJS.CpuUsage;
  memoryUsage?: () => NodeJS.MemoryUsage;
  cores?: number;
  bucketMs?: number;
  horizonMs?: number;
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** "30s", "5m", "1h", "24h" → ms; null when malformed or outside bucket..horizon. */
export function parsePeriod(text: string, bucketMs = BUCKET_MS, horizonMs = HORIZON_MS): number | null {
  const m = /^(\d{1,5})(s|m|h)$/.exec(text);
  if (!m) return null;
  const ms = Number(m[1]) * (m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 3600_000);
  return ms >= bucketMs && ms <= horizonMs ? ms : null;
}

function binOf(ms: number): number {
  if (!(ms >= MIN_MS)) return 0;
  const b = 1 + Math.floor(Math.log(ms / MIN_MS) / LOG_STEP);
  return b >= BINS ? BINS - 1 : b;
}

/** Upper edge of a bin in ms. */
const binHigh = (b: number) => MIN_MS * Math.exp(b * LOG_STEP);

export class RequestMetrics {
  readonly bucketMs: number;
  private readonly slots: number;
  private readonly now: () => number;
  private readonly cpuUsage: () => NodeJS.CpuUsage;
  private readonly memoryUsage: () => NodeJS.MemoryUsage;
  private readonly cores: number;
  private readonly startedAt: number;
  private readonly startCpu: NodeJS.CpuUsage;
  // Per slot; `epoch` is the bucket number the slot currently holds (-1: never used).
  private readonly epoch: Float64Array;
  private readonly requests: Uint32Array;
  private readonly ok: Uint32Array;
  private readonly clientErr: Uint32Array;
  private readonly serverErr: Uint32Array;
  private readonly sumMs: Float64Array;
  private readonly maxMs: Float64Array;
  private readonly predictions: Uint32Array;
  private readonly hits: Uint32Array;
  private readonly misses: Uint32Array;
  private readonly hist: Uint32Array;
  /** CPU (µs, user and system, cumulative) and RSS sampled at the start of the slot's bucket. */
  private readonly cpuUser: Float64Array;
  private readonly cpuSystem: Float64Array;
  private readonly cpuAt: Float64Array;
  private readonly rss: Float64Array;
  private readonly routes: Array<Map<string, { n: number; failures: number; sumMs: number }> | null>;
  private readonly total: MetricsTotals = { requests: 0, successful: 0, clientErrors: 0, serverErrors: 0, latencySumMs: 0, predictions: 0, cacheHits: 0, cacheMisses: 0 };
  private current = -1;
  private currentSlot = 0;

  constructor(options: RequestMetricsOptions = {}) {
    this.bucketMs = options.bucketMs ?? BUCKET_MS;
    this.slots = Math.ceil((options.horizonMs ?? HORIZON_MS) / this.bucketMs) + 1;
    this.now = options.now ?? Date.now;
    this.cpuUsage = options.cpuUsage ?? (() => process.cpuUsage());
    this.memoryUsage = options.memoryUsage ?? (() => process.memoryUsage());
    this.cores = options.cores ?? 1;
    const n = this.slots;
    this.epoch = new Float64Array(n).fill(-1);
    this.requests = new Uint32Array(n);
    this.ok = new Uint32Array(n);
    this.clientErr = new Uint32Array(n);
    this.serverErr = new Uint32Array(n);
    this.sumMs = new Float64Array(n);
    this.maxMs = new Float64Array(n);
    this.predictions = new Uint32Array(n);
    this.hits = new Uint32Array(n);
    this.misses = new Uint32Array(n);
    // Zero-filled and touched only where used, so idle buckets cost no resident memory.
    this.hist = new Uint32Array(n * BINS);
    this.cpuUser = new Float64Array(n);
    this.cpuSystem = new Float64Array(n);
    this.cpuAt = new Float64Array(n).fill(-1);
    this.rss = new Float64Array(n);
    this.routes = new Array(n).fill(null);
    this.startedAt = this.now();
    this.startCpu = this.cpuUsage();
    this.slotFor(this.startedAt);
  }

  /** The slot of the bucket holding time t, reset when it last held an older bucket. */
  private slotFor(t: number): number {
    const e = Math.floor(t / this.bucketMs);
    if (e === this.current) return this.currentSlot;
    const s = e % this.slots;
    if (this.epoch[s] !== e) {
      this.epoch[s] = e;
      this.requests[s] = this.ok[s] = this.clientErr[s] = this.serverErr[s] = 0;
      this.sumMs[s] = this.maxMs[s] = 0;
      this.predictions[s] = this.hits[s] = this.misses[s] = 0;
      this.hist.fill(0, s * BINS, (s + 1) * BINS);
      this.routes[s] = null;
      this.cpuAt[s] = -1;
      this.sampleInto(s, t);
    }
    if (e > this.current) {
      this.current = e;
      this.currentSlot = s;
    }
    return s;
  }

  private sampleInto(s: number, t: number): void {
    const c = this.cpuUsage();
    this.cpuUser[s] = c.user;
    this.cpuSystem[s] = c.system;
    this.cpuAt[s] = t;
    this.rss[s] = this.memoryUsage().rss;
  }

  /** Sample CPU and memory now (a timer calls this once a bucket so idle periods have samples too). */
  sample(): void {
    const t = this.now();
    const s = this.slotFor(t);
    const rss = this.memoryUsage().rss;
    if (rss > this.rss[s]) this.rss[s] = rss;
  }

  /** One finished request: its route pattern ("GET /api/draws/:round"), status and time in ms. */
  recordRequest(route: string, status: number, ms: number): void {
    const s = this.slotFor(this.now());
    this.requests[s]++;
    this.total.requests++;
    let failure = 0;
    if (status >= 500) {
      this.serverErr[s]++;
      this.total.serverErrors++;
      failure = 1;
    } else if (status >= 400) {
      this.clientErr[s]++;
      this.total.clientErrors++;
      failure = 1;
    } else {
      this.ok[s]++;
      this.total.successful++;
    }
    this.sumMs[s] += ms;
    this.total.latencySumMs += ms;
    if (ms > this.maxMs[s]) this.maxMs[s] = ms;
    this.hist[s * BINS + binOf(ms)]++;
    let routes = this.routes[s];
    if (routes === null) this.routes[s] = routes = new Map();
    const r = routes.get(route);
    if (r) {
      r.n++;
      r.failures += failure;
      r.sumMs += ms;
    } else routes.set(route, { n: 1, failures: failure, sumMs: ms });
  }

  /** One prediction response: 'miss' made (and stored) new sets, 'hit' answered from the response cache. */
  recordPrediction(cache: PredictionCacheStatus): void {
    const s = this.slotFor(this.now());
    if (cache === 'hit') {
      this.hits[s]++;
      this.total.cacheHits++;
    } else {
      this.misses[s]++;
      this.predictions[s]++;
      this.total.cacheMisses++;
      this.total.predictions++;
    }
  }

  totals(): Readonly<MetricsTotals> {
    return this.total;
  }

  uptimeSeconds(): number {
    return (this.now() - this.startedAt) / 1000;
  }

  /** Everything measured in the last `periodMs` (whole buckets; the current one included). */
  summary(periodMs: number, label = `${Math.round(periodMs / 1000)}s`): MetricsSummary {
    const t = this.now();
    const last = Math.floor(t / this.bucketMs);
    const buckets = Math.min(this.slots - 1, Math.max(1, Math.ceil(periodMs / this.bucketMs)));
    const first = last - buckets + 1;
    this.slotFor(t);
    const hist = new Float64Array(BINS);
    let requests = 0, ok = 0, ce = 0, se = 0, sum = 0, max = 0, preds = 0, hits = 0, misses = 0, maxRss = 0;
    let oldestCpu = -1;
    const routes = new Map<string, { n: number; failures: number; sumMs: number }>();
    // CPU is measured from the sample taken at the start of the bucket just before the period (when there is one).
    const before = (first - 1 + this.slots) % this.slots;
    if (first - 1 >= 0 && this.epoch[before] === first - 1 && this.cpuAt[before] >= 0) oldestCpu = before;
    for (let e = first; e <= last; e++) {
      const s = e % this.slots;
      if (this.epoch[s] !== e) continue;
      requests += this.requests[s];
      ok += this.ok[s];
      ce += this.clientErr[s];
      se += this.serverErr[s];
      sum += this.sumMs[s];
      if (this.maxMs[s] > max) max = this.maxMs[s];
      preds += this.predictions[s];
      hits += this.hits[s];
      misses += this.misses[s];
      if (this.rss[s] > maxRss) maxRss = this.rss[s];
      if (oldestCpu < 0 && this.cpuAt[s] >= 0) oldestCpu = s;
      if (this.requests[s] > 0) for (let b = 0; b < BINS; b++) hist[b] += this.hist[s * BINS + b];
      const rs = this.routes[s];
      if (rs) {
        for (const [k, v] of rs) {
          const acc = routes.get(k);
          if (acc) {
            acc.n += v.n;
            acc.failures += v.failures;
            acc.sumMs += v.sumMs;
          } else routes.set(k, { ...v });
        }
      }
    }
    const cpu = this.cpuUsage();
    const mem = this.memoryUsage();
    if (mem.rss > maxRss) maxRss = mem.rss;
    // CPU over the period: from the oldest sample inside it (or the start of the process) to now.
    const base = oldestCpu >= 0 ? { user: this.cpuUser[oldestCpu], system: this.cpuSystem[oldestCpu], at: this.cpuAt[oldestCpu] } : { ...this.startCpu, at: this.startedAt };
    const userUs = cpu.user - base.user;
    const systemUs = cpu.system - base.system;
    const wallMs = Math.max(1, t - base.at);
    const pct = (p: number) => (requests === 0 ? null : r3(percentile(hist, requests, p, max)));
    const spanSeconds = Math.min(periodMs, t - this.startedAt + this.bucketMs) / 1000;
    return {
      period: label,
      period_seconds: periodMs / 1000,
      bucket_seconds: this.bucketMs / 1000,
      from: new Date(first * this.bucketMs).toISOString(),
      to: new Date(t).toISOString(),
      uptime_seconds: Math.round(this.uptimeSeconds()),
      requests: { total: requests, successful: ok, client_errors: ce, server_errors: se, failed: ce + se, per_second: r3(requests / Math.max(1, spanSeconds)) },
      latency_ms: { avg: requests === 0 ? null : r3(sum / requests), p50: pct(50), p95: pct(95), p99: pct(99), max: requests === 0 ? null : r3(max) },
      predictions: { generated: preds, cache_hits: hits, cache_misses: misses, cache_hit_rate: hits + misses === 0 ? null : r3(hits / (hits + misses)) },
      cpu: {
        percent: Math.round(((userUs + systemUs) / 1000 / wallMs) * 1000) / 10,
        user_seconds: r3(userUs / 1e6),
        system_seconds: r3(systemUs / 1e6),
        cores: this.cores,
      },
      memory: { rss_mb: mb(mem.rss), heap_used_mb: mb(mem.heapUsed), heap_total_mb: mb(mem.heapTotal), external_mb: mb(mem.external), max_rss_mb: mb(maxRss) },
      routes: [...routes.entries()]
        .map(([route, v]) => ({ route, requests: v.n, failures: v.failures, avg_ms: r3(v.sumMs / v.n) }))
        .sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route)),
    };
  }
}

/**
 * The p-th percentile (nearest rank) from the histogram: the bin holding that rank, reported as
 * the geometric middle of the bin (bounded by the measured max).
 */
function percentile(hist: Float64Array, n: number, p: number, max: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  let seen = 0;
  for (let b = 0; b < BINS; b++) {
    seen += hist[b];
    if (seen >= rank) {
      if (b === 0) return Math.min(MIN_MS, max);
      const mid = Math.sqrt(binHigh(b - 1) * binHigh(b));
      return Math.min(mid, max);
    }
  }
  return max;
}
