import { createServer, type Server, type ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { CombinedRegistry } from './combined-registry.ts';
import type { ReadinessCheck } from './readiness.ts';

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
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => json(response, 500, { error: 'internal_error', message: 'metrics could not be collected' }),
      );
    } else if (path === '/healthz') json(response, 200, { status: 'ok' });
    else if (path === '/readyz' && readiness) {
      readiness().then(
        ({ ready, checks }) => json(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks }),
        () => json(response, 503, { status: 'not_ready', checks: {} }),
      );
    } else json(response, 404, { error: 'not_found', message: 'GET /metrics, /healthz or /readyz here' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => resolve(server));
  });
}
