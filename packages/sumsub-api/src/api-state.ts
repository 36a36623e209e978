import { QUEUES } from '@kyc/jobs';

// Sumsub answering 401/403 is a configuration problem (token, secret,
// permissions, IP allow-list), not a blip: the worker that sees it records it in
// Redis (beside the queue, so every process of the deployment can read it), and
// /readyz of every process reports `sumsubApi: "unauthorized"` until a call
// succeeds again or the mark lapses.

type StateRedis = {
  set(key: string, value: string, px: 'PX', ms: number): Promise<unknown>;
  del(key: string): Promise<number>;
  exists(key: string): Promise<number>;
};

const MARK_MS = 15 * 60_000;

export const sumsubApiStateKey = (prefix: string) => `${prefix}:${QUEUES.sumsubApi}:unauthorized`;

export async function markSumsubUnauthorized(redis: StateRedis, prefix: string, detail: string): Promise<void> {
  await redis.set(sumsubApiStateKey(prefix), detail.slice(0, 300), 'PX', MARK_MS);
}

export async function clearSumsubUnauthorized(redis: StateRedis, prefix: string): Promise<void> {
  await redis.del(sumsubApiStateKey(prefix));
}

export type SumsubApiState = 'ok' | 'unauthorized' | 'off';

export async function sumsubApiState(redis: StateRedis, prefix: string, configured: boolean): Promise<SumsubApiState> {
  if (!configured) return 'off';
  return (await redis.exists(sumsubApiStateKey(prefix))) > 0 ? 'unauthorized' : 'ok';
}
