import {
  AggregatorRegistry,
  type Metric,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
  type RegistryContentType,
} from 'prom-client';
import { tracing } from './tracing.ts';

type Metrics = MetricObjectWithValues<MetricValue<string>>[];

/** Metrics kept outside this registry's thread (a worker thread's registry), fetched at scrape time. */
export type MetricsSource = () => Promise<Metrics>;

/**
 * Several registries as one exposition, as prom-client aggregates cluster
 * workers: a metric both sides hold (kyc_readiness, the dependency error
 * counters) is summed label set by label set, which keeps each component's
 * series apart since they differ in their `component` label. A metric only
 * one side holds passes through as it is, exemplars included (prom-client's
 * aggregation drops them), so a process metric whose aggregator is "omit" is
 * not dropped and a histogram keeps its trace ids.
 */
export function combineMetrics(parts: Metrics[]): Registry<RegistryContentType> {
  const holders = new Map<string, number>();
  for (const metric of parts.flat()) holders.set(metric.name, (holders.get(metric.name) ?? 0) + 1);
  const shared = parts.map((metrics) => metrics.filter((metric) => (holders.get(metric.name) ?? 0) > 1));
  const combined = AggregatorRegistry.aggregate<RegistryContentType>(
    shared.map((metrics) => metrics.map((metric) => ({ ...metric, aggregator: 'sum' }))),
  );
  for (const metric of parts.flat()) {
    // Registered the way AggregatorRegistry.aggregate registers its results: the values, and a get() that returns them.
    if (holders.get(metric.name) === 1) combined.registerMetric(Object.assign({ get: () => metric }, metric) as unknown as Metric);
  }
  return combined;
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

  /** This registry's metrics and every source's, as JSON (exemplars included). */
  async parts(): Promise<Metrics[]> {
    const remote = await Promise.all(this.#sources.map((source) => source().catch((): Metrics => [])));
    return [await this.getMetricsAsJSON(), ...remote];
  }

  override async metrics(): Promise<string> {
    if (this.#sources.length === 0) return super.metrics();
    return combineMetrics(await this.parts()).metrics();
  }
}

/**
 * OpenMetrics text of the registries' metrics, with the histograms' exemplars.
 * Rendered by a registry made for the scrape: switching the content type of
 * the process's own registry would rename its counters for later Prometheus
 * scrapes too (prom-client strips `_total` from the metric in place). Counters
 * are named without `_total` here; the OpenMetrics renderer adds it to samples.
 */
export function openMetricsText(parts: Metrics[]): Promise<string> {
  const named = parts.map((metrics) =>
    // prom-client's typings say MetricType is a numeric enum; at run time it is the type's name.
    metrics.map((metric) => (String(metric.type) === 'counter' ? { ...metric, name: metric.name.replace(/_total$/, '') } : metric)),
  );
  const combined = combineMetrics(named);
  combined.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return combined.metrics();
}

/** Whether an Accept header asks for OpenMetrics (Prometheus asks for it first when it can read exemplars). */
const wantsOpenMetrics = (accept: string | undefined) => accept?.toLowerCase().includes('application/openmetrics-text') === true;

/**
 * GET /metrics's answer: OpenMetrics, which carries the exemplars (trace ids),
 * when tracing is on and the scraper asks for it; Prometheus text otherwise,
 * so that with tracing off nothing changes whatever the scraper accepts.
 */
export async function exposition(registry: Registry, accept: string | undefined): Promise<{ contentType: string; text: string }> {
  if (!tracing() || !wantsOpenMetrics(accept)) return { contentType: registry.contentType, text: await registry.metrics() };
  const parts = registry instanceof CombinedRegistry ? await registry.parts() : [await registry.getMetricsAsJSON()];
  return { contentType: Registry.OPENMETRICS_CONTENT_TYPE, text: await openMetricsText(parts) };
}
