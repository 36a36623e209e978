import { createRedis, describeTarget, isCluster, type RedisClient, type RedisTarget } from './redis-connection.ts';

// BullMQ needs Redis never to evict keys and, for acknowledged events to survive a
// Redis restart, persistence (AOF or RDB). Checked at start.

/**
 * redis-server arguments that pass the check: AOF (fsync every second), no RDB
 * snapshots, never evict. What the embedded start and the test clusters run with.
 */
export const SAFE_REDIS_SERVER_ARGS: readonly string[] = Object.freeze([
  '--appendonly',
  'yes',
  '--appendfsync',
  'everysec',
  '--save',
  '',
  '--maxmemory-policy',
  'noeviction',
]);

type ConfigReader = { config(subcommand: 'GET', parameter: string): Promise<unknown> };

export type RedisSafety = { safe: boolean; skipped: boolean; problems: string[] };

async function get(redis: ConfigReader, parameter: string): Promise<string> {
  const reply = (await redis.config('GET', parameter)) as string[];
  return reply[1] ?? '';
}

export async function checkRedisSafety(redis: ConfigReader): Promise<RedisSafety> {
  let policy: string;
  let aof: string;
  let save: string;
  try {
    [policy, aof, save] = await Promise.all([get(redis, 'maxmemory-policy'), get(redis, 'appendonly'), get(redis, 'save')]);
  } catch {
    // Managed Redis services often forbid CONFIG.
    return { safe: true, skipped: true, problems: [] };
  }
  const problems: string[] = [];
  if (policy !== 'noeviction') problems.push(`maxmemory-policy is ${policy}; it must be noeviction or Redis may drop queued events`);
  if (aof !== 'yes' && save.trim() === '')
    problems.push('persistence is off (appendonly no, no save points); a Redis restart loses acknowledged events');
  return { safe: problems.length === 0, skipped: false, problems };
}

/**
 * Logs the outcome; in production an unsafe Redis stops the start unless
 * ALLOW_UNSAFE_REDIS=1. Returns whether starting may go on.
 */
export async function enforceRedisSafety(
  redis: ConfigReader,
  options: { production: boolean; allowUnsafe: boolean },
  log: { warn: (msg: string) => void; error: (msg: string) => void; info: (msg: string) => void },
): Promise<boolean> {
  const result = await checkRedisSafety(redis);
  if (result.skipped) {
    log.warn(
      'Redis safety check skipped: CONFIG GET is not allowed on this Redis; make sure maxmemory-policy is noeviction and persistence is on',
    );
    return true;
  }
  if (result.safe) return true;
  const text = `unsafe Redis: ${result.problems.join('; ')}`;
  if (options.production && !options.allowUnsafe) {
    log.error(`${text}. Refusing to start in production (set ALLOW_UNSAFE_REDIS=1 to override).`);
    return false;
  }
  log.warn(options.production ? `${text} (allowed by ALLOW_UNSAFE_REDIS=1)` : text);
  return true;
}

type Log = { warn: (msg: string) => void; error: (msg: string) => void; info: (msg: string) => void };

/** Every node whose configuration matters: the server, or each master of a cluster (named for messages). */
function nodesToCheck(client: RedisClient): { name: string; reader: ConfigReader }[] {
  if (!isCluster(client)) return [{ name: '', reader: client }];
  return client.nodes('master').map((node) => ({ name: `${node.options.host}:${node.options.port}`, reader: node }));
}

/**
 * The start-time check every entry point runs before it serves: connects
 * briefly and enforces the safety rules on the server or on every master of the
 * cluster, naming a failing node. Redis unreachable at start is not refused
 * (intake answers 503 and workers wait until it is back), only reported.
 */
export async function verifyRedisAtStart(
  target: RedisTarget,
  config: { production: boolean; ALLOW_UNSAFE_REDIS: '0' | '1' },
  log: Log,
): Promise<boolean> {
  const options = { production: config.production, allowUnsafe: config.ALLOW_UNSAFE_REDIS === '1' };
  const probe = createRedis(target, 'probe');
  probe.on('error', () => undefined);
  try {
    await probe.connect();
  } catch (error) {
    log.warn(`${describeTarget(target)} is not reachable at start (${(error as Error).message}); its safety check is not done`);
    probe.disconnect();
    return true;
  }
  try {
    for (const { name, reader } of nodesToCheck(probe)) {
      const named = name
        ? { ...log, error: (m: string) => log.error(`${name}: ${m}`), warn: (m: string) => log.warn(`${name}: ${m}`) }
        : log;
      if (!(await enforceRedisSafety(reader, options, named))) return false;
    }
    return true;
  } finally {
    probe.disconnect();
  }
}
