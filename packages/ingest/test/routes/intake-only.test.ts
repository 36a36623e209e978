import { ADMIN_TOKEN, injectedApp, webhook } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

// The ingest as `pnpm start:ingest` builds it, asked through inject(); what only a
// process shows (no database connection at all, the operations port) is in
// ../without-database.test.ts.
const ingest = injectedApp('ingest');

describe('the ingest app', () => {
  it('acknowledges a webhook only once its job is in Redis, under its event id', async () => {
    const body = webhook();
    const answer = await ingest.postWebhook(JSON.stringify(body));
    expect(answer).toMatchObject({ status: 200, json: { status: 'accepted', eventId: expect.any(String) } });
    const eventId = String(answer.json.eventId);
    const job = await ingest.queues.queues.queueFor({ eventId, payload: { applicantId: String(body.applicantId) } }).getJob(eventId);
    expect(job?.id).toBe(eventId);
  });

  it('serves intake only: every other route is a 404', async () => {
    for (const path of ['/applicants/abc', '/applicants', '/admin/queues', '/admin/audit', '/docs', '/docs/json', '/metrics']) {
      expect(await ingest.request('GET', path, { token: ADMIN_TOKEN }), path).toMatchObject({
        status: 404,
        json: { error: 'not_found' },
      });
    }
  });

  it('is ready on Redis alone', async () => {
    const ready = await ingest.request('GET', '/readyz');
    expect(ready).toMatchObject({ status: 200, json: { status: 'ready', checks: { redis: 'ok' } } });
    expect(Object.keys(ready.json.checks as object)).toEqual(['redis']);
  });
});
