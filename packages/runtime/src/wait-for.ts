import { setTimeout as sleep } from 'node:timers/promises';
import { createRedis, describeTarget, type RedisTarget } from './redis-connection.ts';

/** Stopped (SIGINT/SIGTERM) while waiting for a dependency: nothing was started, nothing to drain. */
export class StoppedWhileWaiting extends Error {
  constructor(waitingFor: string) {
    super(`stopped while waiting for ${waitingFor}; nothing was started`);
    this.name = 'StoppedWhileWaiting';
  }
}

/**
 * One dependency a process needs before it starts: what it is (for messages),
 * and a check that resolves to undefined when it answers, else to why not.
 */
export type Dependency = { name: string; problem: () => Promise<string | undefined> };

/** The cause of a failed connection as a code where there is one (ECONNREFUSED, ENOTFOUND...). */
export function connectionCause(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown';
}

/** Redis (or the cluster) answering PING. */
export function redisDependency(target: RedisTarget): Dependency {
  return {
    name: 'Redis',
    async problem() {
      const probe = createRedis(target, 'probe');
      // connect() rejects with "Connection is closed."; the socket's error says why.
      let cause: unknown;
      probe.on('error', (error: unknown) => (cause ??= error));
      try {
        await probe.connect();
        await probe.ping();
        return undefined;
      } catch (error) {
        return `${describeTarget(target)} is unreachable (${connectionCause(cause ?? error)})`;
      } finally {
        probe.disconnect();
      }
    },
  };
}

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/** Resolves with `work`, or rejects with StoppedWhileWaiting as soon as `signal` aborts. */
function unlessStopped<T>(work: Promise<T>, signal: AbortSignal, waitingFor: string): Promise<T> {
  if (signal.aborted) return Promise.reject(new StoppedWhileWaiting(waitingFor));
  return new Promise<T>((resolve, reject) => {
    const stopped = () => reject(new StoppedWhileWaiting(waitingFor));
    signal.addEventListener('abort', stopped, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stopped));
  });
}

/**
 * Waits until every dependency answers, with doubling backoff up to 30 s,
 * logging one line per step that names what is unreachable. Rejects with
 * StoppedWhileWaiting as soon as `signal` aborts, mid-check or mid-pause (a
 * signal during start: nothing was started yet, so stopping is immediate).
 */
export async function waitForDependencies(
  dependencies: readonly Dependency[],
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const waitingFor = dependencies.map((d) => d.name).join(' and ');
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    const answers = await unlessStopped(Promise.all(dependencies.map((d) => d.problem())), signal, waitingFor);
    const problems = answers.filter((p): p is string => p !== undefined);
    if (problems.length === 0) return;
    log(`waiting: ${problems.join('; ')}; next try in ${Math.round(delay / 1000)} s`);
    // Rejects only when the signal aborts, and clears its timer then.
    await sleep(delay, undefined, { signal }).catch(() => {
      throw new StoppedWhileWaiting(waitingFor);
    });
  }
}
