import { createServer, type Server, type ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, type LabelValues, type Registry } from 'prom-client';
import { CombinedRegistry, exposition } from './combined-registry.ts';
import { type ReadinessCheck, readinessAnswer } from './readiness.ts';
import { tracing } from './tracing.ts';

// Metric names are part of the operational contract (dashboards and alerts use
// them). Ingest and worker may share one registry (`pnpm start`), so every metric
// is created once per registry and then reused.

type Options<T extends string> = { name: string; help: string; labelNames?: readonly T[] };

export function counter<T extends string>(registry: Registry, options: Options<T>): Counter<T> {
  return (registry.getSingleMetric(options.name) as Counter<T> | undefined) ?? new Counter({ ...options, registers: [registry] });
}

export function histogram<T extends string>(registry: Registry, options: Options<T> & { buckets: number[] }): Histogram<T> {
  return (registry.getSingleMetric(options.name) as Histogram<T> | undefined) ?? new Histogram({ ...options, registers: [registry] });
}

/** A histogram as its callers observe it: labels and a value. */
export type Observed<T extends string> = { observe(labels: LabelValues<T>, value: number): void };

/**
 * A histogram whose observations carry the active trace's id as an OpenMetrics
 * exemplar (`# {trace_id="…"}`, the latest per bucket), so a dashboard can jump
 * from a slow bucket to a trace. With tracing off it is the plain histogram: no
 * exemplar storage, no trace lookup per observation. An unsampled trace has no
 * id to offer (the collector never saw it), so that observation has no exemplar.
 */
export function tracedHistogram<T extends string>(registry: Registry, options: Options<T> & { buckets: number[] }): Observed<T> {
  const hooks = tracing();
  if (!hooks) return histogram(registry, options);
  const metric = (registry.getSingleMetric(options.name) as Histogram | undefined) ?? exemplarHistogram(registry, options);
  return {
    observe(labels, value) {
      const traceId = hooks.traceId();
      metric.observe(traceId ? { labels, value, exemplarLabels: { trace_id: traceId } } : { labels, value });
    },
  };
}

/**
 * prom-client refuses exemplars on a registry whose own content type is
 * Prometheus text, though its Prometheus rendering merely leaves them out: the
 * process's registry stays Prometheus text (see `exposition`), so the histogram
 * is registered after it is made.
 */
function exemplarHistogram(registry: Registry, options: Options<string> & { buckets: number[] }): Histogram {
  const metric = new Histogram({ ...options, enableExemplars: true, registers: [] });
  registry.registerMetric(metric);
  return metric;
}

export function gauge<T extends string>(
  registry: Registry,
  options: Options<T> & { collect?: (this: Gauge<T>) => Promise<void> },
): Gauge<T> {
  return (registry.getSingleMetric(options.name) as Gauge<T> | undefined) ?? new Gauge({ ...options, registers: [registry] });
}

/** The process's registry, with the default process metrics (CPU, memory, event loop, GC). */
export function createMetricsRegistry(): CombinedRegistry {
  const registry = new CombinedRegistry();
  collectDefaultMetrics({ register: registry, prefix: 'kyc_' });
  return registry;
}

/** Errors talking to Redis or the database, by the component that saw them. */
export function dependencyErrors(registry: Registry) {
  return {
    redis: counter(registry, {
      name: 'kyc_redis_errors_total',
      help: 'Redis commands or connections that failed',
      labelNames: ['component'],
    }),
    database: counter(registry, {
      name: 'kyc_database_errors_total',
      help: 'Database operations that failed, by kind',
      labelNames: ['component', 'kind'],
    }),
  };
}

/**
 * The operations port (METRICS_PORT on METRICS_HOST, loopback by default): GET
 * /metrics without auth, for a scraper on an internal network, and /healthz and
 * /readyz (the worker has no other HTTP server).
 */
export function serveOperations(registry: Registry, where: { port: number; host: string }, readiness?: ReadinessCheck): Promise<Server> {
  const json = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server = createServer((request, response) => {
    const path = request.url?.split('?')[0];
    if (request.method !== 'GET') return json(response, 405, { error: 'method_not_allowed', message: 'only GET here' });
    if (path === '/metrics') {
      exposition(registry, request.headers.accept).then(
        ({ contentType, text }) => response.writeHead(200, { 'content-type': contentType }).end(text),
        () => json(response, 500, { error: 'internal_error', message: 'metrics could not be collected' }),
      );
    } else if (path === '/healthz') json(response, 200, { status: 'ok' });
    else if (path === '/readyz' && readiness) {
      const answer = ({ code, body }: ReturnType<typeof readinessAnswer>) => json(response, code, body);
      readiness().then(
        (result) => answer(readinessAnswer(result)),
        () => answer(readinessAnswer({ ready: false, checks: {} })),
      );
    } else json(response, 404, { error: 'not_found', message: 'GET /metrics, /healthz or /readyz here' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => resolve(server));
  });
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'] as const;

/** What the queue gauges read of a queue (a BullMQ Queue). */
export type CountedQueue = {
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
  getWaiting(start: number, end: number): Promise<{ timestamp: number }[]>;
};

/** A queue as the queue gauges see it: its name as the dashboard shows it (the `queue` label), and its shard. */
export type ObservedQueue = { label: string; shard: string; queue: CountedQueue };

const observedQueues = new WeakMap<Registry, (() => readonly ObservedQueue[])[]>();

/**
 * Queue depth by state and lag (the age of the oldest waiting job), per queue and
 * shard, read from Redis when scraped. Each service registers the queues it owns
 * (the ingest the event shards, the api the others), and `pnpm start`, which
 * runs both on one registry, exports them all. Workers do not: a sum over
 * processes would count every queue twice.
 */
export function registerQueueGauges(registry: Registry, queues: () => readonly ObservedQueue[]): void {
  const sources = observedQueues.get(registry);
  if (sources) {
    sources.push(queues);
    return;
  }
  const all = [queues];
  observedQueues.set(registry, all);
  const each = async (read: (observed: ObservedQueue) => Promise<void>) => {
    await Promise.all(
      all
        .flatMap((source) => source())
        .map((observed) => read(observed).catch(() => dependencyErrors(registry).redis.inc({ component: 'metrics' }))),
    );
  };
  gauge(registry, {
    name: 'kyc_queue_jobs',
    help: 'Jobs by queue, shard and state (read at scrape time)',
    labelNames: ['queue', 'shard', 'state'],
    async collect() {
      await each(async ({ label, shard, queue }) => {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ queue: label, shard, state }, counts[state] ?? 0);
      });
    },
  });
  gauge(registry, {
    name: 'kyc_queue_lag_seconds',
    help: 'Age of the oldest waiting job, by queue and shard (0 when none waits)',
    labelNames: ['queue', 'shard'],
    async collect() {
      await each(async ({ label, shard, queue }) => {
        const [oldest] = await queue.getWaiting(0, 0);
        this.set({ queue: label, shard }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
      });
    },
  });
}
