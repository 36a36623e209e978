import { eventJob, shardKeyOf, shardOf } from '@kyc/jobs';
import { isCluster, type RedisClient, type OwnSpan, tracing, withTimeout } from '@kyc/runtime';
import { type ParsedWebhook } from '@kyc/sumsub-webhook';
import { readFileSync } from 'node:fs';
import calculateSlot from 'cluster-key-slot';
import type { Redis } from 'ioredis';
import { QueueUnavailable } from '@kyc/http';
import type { EventQueue, EventQueues } from '@kyc/jobs';

export type EnqueueOutcome = 'accepted' | 'duplicate';

/** The body exactly as received, the signature it came with and the account whose secret it matched: what the worker verifies again. */
export type SignedBody = { rawBody: string; digest: string; digestAlgorithm: string; account: string };

type Deps = {
  queues: EventQueues;
  redis: RedisClient;
  timeoutMs: number;
  retryAfterSeconds: number;
  /** REDIS_REPLICA_ACKS: replicas that must hold a job before it is acknowledged. */
  replicaAcks: number;
};

/** The connection to the master that holds `key` (the one BullMQ's write went through). */
function masterFor(redis: RedisClient, key: string): Redis {
  if (!isCluster(redis)) return redis;
  const owner = redis.slots[calculateSlot(key)]?.[0];
  const node = redis.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner);
  if (!node) throw new Error(`no master known for the slot of ${key}`);
  return node;
}

// Sent with every flush (EVAL): the code only, without the file's header comment,
// which Redis would otherwise receive and hash each time.
const EXISTS_EACH = readFileSync(new URL('../../commands/exists-each.lua', import.meta.url), 'utf8').replace(/^--\[\[[\s\S]*?\]\]\s*/, '');

/** 0/1 per key, in one command on the shard's connection (commands/exists-each.lua). */
async function existsEach(redis: RedisClient, keys: string[]): Promise<number[]> {
  return (await redis.eval(EXISTS_EACH, keys.length, ...keys)) as number[];
}

type Waiting = {
  event: ParsedWebhook;
  signed: SignedBody;
  resolve: (outcome: EnqueueOutcome) => void;
  reject: (error: unknown) => void;
  /** With tracing on: this request's enqueue span, whose context its job carries to the worker. */
  span?: OwnSpan | undefined;
};

/**
 * The request's own enqueue span (tracing on): events of one tick are added in one
 * addBulk, so each job carries its own request's context rather than the batch's.
 */
function enqueueSpan(event: ParsedWebhook, shard: string): OwnSpan | undefined {
  return tracing()?.startSpan('enqueue sumsub-events', 'producer', {
    'kyc.event_id': event.eventId,
    'kyc.event_type': event.payload.type,
    'messaging.destination.name': 'sumsub-events',
    'kyc.shard': shard,
  });
}

/**
 * Puts a verified event on its shard's queue and resolves only once Redis has
 * stored it (and, with REDIS_REPLICA_ACKS, once that many replicas confirmed it:
 * Redis replication is asynchronous, so a master that dies before replicating
 * would take an acknowledged job with it). Anything else (Redis down, slow past
 * timeoutMs, too few replicas) rejects with QueueUnavailable (503, Retry-After),
 * so the caller never acknowledges an event that is not safely stored.
 *
 * The events of one event-loop tick are stored together, per shard: the
 * duplicate check (commands/exists-each.lua) and one addBulk go out back to back on the shard's
 * connection, so Redis runs each check before the add that follows it, and one
 * WAIT covers the whole group. Each request is still answered only after its own
 * job is stored.
 */
export function createEventEnqueuer({ queues, redis, timeoutMs, retryAfterSeconds, replicaAcks }: Deps) {
  let waiting: Waiting[] = [];

  async function replicated(key: string, deadline: number): Promise<void> {
    if (replicaAcks === 0) return;
    const confirmed = await masterFor(redis, key).wait(replicaAcks, Math.max(1, deadline - Date.now()));
    if (confirmed < replicaAcks) throw new Error(`${confirmed} of ${replicaAcks} replicas confirmed the job`);
  }

  /** One shard's group: checks and adds in one go; per event, accepted or (already stored) duplicate. */
  async function store(queue: EventQueue, group: Waiting[], deadline: number): Promise<EnqueueOutcome[]> {
    // The same event twice in one tick is added once; the second is its duplicate.
    const firstIndex = new Map<string, number>();
    group.forEach((w, i) => firstIndex.has(w.event.eventId) || firstIndex.set(w.event.eventId, i));
    const fresh = group.filter((w, i) => firstIndex.get(w.event.eventId) === i);
    const keys = fresh.map((w) => queue.toKey(w.event.eventId));
    // BullMQ ignores a re-added jobId without saying so: the check, sent first on the same connection, says it.
    const existed = existsEach(redis, keys);
    const receivedAt = Date.now();
    // Attempts, backoff and retention are the queue's (openQueue): each job says only its id and trace.
    const added = queue.addBulk(
      fresh.map((w) => eventJob({ eventId: w.event.eventId, ...w.signed, receivedAt, source: 'webhook' }, w.span?.jobMetadata)),
    );
    const [counts] = await Promise.all([existed, added]);
    // A duplicate is confirmed like a first delivery: the first one's acknowledgement may not have replicated.
    if (keys[0]) await replicated(keys[0], deadline);
    const outcomeOf = new Map(fresh.map((w, i) => [w.event.eventId, counts[i] === 0 ? 'accepted' : 'duplicate'] as const));
    return group.map((w, i) => (firstIndex.get(w.event.eventId) === i ? (outcomeOf.get(w.event.eventId) as EnqueueOutcome) : 'duplicate'));
  }

  function flush(): void {
    const batch = waiting;
    waiting = [];
    const byQueue = new Map<EventQueue, Waiting[]>();
    for (const w of batch) {
      const queue = queues.queueFor(w.event);
      const group = byQueue.get(queue);
      if (group) group.push(w);
      else byQueue.set(queue, [w]);
    }
    const deadline = Date.now() + timeoutMs;
    for (const [queue, group] of byQueue) {
      withTimeout(store(queue, group, deadline), timeoutMs, 'Redis').then(
        (outcomes) =>
          group.forEach((w, i) => {
            w.span?.end({ 'kyc.outcome': outcomes[i] as EnqueueOutcome });
            w.resolve(outcomes[i] as EnqueueOutcome);
          }),
        (error: unknown) =>
          group.forEach((w) => {
            w.span?.end({ 'kyc.outcome': 'unavailable' }, true);
            w.reject(new QueueUnavailable(retryAfterSeconds, error));
          }),
      );
    }
  }

  return {
    enqueue(event: ParsedWebhook, signed: SignedBody): Promise<EnqueueOutcome> {
      return new Promise<EnqueueOutcome>((resolve, reject) => {
        const span = tracing() && enqueueSpan(event, String(shardOf(shardKeyOf(event), queues.current.length)));
        if (waiting.push({ event, signed, resolve, reject, span }) === 1) setImmediate(flush);
      });
    },
  };
}

export type EventEnqueuer = ReturnType<typeof createEventEnqueuer>;
