import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, Registry } from 'prom-client';

type Metrics = MetricObjectWithValues<MetricValue<string>>[];

/** Metrics kept outside this registry's thread (a worker thread's registry), fetched at scrape time. */
export type MetricsSource = () => Promise<Metrics>;

/**
 * Several registries as one exposition, as prom-client aggregates cluster
 * workers: a metric both sides hold (kyc_readiness, the dependency error
 * counters) is summed label set by label set, which keeps each component's
 * series apart since they differ in their `component` label. A metric only
 * one side holds passes through as it is ("first"), so a process metric whose
 * aggregator is "omit" is not dropped.
 */
export function combineMetrics(parts: Metrics[]): Registry {
  const holders = new Map<string, number>();
  for (const metric of parts.flat()) holders.set(metric.name, (holders.get(metric.name) ?? 0) + 1);
  return AggregatorRegistry.aggregate(
    parts.map((metrics) =>
      metrics.map((metric) =>
        (holders.get(metric.name) ?? 0) > 1 ? { ...metric, aggregator: 'sum' } : { ...metric, aggregator: 'first' },
      ),
    ),
  );
}

/**
 * The process's registry. prom-client's registries live in one thread, so
 * `pnpm start`'s worker thread adds its own as a source; a source that fails
 * (a thread that does not answer in time) is left out of that scrape rather
 * than failing it, and its series go absent, which alerts on kyc_readiness see.
 */
export class CombinedRegistry extends Registry {
  readonly #sources: MetricsSource[] = [];

  addSource(source: MetricsSource): void {
    this.#sources.push(source);
  }

  override async metrics(): Promise<string> {
    if (this.#sources.length === 0) return super.metrics();
    const remote = await Promise.all(this.#sources.map((source) => source().catch((): Metrics => [])));
    return combineMetrics([await this.getMetricsAsJSON(), ...remote]).metrics();
  }
}
