import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

/**
 * How a connection is used:
 * - producer: inside HTTP handlers; fails fast (no offline queue) so intake can answer 503;
 * - worker: BullMQ workers and the relay; waits for Redis forever (maxRetriesPerRequest null);
 * - probe: a short-lived check (safety, readiness helpers): one try.
 */
export type RedisRole = 'producer' | 'worker' | 'probe';

/** A Redis Cluster hashtag: the part of a key in braces, which alone decides the key's slot. */
export const REDIS_HASHTAG = /\{([^}]+)\}/;

/** Whether a key prefix has a hashtag (every key of a queue then lands on one cluster node). */
export const hasHashtag = (prefix: string) => REDIS_HASHTAG.test(prefix);

/** Where Redis is: one server (REDIS_URL), or a cluster's seed nodes (REDIS_CLUSTER_NODES). */
export type RedisTarget = { REDIS_URL: string; REDIS_CLUSTER_NODES?: string | undefined };

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  producer: {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  },
  worker: { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 5_000) },
  probe: { maxRetriesPerRequest: 1, connectTimeout: 3_000, retryStrategy: () => null, lazyConnect: true },
};

type Seed = { node: { host: string; port: number }; auth: Pick<RedisOptions, 'username' | 'password'>; tls: boolean };

/** `host:port`, or `redis://user:pass@host:port` / `rediss://…` (TLS). */
export function parseSeed(text: string): Seed {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1];
  if (scheme !== undefined && scheme !== 'redis' && scheme !== 'rediss') throw new Error(`not a Redis address: ${text}`);
  const url = new URL(scheme ? text : `redis://${text}`);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error(`not a Redis address: ${text}`);
  const port = Number(url.port || 6379);
  if (!url.hostname || !Number.isInteger(port)) throw new Error(`not a Redis address: ${text}`);
  const auth: Seed['auth'] = {};
  if (url.username) auth.username = decodeURIComponent(url.username);
  if (url.password) auth.password = decodeURIComponent(url.password);
  return { node: { host: url.hostname, port }, auth, tls: url.protocol === 'rediss:' };
}

export const clusterSeeds = (nodes: string) =>
  nodes
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseSeed);

/** A cluster client with what BullMQ needs: the role's retry behaviour on every node connection. */
function clusterClient(nodes: string, role: RedisRole): Cluster {
  const seeds = clusterSeeds(nodes);
  const first = seeds[0];
  const tls = seeds.some((s) => s.tls);
  const options: ClusterOptions = {
    redisOptions: { ...ROLE_OPTIONS[role], ...first?.auth, ...(tls ? { tls: {} } : {}) },
    // Addresses as the cluster announces them; TLS certificates name the host, not its IP.
    ...(tls ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
    enableOfflineQueue: role !== 'producer',
    lazyConnect: role === 'probe',
    clusterRetryStrategy: role === 'probe' ? () => null : (times) => Math.min(times * 200, 5_000),
    slotsRefreshTimeout: 2_000,
    maxRedirections: 16,
  };
  return new Cluster(
    seeds.map((s) => s.node),
    options,
  );
}

/** One connection to wherever Redis is, for `role`. */
export function createRedis(target: RedisTarget, role: RedisRole): RedisClient {
  if (target.REDIS_CLUSTER_NODES) return clusterClient(target.REDIS_CLUSTER_NODES, role);
  return new Redis(target.REDIS_URL, ROLE_OPTIONS[role]);
}

export const isCluster = (client: RedisClient): client is Cluster => client instanceof Cluster;

/** Where the target is, for messages (no credentials). */
export function describeTarget(target: RedisTarget): string {
  if (target.REDIS_CLUSTER_NODES) {
    return `Redis Cluster (seeds ${clusterSeeds(target.REDIS_CLUSTER_NODES)
      .map((s) => `${s.node.host}:${s.node.port}`)
      .join(', ')})`;
  }
  return `Redis at ${new URL(target.REDIS_URL).host}`;
}

/**
 * Resolves once the client is ready, or false after timeoutMs (the service then
 * starts anyway and answers 503 until Redis is back).
 */
export async function waitUntilReady(redis: RedisClient, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.once('ready', onReady);
  });
}
