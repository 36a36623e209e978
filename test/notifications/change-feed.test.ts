import { applyEventsStatement } from '@kyc/db';
import { eachConcurrently, generateDeliveries } from '@kyc/samples';
import { ADMIN_TOKEN, READ_TOKEN, ledgerEvent, postWebhook, webhook, withSystem } from '@kyc/test-support';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

const system = withSystem({ workers: 2, ownDatabase: true, env: { WORKER_CONCURRENCY: '4' } });

type Record = {
  applicantId: string;
  version: number;
  updatedAt: string;
  decision: string;
  review: { clientComment?: string | null } | null;
};
type Page = { applicants: Record[]; nextCursor: string | null; hasMore: boolean };

async function page(query: string, token = READ_TOKEN): Promise<Page> {
  const response = await system.get(`/applicants?${query}`, token);
  expect(response.status, JSON.stringify(response.json)).toBe(200);
  return response.json as unknown as Page;
}

/** Reads the feed from `cursor` to its current end. */
async function readToEnd(cursor: string | null, limit: number, seen: Record[]): Promise<string | null> {
  let next = cursor;
  for (;;) {
    const result = await page(`limit=${limit}${next ? `&cursor=${next}` : ''}`);
    seen.push(...result.applicants);
    next = result.nextCursor;
    if (!result.hasMore) return next;
  }
}

describe('the change feed: GET /applicants', () => {
  it('paginates without gaps under concurrent writes: the last sighting of every applicant is its final record', async () => {
    const traffic = generateDeliveries({ count: 500, applicants: 50, duplicates: 0.2, shuffle: true });
    const seen: Record[] = [];
    let cursor: string | null = null;
    let writing = true;
    const writer = eachConcurrently(traffic, 8, async ({ body }) => {
      expect((await postWebhook(system.url, body)).status).toBe(200);
    }).finally(() => {
      writing = false;
    });
    while (writing) cursor = await readToEnd(cursor, 7, seen);
    await writer;
    await system.drained();
    await readToEnd(cursor, 7, seen);

    const ids = [...new Set(traffic.map((d) => (JSON.parse(d.body) as { applicantId: string }).applicantId))];
    const last = new Map(seen.map((r) => [r.applicantId, r]));
    expect(last.size).toBe(ids.length);
    for (const id of ids) {
      // The feed lists records; the detail adds the document results and the rejection clarification.
      const detail = (await system.get(`/applicants/${id}`, READ_TOKEN)).json;
      const { documents: _documents, documentsFetchedAt: _at, rejectionClarification: _clarification, ...final } = detail;
      expect(last.get(id), id).toEqual(final);
    }
  });

  it('never lists a change behind a cursor while an older transaction is still open', async () => {
    const start = await page('limit=1000');
    let cursor = start.nextCursor;
    await readToEnd(cursor, 1000, []);
    const held = webhook();
    const client = new pg.Client({ connectionString: system.config.DATABASE_URL });
    await client.connect();
    try {
      await client.query('BEGIN');
      const { text, values } = applyEventsStatement([ledgerEvent(held)]);
      await client.query(text, values); // the older transaction: holds its change uncommitted
      const later = webhook();
      await system.post(later);
      await system.drained();
      expect((await system.get(`/applicants/${later.applicantId as string}`, READ_TOKEN)).status).toBe(200);
      const meanwhile = await page(`limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      expect(meanwhile.applicants.map((a) => a.applicantId)).not.toContain(later.applicantId);
      cursor = meanwhile.nextCursor;
      await client.query('COMMIT');
      const after = await page(`limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      expect(after.applicants.map((a) => a.applicantId)).toEqual([held.applicantId, later.applicantId]);
    } finally {
      await client.end();
    }
  });

  it('filters by decision and updatedSince; clientComment only for the admin token', async () => {
    const since = new Date().toISOString();
    const approved = webhook({
      type: 'applicantReviewed',
      reviewStatus: 'completed',
      reviewResult: { reviewAnswer: 'GREEN', clientComment: 'private' },
    });
    await system.post(approved);
    await system.post(webhook({ type: 'applicantPending', reviewStatus: 'pending' }));
    await system.drained();
    const filtered = await page(`decision=approved&updatedSince=${encodeURIComponent(since)}`);
    expect(filtered.applicants.map((a) => a.applicantId)).toEqual([approved.applicantId]);
    expect(filtered.applicants[0]?.review).not.toHaveProperty('clientComment');
    const asAdmin = await page(`decision=approved&updatedSince=${encodeURIComponent(since)}`, ADMIN_TOKEN);
    expect(asAdmin.applicants[0]?.review?.clientComment).toBe('private');
    expect((await page(`updatedSince=${encodeURIComponent(since)}`)).applicants).toHaveLength(2);
  });

  it.each([
    ['cursor=bm90LWEtY3Vyc29y', 'invalid_cursor'],
    [`cursor=${Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url')}`, 'invalid_cursor'],
    ['limit=0', 'invalid_request'],
    ['limit=1001', 'invalid_request'],
    ['decision=maybe', 'invalid_request'],
    ['updatedSince=yesterday', 'invalid_request'],
    ['colour=blue', 'invalid_request'],
  ])('answers 400 for %s', async (query, error) => {
    const response = await system.get(`/applicants?${query}`, READ_TOKEN);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error, message: expect.any(String) });
  });

  it('requires a token', async () => {
    expect((await system.get('/applicants')).status).toBe(401);
  });
});
