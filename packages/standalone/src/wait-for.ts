import { type Config, createRedis, describeTarget, type RedisTarget } from '@kyc/runtime';
import { pgSql } from '@kyc/db/plain';

/** Stopped (SIGINT/SIGTERM) while waiting for a dependency: nothing was started, nothing to drain. */
export class StoppedWhileWaiting extends Error {
  constructor() {
    super('stopped while waiting for Redis and the database; nothing was started');
    this.name = 'StoppedWhileWaiting';
  }
}

/** The cause of a failed connection as a code where there is one (ECONNREFUSED, ENOTFOUND...). */
function causeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown';
}

/** Undefined when Redis answers PING; else why not. */
async function redisProblem(target: RedisTarget): Promise<string | undefined> {
  const probe = createRedis(target, 'probe');
  // connect() rejects with "Connection is closed."; the socket's error says why.
  let cause: unknown;
  probe.on('error', (error: unknown) => (cause ??= error));
  try {
    await probe.connect();
    await probe.ping();
    return undefined;
  } catch (error) {
    return `${describeTarget(target)} is unreachable (${causeOf(cause ?? error)})`;
  } finally {
    probe.disconnect();
  }
}

/** Undefined when PostgreSQL answers; else why not (no credentials in the message). */
async function databaseProblem(url: string): Promise<string | undefined> {
  const sql = pgSql(url, 1);
  try {
    await sql.query('SELECT 1');
    return undefined;
  } catch (error) {
    const { host, pathname } = new URL(url);
    return `PostgreSQL at ${host}${pathname} is unreachable (${causeOf(error)})`;
  } finally {
    await sql.close().catch(() => undefined);
  }
}

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/**
 * Waits until Redis and (when DATABASE_URL is set) PostgreSQL answer, with
 * doubling backoff up to 30 s, logging one line per step that names what is
 * unreachable. Rejects with StoppedWhileWaiting when `signal` aborts (a signal
 * during start: nothing was started yet, so stopping is immediate).
 */
export async function waitForDependencies(
  redis: RedisTarget,
  config: Pick<Config, 'DATABASE_URL'>,
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    if (signal.aborted) throw new StoppedWhileWaiting();
    const problems = (
      await Promise.all([redisProblem(redis), config.DATABASE_URL ? databaseProblem(config.DATABASE_URL) : undefined])
    ).filter((p): p is string => p !== undefined);
    if (problems.length === 0) return;
    log(`waiting: ${problems.join('; ')}; next try in ${Math.round(delay / 1000)} s`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(done, delay);
      function done() {
        signal.removeEventListener('abort', stopped);
        resolve();
      }
      function stopped() {
        clearTimeout(timer);
        reject(new StoppedWhileWaiting());
      }
      signal.addEventListener('abort', stopped, { once: true });
    });
  }
}
