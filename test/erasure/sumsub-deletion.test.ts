import { eraseJob, openQueue, QUEUES } from '@kyc/jobs';
import { webhook, withSystem } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

const at = (second: number) => `2024-05-01 10:00:${String(second).padStart(2, '0')}.000`;

describe.each([
  ['1', true],
  ['0', false],
])('ERASE_ON_SUMSUB_DELETION=%s', (flag, erases) => {
  const system = withSystem({ workers: 1, env: { ERASE_ON_SUMSUB_DELETION: flag } });

  it.each(['applicantDeleted', 'applicantPersonalDataDeleted'])(`${erases ? 'erases' : 'keeps'} the applicant on %s`, async (type) => {
    const base = webhook({ createdAtMs: at(1) });
    const applicantId = base.applicantId as string;
    await system.post(base);
    await system.post(webhook({ applicantId, type, reviewStatus: 'init', createdAtMs: at(2) }));
    await system.drained();
    if (erases) {
      await expect.poll(async () => (await system.admin('GET', `/applicants/${applicantId}`)).status, { timeout: 15_000 }).toBe(410);
      // The audit row follows the Redis sweep, which follows the database part that made it 410.
      await expect
        .poll(async () => (await system.admin('GET', `/admin/audit?actor=sumsub:${type}`)).json.entries)
        .toEqual(
          expect.arrayContaining([
            expect.objectContaining({ action: 'erase', target: applicantId, outcome: expect.stringMatching(/^erased 2 events/) }),
          ]),
        );
    } else {
      // The worker queues an erasure while it applies the event: once drained, there is none, and none ran.
      const lifecycle = openQueue(QUEUES.erasure, { connection: system.redis, prefix: system.config.QUEUE_PREFIX, config: system.config });
      const { name } = eraseJob(applicantId, type);
      const jobs = await lifecycle.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed']);
      expect(jobs.filter((job) => job?.name === name && (job.data as { applicantId?: string }).applicantId === applicantId)).toEqual([]);
      await lifecycle.close();
      expect((await system.admin('GET', `/applicants/${applicantId}`)).status).toBe(200);
    }
  });
});
