import { type EventJobSummary, eventJobSummary, eventJobTitle, JOB_NAMES, oneLineCause, QUEUES } from '@kyc/jobs';
import type { DeliveryView } from '@kyc/db/plain';

// How a job reads to an operator (the dashboard and GET /admin/applicants/:id/jobs):
// a title that says what it is about, readable fields instead of its data, and
// the cause of a failure in one line. Never the raw body, digest, names or
// clientComment.

export type QueueKind = 'events' | 'notifications' | 'sumsub-api' | 'lifecycle';

export const QUEUE_KIND_OF: Record<string, QueueKind> = {
  [QUEUES.sumsubEvents]: 'events',
  [QUEUES.notifications]: 'notifications',
  [QUEUES.sumsubApi]: 'sumsub-api',
  [QUEUES.erasure]: 'lifecycle',
};

export const QUEUE_DESCRIPTIONS: Record<QueueKind, string> = {
  events:
    'Sumsub webhooks to verify and apply to the applicant record, one job per event. A failed job is a dead letter: retry it here or with pnpm cli replay.',
  notifications: 'Signed decision notifications to your endpoints, one job per delivery (endpoint, applicant, version).',
  'sumsub-api': "Calls to Sumsub's API under one rate limit: document results of RED reviews, reconciliation of missed reviews.",
  lifecycle: 'Erasures (Sumsub deletion events, pnpm cli erase) and the hourly retention pass (PAYLOAD_RETENTION_DAYS).',
};

/** What a page of jobs needs from the database to be readable (notifications carry ids only). */
export type JobContext = { deliveries: ReadonlyMap<string, DeliveryView> };
export const EMPTY_CONTEXT: JobContext = { deliveries: new Map() };

type Data = Record<string, unknown>;
const asData = (data: unknown): Data => (typeof data === 'object' && data !== null ? (data as Data) : {});
const str = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

function deliveryOf(data: Data, context: JobContext): DeliveryView | undefined {
  return context.deliveries.get(str(data.deliveryId));
}

function deliveryTitle(data: Data, context: JobContext): string {
  const delivery = deliveryOf(data, context);
  if (!delivery) return `notify · delivery ${str(data.deliveryId)} (not in the database)`;
  return `notify · ${delivery.endpoint} · ${delivery.applicantId} · v${delivery.version} · ${delivery.decision ?? 'no decision'}`;
}

const minutes = (ms: unknown) => (typeof ms === 'number' ? `${Math.round(ms / 60_000)} min` : '?');

function otherTitle(name: string, data: Data): string {
  switch (name) {
    case JOB_NAMES.fetchDocuments:
      return `fetch documents · ${str(data.applicantId)}${data.reviewEventId === null ? ' (manual refresh)' : ''}`;
    case JOB_NAMES.reconcileApplicant:
      return `reconcile · ${str(data.applicantId)}`;
    case JOB_NAMES.reconcileStale:
      return `reconcile stale applicants (older than ${minutes(data.staleAfterMs)})`;
    case JOB_NAMES.eraseApplicant:
      return `erase · ${str(data.applicantId)}`;
    case JOB_NAMES.purge:
      return `retention pass (older than ${str(data.retentionDays)} days)`;
    default:
      return name;
  }
}

/** A job's title: `applicantReviewed · <applicantId> · RED/FINAL`, `notify · <endpoint> · <applicant> · v3 · approved`... */
export function jobTitle(kind: QueueKind, name: string, data: unknown, context: JobContext = EMPTY_CONTEXT): string {
  const fields = asData(data);
  if (kind === 'events') return eventJobTitle(eventJobSummary(fields));
  if (kind === 'notifications') return deliveryTitle(fields, context);
  return otherTitle(name, fields);
}

/** The fields a job's data is shown as. */
export function jobFields(kind: QueueKind, data: unknown, context: JobContext = EMPTY_CONTEXT): EventJobSummary | Data {
  const fields = asData(data);
  if (kind === 'events') return eventJobSummary(fields);
  if (kind === 'notifications') {
    const delivery = deliveryOf(fields, context);
    return {
      deliveryId: str(fields.deliveryId),
      generation: fields.generation,
      ...(delivery ?? { note: 'no such delivery in the database' }),
    };
  }
  // Sumsub API and lifecycle jobs carry ids and numbers only; the actor of an erasure is an operator name or sumsub:<type>.
  return fields;
}

/** The applicant a job is about, when its data says (events: the body; the rest: applicantId or the delivery). */
export function applicantOf(kind: QueueKind, data: unknown, context: JobContext = EMPTY_CONTEXT): string | null {
  const fields = asData(data);
  if (kind === 'events') return eventJobSummary(fields).applicantId;
  if (kind === 'notifications') return deliveryOf(fields, context)?.applicantId ?? null;
  return typeof fields.applicantId === 'string' ? fields.applicantId : null;
}

/** A finished job's result as shown: an event's outcome as {outcome}; the others' results carry ids and counts only. */
export function jobResult(kind: QueueKind, returnValue: unknown): unknown {
  if (kind === 'events' && typeof returnValue === 'string') return { outcome: returnValue };
  return returnValue;
}

/** The cause of a failure in one line (the stack is in the worker's log). */
export const failureCause = (failedReason: unknown): string | null =>
  typeof failedReason === 'string' && failedReason !== '' ? oneLineCause(failedReason) : null;
