import type { Registry } from 'prom-client';
import { gauge } from './metrics.ts';
import { withTimeout } from './timeout.ts';

/**
 * What /readyz says of each dependency: no internals (those go to the log).
 * `unauthorized` and `off` come from advisory checks only (the Sumsub API).
 */
export const CHECK_STATUSES = Object.freeze(['ok', 'error', 'pending', 'unauthorized', 'off'] as const);
export type CheckStatus = (typeof CHECK_STATUSES)[number];
export type Readiness = { ready: boolean; checks: Record<string, CheckStatus> };
export type ReadinessCheck = () => Promise<Readiness>;

/** What /readyz answers, on a service's port and on the operations port alike. */
export type ReadinessAnswer = { status: 'ready' | 'not_ready'; checks: Record<string, CheckStatus> };

export function readinessAnswer({ ready, checks }: Readiness): { code: 200 | 503; body: ReadinessAnswer } {
  return { code: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not_ready', checks } };
}

/** A named check: resolves 'ok' or 'pending' (with what is pending), rejects when the dependency fails. */
export type Check = () => Promise<'ok' | { pending: string[] }>;
/**
 * A check reported but not required: the service works without it (the Sumsub
 * API: webhooks are taken whatever it answers). A failure to find out is `error`.
 */
export type AdvisoryCheck = () => Promise<'ok' | 'unauthorized' | 'off'>;
type Log = { warn: (fields: object, message: string) => void };

/**
 * Runs the named checks together, each bounded by timeoutMs. The answer names
 * each dependency ok, error or pending; why is logged, never answered (readiness
 * is public).
 */
export function readinessCheck(
  checks: Record<string, Check>,
  log: Log,
  timeoutMs = 2_000,
  advisory: Record<string, AdvisoryCheck> = {},
): ReadinessCheck {
  return async () => {
    const names = Object.keys(checks);
    const advisoryNames = Object.keys(advisory);
    const [results, advised] = await Promise.all([
      Promise.allSettled(names.map((name) => withTimeout((checks[name] as Check)(), timeoutMs, name))),
      Promise.allSettled(advisoryNames.map((name) => withTimeout((advisory[name] as AdvisoryCheck)(), timeoutMs, name))),
    ]);
    const statuses: Record<string, CheckStatus> = {};
    results.forEach((result, i) => {
      const name = names[i] as string;
      if (result.status === 'rejected') {
        log.warn({ check: name, err: result.reason as unknown }, `readiness: ${name} failed`);
        statuses[name] = 'error';
      } else if (result.value !== 'ok') {
        log.warn({ check: name, pending: result.value.pending }, `readiness: ${name} pending`);
        statuses[name] = 'pending';
      } else statuses[name] = 'ok';
    });
    const ready = Object.values(statuses).every((s) => s === 'ok');
    advised.forEach((result, i) => {
      const name = advisoryNames[i] as string;
      if (result.status === 'rejected') log.warn({ check: name, err: result.reason as unknown }, `readiness: ${name} unknown`);
      statuses[name] = result.status === 'fulfilled' ? result.value : 'error';
    });
    return { ready, checks: statuses };
  };
}

type KeyReader = { exists: (key: string) => Promise<number> };

/**
 * Redis answers for each queue's own key: on a cluster, the node that owns the
 * queue's slot (a PING would be answered by any node).
 */
export function redisCheck(redis: KeyReader, queueKeys: readonly string[]): Check {
  return async () => {
    await Promise.all(queueKeys.map((key) => redis.exists(key)));
    return 'ok';
  };
}

const readinessByRegistry = new WeakMap<Registry, Map<string, ReadinessCheck>>();

/**
 * kyc_readiness{component, check}: 1 when the check passes, read at scrape time,
 * so an alert can fire on readiness without anyone polling /readyz. Components
 * sharing a registry (`pnpm start`) are all reported.
 */
export function registerReadinessGauge(registry: Registry, component: string, readiness: ReadinessCheck): void {
  const components = readinessByRegistry.get(registry) ?? new Map<string, ReadinessCheck>();
  readinessByRegistry.set(registry, components.set(component, readiness));
  gauge(registry, {
    name: 'kyc_readiness',
    help: 'Readiness by component and check: 1 ok, 0 error or pending (read at scrape time)',
    labelNames: ['component', 'check'],
    async collect() {
      for (const [name, check] of readinessByRegistry.get(registry) ?? []) {
        const { checks } = await check();
        for (const [key, status] of Object.entries(checks)) {
          if (status !== 'off') this.set({ component: name, check: key }, status === 'ok' ? 1 : 0);
        }
      }
    },
  });
}
