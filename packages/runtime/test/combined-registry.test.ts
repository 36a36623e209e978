import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CombinedRegistry, combineMetrics } from '../src/combined-registry.ts';

/** The worker thread's side: a registry of its own, no process metrics. */
function threadRegistry(): Registry {
  const registry = new Registry();
  new Counter({ name: 'kyc_jobs_total', help: 'jobs', labelNames: ['outcome'], registers: [registry] }).inc({ outcome: 'applied' }, 3);
  new Counter({ name: 'kyc_redis_errors_total', help: 'redis', labelNames: ['component'], registers: [registry] }).inc(
    { component: 'worker' },
    2,
  );
  new Gauge({ name: 'kyc_readiness', help: 'ready', labelNames: ['component', 'check'], registers: [registry] }).set(
    { component: 'worker', check: 'redis' },
    1,
  );
  return registry;
}

function mainRegistry(): CombinedRegistry {
  const registry = new CombinedRegistry();
  collectDefaultMetrics({ register: registry, prefix: 'kyc_' });
  const errors = new Counter({ name: 'kyc_redis_errors_total', help: 'redis', labelNames: ['component'], registers: [registry] });
  errors.inc({ component: 'ingest' }, 5);
  errors.inc({ component: 'worker' }, 1);
  new Gauge({ name: 'kyc_readiness', help: 'ready', labelNames: ['component', 'check'], registers: [registry] }).set(
    { component: 'ingest', check: 'redis' },
    0,
  );
  return registry;
}

describe('CombinedRegistry', () => {
  it('without sources, is the registry itself', async () => {
    const registry = new CombinedRegistry();
    new Counter({ name: 'kyc_jobs_total', help: 'jobs', labelNames: ['outcome'], registers: [registry] }).inc({ outcome: 'stale' });
    expect(await registry.metrics()).toBe(await Registry.prototype.metrics.call(registry));
    expect(await registry.metrics()).toMatch(/^kyc_jobs_total\{outcome="stale"\} 1$/m);
  });

  it('adds a source: shared metrics summed per label set, one-sided metrics passed through, process metrics kept', async () => {
    const registry = mainRegistry();
    const thread = threadRegistry();
    registry.addSource(() => thread.getMetricsAsJSON());
    const text = await registry.metrics();
    expect(text).toMatch(/^kyc_jobs_total\{outcome="applied"\} 3$/m);
    expect(text).toMatch(/^kyc_redis_errors_total\{component="ingest"\} 5$/m);
    expect(text).toMatch(/^kyc_redis_errors_total\{component="worker"\} 3$/m);
    expect(text).toMatch(/^kyc_readiness\{component="ingest",check="redis"\} 0$/m);
    expect(text).toMatch(/^kyc_readiness\{component="worker",check="redis"\} 1$/m);
    // prom-client aggregates this one with "omit": alone on one side it must survive.
    expect(text).toMatch(/^kyc_process_start_time_seconds \d+$/m);
    expect(text.match(/^# TYPE kyc_redis_errors_total counter$/gm)).toHaveLength(1);
  });

  it('leaves a failing source out of the scrape instead of failing it', async () => {
    const registry = mainRegistry();
    registry.addSource(() => Promise.reject(new Error('the thread did not answer')));
    const text = await registry.metrics();
    expect(text).toMatch(/^kyc_redis_errors_total\{component="ingest"\} 5$/m);
    expect(text).not.toMatch(/kyc_jobs_total/);
  });

  it('combines bucket by bucket for histograms', async () => {
    const a = new Registry();
    const b = new Registry();
    for (const [registry, value] of [
      [a, 0.01],
      [b, 2],
    ] as const) {
      new Histogram({ name: 'kyc_job_duration_seconds', help: 'd', buckets: [0.1, 1], registers: [registry] }).observe(value);
    }
    const text = await combineMetrics([await a.getMetricsAsJSON(), await b.getMetricsAsJSON()]).metrics();
    expect(text).toMatch(/^kyc_job_duration_seconds_bucket\{le="0.1"\} 1$/m);
    expect(text).toMatch(/^kyc_job_duration_seconds_bucket\{le="\+Inf"\} 2$/m);
    expect(text).toMatch(/^kyc_job_duration_seconds_count 2$/m);
  });
});
