import { randomBytes, randomUUID } from 'node:crypto';
import { sumsubTimeMs } from '@kyc/sumsub-webhook';

// Sample webhooks for the documented Sumsub applicant events, in the shape of the
// documented payloads (docs.sumsub.com user-verification webhooks and the
// "receive results via API" examples).

export type SampleContext = {
  applicantId: string;
  inspectionId: string;
  externalUserId: string;
  levelName: string;
  at: Date;
  correlationId?: string;
};

// Sumsub's createdAtMs form lives beside the parser that reads it (@kyc/sumsub-webhook).
export { sumsubTimeMs };

/** Sumsub's createdAt form: "yyyy-MM-dd HH:mm:ss+0000". */
export function sumsubTime(date: Date): string {
  return `${sumsubTimeMs(date).slice(0, 19)}+0000`;
}

/** Hex digits from `rand` (seeded, repeatable) or from the system's randomness. */
export function hexId(length: number, rand?: () => number): string {
  if (!rand)
    return randomBytes(Math.ceil(length / 2))
      .toString('hex')
      .slice(0, length);
  return Array.from({ length }, () => Math.floor(rand() * 16).toString(16)).join('');
}

export function newApplicant(at = new Date(), rand?: () => number): SampleContext {
  return {
    applicantId: hexId(24, rand),
    inspectionId: hexId(24, rand),
    externalUserId: `user-${hexId(12, rand)}`,
    levelName: 'id-and-liveness',
    at,
  };
}

function envelope<E extends Record<string, unknown>>(ctx: SampleContext, type: string, reviewStatus: string, extra: E = {} as E) {
  return {
    applicantId: ctx.applicantId,
    inspectionId: ctx.inspectionId,
    applicantType: 'individual',
    correlationId: ctx.correlationId ?? `req-${randomUUID()}`,
    levelName: ctx.levelName,
    sandboxMode: true,
    externalUserId: ctx.externalUserId,
    type,
    reviewStatus,
    createdAt: sumsubTime(ctx.at),
    createdAtMs: sumsubTimeMs(ctx.at),
    clientId: 'sampleClient',
    ...extra,
  };
}

export const SAMPLES = {
  created: (c: SampleContext) => envelope(c, 'applicantCreated', 'init'),
  pending: (c: SampleContext) => envelope(c, 'applicantPending', 'pending', { reviewResult: null }),
  'on-hold': (c: SampleContext) => envelope(c, 'applicantOnHold', 'onHold'),
  green: (c: SampleContext) => envelope(c, 'applicantReviewed', 'completed', { reviewResult: { reviewAnswer: 'GREEN' } }),
  'red-retry': (c: SampleContext) =>
    envelope(c, 'applicantReviewed', 'completed', {
      reviewResult: {
        reviewAnswer: 'RED',
        moderationComment: 'The photo of your document is blurry. Please upload a clearer one.',
        clientComment: 'Document image quality too low.',
        rejectLabels: ['UNSATISFACTORY_PHOTOS'],
        reviewRejectType: 'RETRY',
        buttonIds: ['badPhoto', 'badPhoto_lowQuality'],
      },
    }),
  'red-final': (c: SampleContext) =>
    envelope(c, 'applicantReviewed', 'completed', {
      reviewResult: {
        reviewAnswer: 'RED',
        moderationComment: 'We could not verify your identity.',
        clientComment: 'Edited document detected; do not share with the applicant.',
        rejectLabels: ['GRAPHIC_EDITOR', 'FORGERY'],
        reviewRejectType: 'FINAL',
        buttonIds: ['fake_editedDocument'],
      },
    }),
  reset: (c: SampleContext) => envelope(c, 'applicantReset', 'init'),
  'level-changed': (c: SampleContext) =>
    envelope(c, 'applicantLevelChanged', 'init', { previousLevelName: c.levelName, levelName: 'advanced-kyc' }),
  'personal-info-changed': (c: SampleContext) => envelope(c, 'applicantPersonalInfoChanged', 'completed'),
  prechecked: (c: SampleContext) => envelope(c, 'applicantPrechecked', 'prechecked'),
  activated: (c: SampleContext) => envelope(c, 'applicantActivated', 'completed'),
  deactivated: (c: SampleContext) => envelope(c, 'applicantDeactivated', 'completed'),
  deleted: (c: SampleContext) => envelope(c, 'applicantDeleted', 'init'),
  'workflow-completed': (c: SampleContext) =>
    envelope(c, 'applicantWorkflowCompleted', 'completed', { reviewResult: { reviewAnswer: 'GREEN' } }),
} as const;

export type SampleName = keyof typeof SAMPLES;
export const SAMPLE_NAMES = Object.keys(SAMPLES) as SampleName[];
export const isSampleName = (name: string): name is SampleName => Object.hasOwn(SAMPLES, name);
