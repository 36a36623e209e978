import { readFileSync } from 'node:fs';
import path from 'node:path';
import { QUEUES } from '@kyc/jobs';
import { Redis } from 'ioredis';
import { adminCall, PROCESS_ADMIN_TOKEN, startFakeSumsub, startProcessSystem, webhook } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

// The limit holds for the deployment, not per process: two worker processes
// (the production build) share one BullMQ rate limiter on the sumsub-api queue.

/**
 * When the limiter admitted each call, in Redis's own clock: the id of the queue's
 * "active" event is stamped by the script that counts the window. (Arrival times at
 * the fake Sumsub would bunch whenever this test process is slow to read them.)
 */
async function admissions(redisUrl: string, prefix: string): Promise<number[]> {
  const redis = new Redis(redisUrl);
  try {
    const entries = await redis.xrange(`${prefix}:${QUEUES.sumsubApi}:events`, '-', '+');
    return entries.filter(([, fields]) => fields[1] === 'active').map(([id]) => Number(id.split('-')[0]));
  } finally {
    redis.disconnect();
  }
}
describe('SUMSUB_API_RATE across worker processes', () => {
  it('two workers together never exceed the rate in any window', { timeout: 120_000 }, async () => {
    const fake = await startFakeSumsub();
    const system = await startProcessSystem('sumsub-rate', {
      workers: 2,
      env: { ...fake.env, SUMSUB_API_RATE: '10/1s', LOG_LEVEL: 'info' },
    });
    try {
      const ids = Array.from({ length: 40 }, () => webhook().applicantId as string);
      for (const id of ids) fake.setStatus(id, { reviewId: 'r', createDate: '2024-05-01 10:00:00+0000', reviewStatus: 'pending' });
      const answer = await adminCall(system.apiUrl, 'POST', '/admin/reconcile', { applicantIds: ids }, PROCESS_ADMIN_TOKEN);
      expect(answer.json).toEqual(expect.objectContaining({ checked: 40, failed: 0, pending: 0 }));
      expect(fake.requests.filter((r) => r.authorized)).toHaveLength(40);
      const times = await admissions(String(system.redis?.url), '{kyc-rel-sumsub-rate}');
      expect(times).toHaveLength(40);
      const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
      expect(busiest).toBeLessThanOrEqual(10);
      // Both processes took part: the limit is shared, not one process doing all the work.
      const jobLines = readFileSync(path.join(system.dir, 'processes.log'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('"sumsub api job"'))
        .map((line) => JSON.parse(line) as { pid: number });
      expect(jobLines).toHaveLength(40);
      expect(new Set(jobLines.map((l) => l.pid)).size).toBe(2);
    } finally {
      await system.stop();
      await fake.stop();
    }
  });
});
