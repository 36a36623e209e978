import { describe, expect, it } from 'vitest';
import { eventJobSummary, eventJobTitle, oneLineCause } from '../src/job-summary.ts';

describe('what an operator sees of a job', () => {
  it('titles an event job by type, applicant and verdict, from its raw body', () => {
    const rawBody = JSON.stringify({
      type: 'applicantReviewed',
      applicantId: '5cb56e8e0a975a35f333cb83',
      reviewStatus: 'completed',
      reviewResult: { reviewAnswer: 'RED', reviewRejectType: 'FINAL', rejectLabels: ['FORGERY'], clientComment: 'private' },
      createdAtMs: '2024-05-01 10:00:00.000',
      clientId: 'acme',
      firstName: 'Jane',
    });
    const summary = eventJobSummary({
      v: 2,
      eventId: 'evt_1',
      rawBody,
      digest: 'abc',
      receivedAt: Date.UTC(2024, 4, 1, 10, 0, 1),
      source: 'webhook',
    });
    expect(eventJobTitle(summary)).toBe('applicantReviewed · 5cb56e8e0a975a35f333cb83 · RED/FINAL');
    expect(summary).toEqual({
      eventId: 'evt_1',
      type: 'applicantReviewed',
      applicantId: '5cb56e8e0a975a35f333cb83',
      correlationId: null,
      reviewStatus: 'completed',
      reviewAnswer: 'RED',
      reviewRejectType: 'FINAL',
      rejectLabels: ['FORGERY'],
      eventAt: '2024-05-01T10:00:00.000Z',
      receivedAt: '2024-05-01T10:00:01.000Z',
      source: 'webhook',
      account: 'acme',
    });
    expect(eventJobTitle(eventJobSummary({ rawBody: 'not json' }))).toBe('(unreadable body) · (no applicant)');
  });

  it("gives a failure's cause in one line: pg's message, or the database's message inside Prisma's wrapping", () => {
    expect(oneLineCause('poisoned applicant')).toBe('poisoned applicant');
    expect(
      oneLineCause(
        'PrismaClientKnownRequestError: \nInvalid `prisma.$queryRawUnsafe()` invocation:\n\n\nRaw query failed. Code: `P0001`. Message: `poisoned applicant`',
      ),
    ).toBe('poisoned applicant');
    expect(oneLineCause('first line\n    at frame (node_modules/x.js:1:1)')).toBe('first line');
    expect(oneLineCause('x'.repeat(400))).toHaveLength(300);
  });
});
