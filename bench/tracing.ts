import { startOtlpCollector, startProcessSystem } from '@kyc/test-support';
import { hammer, type HttpResult } from './support/autocannon.ts';
import { signedRequests } from './support/bodies.ts';
import { PRODUCTION_DEFAULTS } from './support/servers.ts';

/** `spans`: exported during the warm-up and the measured run, up to the process's shutdown. */
export type TracingRow = { setting: string; result: HttpResult; spans: number };

/** The intake with tracing off, on at full sampling and on at 10 %, exporting to a collector in this process. */
const SETTINGS: { setting: string; env: Record<string, string> }[] = [
  { setting: 'off', env: {} },
  { setting: 'on, every trace', env: { OTEL_TRACES_SAMPLER: 'parentbased_always_on' } },
  { setting: 'on, 10 % sampled', env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' } },
];

/**
 * Signed webhooks per second through the production ingest, the same bodies each
 * time (every request a distinct event), one setting after the other on fresh
 * processes. The cost of tracing is the ratio to `off`.
 */
export async function benchTracing(seconds: number, connections: number): Promise<TracingRow[]> {
  const requests = signedRequests(300_000, { duplicates: 0, shuffle: false, seed: 13 });
  const collector = await startOtlpCollector();
  const rows: TracingRow[] = [];
  try {
    for (const [i, { setting, env }] of SETTINGS.entries()) {
      const tracing = setting === 'off' ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, ...env };
      const system = await startProcessSystem(`tracing${i}`, {
        workers: 0,
        env: { ...PRODUCTION_DEFAULTS, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', ...tracing },
      });
      const before = collector.spans.length;
      let result: HttpResult;
      try {
        const part = requests.slice(i * 100_000, (i + 1) * 100_000);
        await hammer(system.url, part.slice(90_000), { connections, seconds: 2 });
        result = await hammer(system.url, part.slice(0, 90_000), { connections, seconds });
      } finally {
        await system.stop(); // the last spans are exported at shutdown
      }
      rows.push({ setting, result, spans: collector.spans.length - before });
    }
  } finally {
    await collector.stop();
  }
  return rows;
}
