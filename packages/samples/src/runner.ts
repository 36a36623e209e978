import { type DigestAlgorithm, signBody } from '@kyc/sumsub-webhook';
import { eachConcurrently } from './concurrency.ts';
import type { Delivery } from './generator.ts';

export type Target = { url: string; secret: string; algorithm: DigestAlgorithm };
/** One delivery's answer; `ackedAt` is when the answer arrived (epoch ms). */
export type DeliveryResult = { status: number; eventId?: string; outcome?: string; latencyMs: number; ackedAt: number };
export type LoadSummary = {
  sent: number;
  accepted: number;
  duplicate: number;
  errors: Record<string, number>;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  results: DeliveryResult[];
};

/** Signs and posts one webhook; network failures count as status 0. */
export async function deliver(target: Target, body: string): Promise<DeliveryResult> {
  const started = performance.now();
  try {
    const response = await fetch(`${target.url}/webhooks/sumsub`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-payload-digest': signBody(body, target.secret, target.algorithm),
        'x-payload-digest-alg': target.algorithm,
      },
      body,
    });
    const json = (await response.json().catch(() => ({}))) as { status?: string; eventId?: string };
    return {
      status: response.status,
      eventId: json.eventId,
      outcome: json.status,
      latencyMs: performance.now() - started,
      ackedAt: Date.now(),
    };
  } catch {
    return { status: 0, latencyMs: performance.now() - started, ackedAt: Date.now() };
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export type LoadOptions = {
  /** Requests in flight at most. */
  concurrency: number;
  /** Deliveries per second at most (paced from the start); unlimited when absent. */
  rate?: number;
  onProgress?: (done: number) => void;
};

/** Posts every delivery, `concurrency` in flight, optionally paced to `rate` per second. */
export async function runLoad(
  target: Target,
  deliveries: readonly Delivery[],
  { concurrency, rate, onProgress = () => undefined }: LoadOptions,
): Promise<LoadSummary> {
  const results: DeliveryResult[] = new Array<DeliveryResult>(deliveries.length);
  let done = 0;
  const started = performance.now();
  await eachConcurrently(deliveries, concurrency, async (delivery, index) => {
    if (rate) {
      const wait = started + (index * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    results[index] = await deliver(target, delivery.body);
    onProgress(++done);
  });
  const seconds = (performance.now() - started) / 1000;
  const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
  const errors: Record<string, number> = {};
  for (const r of results) if (r.status !== 200) errors[String(r.status || 'network')] = (errors[String(r.status || 'network')] ?? 0) + 1;
  return {
    sent: results.length,
    accepted: results.filter((r) => r.outcome === 'accepted').length,
    duplicate: results.filter((r) => r.outcome === 'duplicate').length,
    errors,
    seconds,
    requestsPerSecond: results.length / seconds,
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] ?? 0 },
    results,
  };
}
