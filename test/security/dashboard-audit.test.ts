import { ADMIN_TOKEN, webhook, withSystem } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

// The dashboard serves jobs' data, which holds personal data (raw bodies with
// names and clientComment): every read of it is an audit row, like every other
// read that returns clientComment (docs/data-protection.md).
const system = withSystem({ workers: 1, ownDatabase: true, env: { API_ADMIN_TOKENS: 'carol=carol-token-0123456789abcdef' } });

const dashboard = (path: string, authorization: string) => fetch(`${system.apiUrl}/admin/queues${path}`, { headers: { authorization } });
const basic = (password: string) => `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`;
const auditRows = async (since: string) =>
  (await system.admin('GET', `/admin/audit?action=read.dashboard&since=${encodeURIComponent(since)}`)).json.entries as {
    actor: string;
    target: string;
    outcome: string;
  }[];

describe('dashboard reads of job data', () => {
  it('the job list of a queue and a single job each leave an audit row with the reader', async () => {
    const payload = webhook({
      type: 'applicantReviewed',
      reviewStatus: 'completed',
      reviewResult: { reviewAnswer: 'RED', clientComment: 'forged passport' },
    });
    await system.post(payload);
    await system.drained();
    const since = new Date().toISOString();
    const list = await dashboard('/api/queues?activeQueue=sumsub-events&status=completed', basic('carol-token-0123456789abcdef'));
    expect(list.status).toBe(200);
    const listed = (await list.json()) as { queues: { name: string; jobs: { id: string }[] }[] };
    const jobId = listed.queues.find((q) => q.name === 'sumsub-events')?.jobs[0]?.id;
    expect(jobId).toEqual(expect.any(String));
    const one = await dashboard(`/api/queues/sumsub-events/${jobId ?? ''}`, `Bearer ${ADMIN_TOKEN}`);
    expect(one.status).toBe(200);

    await expect
      .poll(() => auditRows(since))
      .toEqual([
        expect.objectContaining({ actor: 'carol', target: 'jobs of sumsub-events completed', outcome: '200' }),
        expect.objectContaining({ actor: 'admin', target: `job sumsub-events ${jobId ?? ''}`, outcome: '200' }),
      ]);
  });

  it('the page itself and the queue counts return no job data and are not audited', async () => {
    const since = new Date().toISOString();
    expect((await dashboard('', `Bearer ${ADMIN_TOKEN}`)).status).toBe(200);
    expect((await dashboard('/api/queues', `Bearer ${ADMIN_TOKEN}`)).status).toBe(200);
    expect(await auditRows(since)).toEqual([]);
  });
});
