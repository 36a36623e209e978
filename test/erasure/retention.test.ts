import { applyEventsStatement, prismaSql } from '@kyc/db';
import { ledgerEvent, startSystem, webhook, withSystem, type TestSystem } from '@kyc/test-support';
import { describe, expect, it, vi } from 'vitest';
import { purge } from '../../packages/cli/src/commands/erase.ts';

type Row = {
  eventId: string;
  payload: unknown;
  rawBody: string | null;
  digest: string | null;
  type: string;
  status: string;
  reviewAnswer: string | null;
};
const rows = (system: TestSystem, ids: string[]) =>
  prismaSql(system.db).query<Row>(
    'SELECT event_id, payload, raw_body, digest, type, status, review_answer FROM events WHERE event_id = ANY($1::text[])',
    [ids],
  );

/** Events received `days` days ago: the time is injected into the data, not waited for. */
async function receivedDaysAgo(system: TestSystem, days: number, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const event = ledgerEvent(
      webhook({ type: 'applicantReviewed', reviewStatus: 'completed', reviewResult: { reviewAnswer: 'GREEN', clientComment: 'private' } }),
      { receivedAt: Date.now() - days * 86_400_000 },
    );
    const { text, values } = applyEventsStatement([event]);
    await prismaSql(system.db).query(text, values);
    ids.push(event.eventId);
  }
  return ids;
}

describe('retention: pnpm cli purge / POST /admin/purge', () => {
  const system = withSystem({ workers: 1, ownDatabase: true });

  it('strips events older than the horizon to their audit skeleton and touches nothing younger', async () => {
    const old = await receivedDaysAgo(system, 40, 3);
    const young = await receivedDaysAgo(system, 20, 2);
    const answer = await system.admin('POST', '/admin/purge', { olderThanDays: 30 });
    expect(answer.json).toEqual({ events: 3, notifications: 0, jobs: expect.any(Number), horizon: expect.any(String) });
    for (const row of await rows(system, old)) {
      expect(row).toEqual(
        expect.objectContaining({
          payload: null,
          rawBody: null,
          digest: null,
          type: 'applicantReviewed',
          status: 'applied',
          reviewAnswer: 'GREEN',
        }),
      );
    }
    for (const row of await rows(system, young)) {
      expect(row.payload).not.toBeNull();
      expect(row.rawBody).not.toBeNull();
    }
    // Replay of a stripped event says why it cannot.
    const replay = await system.admin('POST', `/admin/events/${old[0] ?? ''}/replay`);
    expect(replay).toEqual(
      expect.objectContaining({ status: 409, json: { error: 'not_replayable', message: expect.stringContaining('retention') } }),
    );
  });

  it('keeps finished jobs younger than the horizon, and the CLI reports what it removed', async () => {
    await system.post(webhook());
    await system.drained();
    const before = await system.queue.getJobCounts('completed');
    const output: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => output.push(String(chunk)) > 0);
    try {
      expect(await purge(['--older-than', '30', '--url', system.url, '--token', system.config.tokens.admin[0]?.token ?? ''])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(output.join('')).toMatch(/0 events stripped, 0 notification bodies emptied, 0 finished jobs removed/);
    expect(await system.queue.getJobCounts('completed')).toEqual(before);
    const audit = await system.admin('GET', '/admin/audit?action=purge');
    expect(audit.json.entries).toEqual([
      expect.objectContaining({ actor: 'admin', target: 'older than 30 days', outcome: expect.stringMatching(/^200 stripped 3 events/) }),
      expect.objectContaining({ actor: 'admin', outcome: expect.stringMatching(/^200 stripped 0 events/) }),
    ]);
  });
});

describe('PAYLOAD_RETENTION_DAYS: on schedule', () => {
  it('a worker starting with it set runs the pass (and then hourly), as the scheduler', async () => {
    const system = await startSystem({ ownDatabase: true, env: { PAYLOAD_RETENTION_DAYS: '30' } });
    try {
      const old = await receivedDaysAgo(system, 31, 2);
      system.addWorkers(1);
      await expect.poll(async () => (await rows(system, old)).map((r) => r.payload), { timeout: 15_000 }).toEqual([null, null]);
      const audit = await system.admin('GET', '/admin/audit?actor=scheduler');
      expect(audit.json.entries).toEqual([expect.objectContaining({ action: 'purge', target: 'older than 30 days' })]);
      const lifecycle = (await system.redis.keys(`${system.config.QUEUE_PREFIX}:lifecycle:repeat*`)).length;
      expect(lifecycle).toBeGreaterThan(0);
    } finally {
      await system.stop();
    }
  });
});
