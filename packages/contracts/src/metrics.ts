import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

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

export function gauge<T extends string>(
  registry: Registry,
  options: Options<T> & { collect?: (this: Gauge<T>) => Promise<void> },
): Gauge<T> {
  return (registry.getSingleMetric(options.name) as Gauge<T> | undefined) ?? new Gauge({ ...options, registers: [registry] });
}

/** A registry with the default process metrics (CPU, memory, event loop, GC). */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
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

/** Serves GET /metrics on its own port (METRICS_PORT), for scrapers on an internal network. */
export function serveMetrics(registry: Registry, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found","message":"only GET /metrics here"}');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
