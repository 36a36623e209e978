import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CombinedRegistry, exposition } from '../src/combined-registry.ts';
import { tracedHistogram } from '../src/metrics.ts';
import { installTracing, type TracingHooks } from '../src/tracing.ts';

// Exemplars: the intake and job-duration histograms name a trace per bucket in
// OpenMetrics, when tracing is on and the scraper asks for OpenMetrics. The
// end-to-end proof (a trace the collector received) is
// test/operations/tracing-sumsub.test.ts; this pins the exposition.

const OPENMETRICS = 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.1';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const OTHER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const options = { name: 'kyc_job_duration_seconds', help: 'd', labelNames: ['outcome'] as const, buckets: [0.01, 1] };

let activeTrace: string | undefined;
/** Only traceId() is read by the histograms; the rest is never called here. */
const hooks = { traceId: () => activeTrace } as Partial<TracingHooks> as TracingHooks;

describe('exemplars', () => {
  // Runs first: tracing is not installed yet in this file's module graph.
  it('with tracing off: a plain histogram, and Prometheus text whatever the scraper accepts', async () => {
    const registry = new Registry();
    const histogram = tracedHistogram(registry, options);
    expect(histogram).toBeInstanceOf(Histogram);
    expect(Reflect.get(histogram, 'enableExemplars')).toBe(false); // not in prom-client's typings
    histogram.observe({ outcome: 'applied' }, 0.004);
    const answer = await exposition(registry, OPENMETRICS);
    expect(answer.contentType).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(answer.text).toBe(await registry.metrics());
    expect(answer.text).not.toContain('# {');
  });

  it('with tracing on: OpenMetrics with the trace id per bucket when asked, Prometheus text otherwise', async () => {
    installTracing(hooks);
    const registry = new Registry();
    const counter = new Counter({ name: 'kyc_jobs_total', help: 'jobs', registers: [registry] });
    counter.inc();
    const histogram = tracedHistogram(registry, options);
    activeTrace = TRACE;
    histogram.observe({ outcome: 'applied' }, 0.004);
    activeTrace = undefined; // unsampled or outside a trace: counted, no exemplar
    histogram.observe({ outcome: 'applied' }, 0.5);

    const open = await exposition(registry, OPENMETRICS);
    expect(open.contentType).toBe(Registry.OPENMETRICS_CONTENT_TYPE);
    expect(open.text).toMatch(
      new RegExp(
        `^kyc_job_duration_seconds_bucket\\{le="0.01",outcome="applied"\\} 1 # \\{trace_id="${TRACE}"\\} 0.004 \\d+(\\.\\d+)?$`,
        'm',
      ),
    );
    expect(open.text).toMatch(/^kyc_job_duration_seconds_bucket\{le="1",outcome="applied"\} 2$/m);
    expect(open.text).toMatch(/^# TYPE kyc_jobs counter$/m);
    expect(open.text).toMatch(/^kyc_jobs_total 1$/m);
    expect(open.text.endsWith('# EOF\n')).toBe(true);

    // The OpenMetrics scrape renamed nothing in the process's registry.
    const plain = await exposition(registry, 'text/plain');
    expect(plain.contentType).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(plain.text).toMatch(/^kyc_jobs_total 1$/m);
    expect(plain.text).toMatch(/^# TYPE kyc_jobs_total counter$/m);
    expect(plain.text).not.toContain('# {');
  });

  it("keeps the worker thread's exemplars through `pnpm start`'s combined registry", async () => {
    installTracing(hooks);
    const thread = new Registry();
    activeTrace = OTHER_TRACE;
    tracedHistogram(thread, options).observe({ outcome: 'stale' }, 0.2);
    const main = new CombinedRegistry();
    new Counter({ name: 'kyc_redis_errors_total', help: 'r', labelNames: ['component'], registers: [main] }).inc({ component: 'ingest' });
    new Counter({ name: 'kyc_redis_errors_total', help: 'r', labelNames: ['component'], registers: [thread] }).inc({ component: 'worker' });
    // What crosses the thread boundary: a structured clone of the JSON.
    main.addSource(async () => structuredClone(await thread.getMetricsAsJSON()));

    const { text } = await exposition(main, OPENMETRICS);
    expect(text).toMatch(
      new RegExp(`^kyc_job_duration_seconds_bucket\\{le="1",outcome="stale"\\} 1 # \\{trace_id="${OTHER_TRACE}"\\} 0.2 `, 'm'),
    );
    expect(text).toMatch(/^kyc_redis_errors_total\{component="ingest"\} 1$/m);
    expect(text).toMatch(/^kyc_redis_errors_total\{component="worker"\} 1$/m);
    expect(text.match(/^# TYPE kyc_redis_errors counter$/gm)).toHaveLength(1);
  });
});
