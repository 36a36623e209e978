import { applyEvent } from '@kyc/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, getJson, ledgerEvent, READ_TOKEN, webhook, withSystem } from '@kyc/test-support';

const system = withSystem();
const base = webhook({ applicantType: 'individual', clientId: 'coolClientId', sandboxMode: false });
const applicantId = String(base.applicantId);
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function seed(fields: Record<string, unknown>) {
  const event = ledgerEvent({ ...base, ...fields });
  await applyEvent(system.db, event);
  return event.eventId;
}

beforeAll(async () => {
  await seed({ type: 'applicantPending', reviewStatus: 'pending', createdAtMs: '2020-02-21 13:20:00.000' });
  await seed({
    type: 'applicantReviewed',
    reviewStatus: 'completed',
    createdAtMs: '2020-02-21 13:23:19.321',
    reviewResult: {
      reviewAnswer: 'RED',
      rejectLabels: ['FORGERY'],
      reviewRejectType: 'FINAL',
      buttonIds: ['badDocument'],
      moderationComment: 'We could not verify you',
      clientComment: 'internal: forged passport, do not share',
    },
  });
});

const applicantUrl = () => `${system.url}/applicants/${applicantId}`;

describe('GET /applicants/:applicantId', () => {
  it('401 without or with a wrong token', async () => {
    expect((await getJson(applicantUrl())).status).toBe(401);
    expect((await getJson(applicantUrl(), 'not-a-token')).status).toBe(401);
    const basic = await fetch(applicantUrl(), { headers: { authorization: 'Token abc' } });
    expect(basic.status).toBe(401);
  });

  it('404 for an unknown applicant', async () => {
    const result = await getJson(`${system.url}/applicants/000000000000000000000000`, READ_TOKEN);
    expect(result).toMatchObject({ status: 404, json: { error: 'not_found' } });
  });

  it('returns the record with its documented fields and ISO times; the read token never sees clientComment', async () => {
    const { status, json } = await getJson(applicantUrl(), READ_TOKEN);
    expect(status).toBe(200);
    expect(json).toEqual({
      applicantId,
      account: 'default',
      externalUserId: base.externalUserId,
      inspectionId: base.inspectionId,
      applicantType: 'individual',
      levelName: base.levelName,
      clientId: 'coolClientId',
      sandboxMode: false,
      reviewStatus: 'completed',
      reviewMode: null,
      applicantMemberOf: null,
      decision: 'rejected_final',
      decisionChangedAt: expect.stringMatching(ISO_MS),
      version: 2,
      review: {
        reviewAnswer: 'RED',
        rejectLabels: ['FORGERY'],
        reviewRejectType: 'FINAL',
        buttonIds: ['badDocument'],
        moderationComment: 'We could not verify you',
      },
      rejection: {
        rejectType: 'FINAL',
        labels: [{ label: 'FORGERY', category: 'fraud_forgery', resubmittable: false, description: expect.any(String), known: true }],
        buttons: [{ id: 'badDocument', group: 'badDocument', description: expect.any(String), known: true }],
      },
      lastEventType: 'applicantReviewed',
      lastEventAt: '2020-02-21T13:23:19.321Z',
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: expect.stringMatching(ISO_MS),
      documents: [],
      documentsFetchedAt: null,
      rejectionClarification: null,
    });
    expect(JSON.stringify(json)).not.toContain('forged passport');
  });

  it('gives clientComment to the admin token only', async () => {
    const { json } = await getJson(applicantUrl(), ADMIN_TOKEN);
    expect(json.review).toMatchObject({ clientComment: 'internal: forged passport, do not share' });
  });
});

describe('GET /reject-labels', () => {
  it('answers the whole catalogue to either token, 401 without one', async () => {
    expect((await getJson(`${system.url}/reject-labels`)).status).toBe(401);
    for (const token of [READ_TOKEN, ADMIN_TOKEN]) {
      const { status, json } = await getJson(`${system.url}/reject-labels`, token);
      expect(status).toBe(200);
      const labels = json.labels as Record<string, unknown>[];
      const buttons = json.buttons as Record<string, unknown>[];
      expect(labels.length).toBeGreaterThanOrEqual(80);
      expect(labels.find((l) => l.code === 'SANCTIONS')).toEqual({
        code: 'SANCTIONS',
        category: 'compliance_aml',
        resubmittable: false,
        description: expect.any(String),
        source: 'https://docs.sumsub.com/docs/rejection-labels',
      });
      expect(buttons.find((b) => b.id === 'badPhoto_screenshot')).toEqual({
        id: 'badPhoto_screenshot',
        group: 'badPhoto',
        button: 'screenshot',
        labels: ['SCREENSHOTS', 'UNSATISFACTORY_PHOTOS'],
        state: 'resubmission',
        description: expect.any(String),
        source: 'https://docs.sumsub.com/reference/temporary-rejection',
      });
    }
  });
});

describe('GET /applicants/:applicantId/events', () => {
  it('401 without a token', async () => {
    expect((await getJson(`${applicantUrl()}/events`)).status).toBe(401);
  });

  it('lists events oldest first with their fields, and no clientComment for either token', async () => {
    for (const token of [READ_TOKEN, ADMIN_TOKEN]) {
      const { status, json } = await getJson(`${applicantUrl()}/events`, token);
      expect(status).toBe(200);
      const events = json.events as Record<string, unknown>[];
      expect(events.map((e) => e.type)).toEqual(['applicantPending', 'applicantReviewed']);
      expect(events[1]).toEqual({
        eventId: expect.stringMatching(/^evt_/),
        type: 'applicantReviewed',
        correlationId: base.correlationId,
        createdAt: '2020-02-21T13:23:19.321Z',
        receivedAt: expect.stringMatching(ISO_MS),
        processedAt: expect.stringMatching(ISO_MS),
        status: 'applied',
        source: 'webhook',
        account: 'default',
        reviewStatus: 'completed',
        reviewAnswer: 'RED',
      });
      expect(JSON.stringify(json)).not.toContain('forged passport');
    }
  });

  it('answers an empty list for an applicant with no events', async () => {
    expect(await getJson(`${system.url}/applicants/nobody/events`, READ_TOKEN)).toMatchObject({ status: 200, json: { events: [] } });
  });
});
