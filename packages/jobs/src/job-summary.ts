import { eventTimeOf } from '@kyc/sumsub-webhook';

// What an operator may see of a job without opening its body: the dashboard, the
// jobs-by-applicant listing and the dead-letter log line read these. Never the raw
// body, the digest, names or clientComment: only ids, type, verdict and times.

/** An event job's readable fields (no personal data). */
export type EventJobSummary = {
  eventId: string;
  type: string;
  applicantId: string | null;
  correlationId: string | null;
  reviewStatus: string | null;
  reviewAnswer: string | null;
  reviewRejectType: string | null;
  rejectLabels: string[];
  /** The event's time (Sumsub's createdAtMs), ISO; null when the body does not say. */
  eventAt: string | null;
  /** When intake received it, ISO. */
  receivedAt: string | null;
  source: string | null;
  /** Sumsub's clientId (the account), where the payload carries one. */
  account: string | null;
};

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function parseObject(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isoOf(payload: Record<string, unknown>): string | null {
  const time = eventTimeOf({ createdAtMs: text(payload.createdAtMs), createdAt: text(payload.createdAt) });
  return 'at' in time ? new Date(time.at).toISOString() : null;
}

/**
 * The readable fields of an event job's data ({eventId, rawBody, receivedAt, source...}).
 * Tolerant: a job anyone could have added through Redis still gets a summary,
 * with `type` `(unreadable body)` when its body is not a JSON object.
 */
export function eventJobSummary(data: unknown): EventJobSummary {
  const job = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const payload = parseObject(job.rawBody);
  const review = (typeof payload?.reviewResult === 'object' && payload.reviewResult !== null ? payload.reviewResult : {}) as Record<
    string,
    unknown
  >;
  const labels = Array.isArray(review.rejectLabels) ? review.rejectLabels.filter((l): l is string => typeof l === 'string') : [];
  return {
    eventId: text(job.eventId) ?? '',
    type: payload ? (text(payload.type) ?? '(no type)') : '(unreadable body)',
    applicantId: text(payload?.applicantId),
    correlationId: text(payload?.correlationId),
    reviewStatus: text(payload?.reviewStatus),
    reviewAnswer: text(review.reviewAnswer),
    reviewRejectType: text(review.reviewRejectType),
    rejectLabels: labels,
    eventAt: payload ? isoOf(payload) : null,
    receivedAt: typeof job.receivedAt === 'number' && Number.isFinite(job.receivedAt) ? new Date(job.receivedAt).toISOString() : null,
    source: text(job.source),
    account: text(payload?.clientId),
  };
}

/** The verdict as one word: `GREEN`, `RED/FINAL`, `RED/RETRY`; null without a review answer. */
export function verdictOf(summary: Pick<EventJobSummary, 'reviewAnswer' | 'reviewRejectType'>): string | null {
  if (!summary.reviewAnswer) return null;
  return summary.reviewRejectType ? `${summary.reviewAnswer}/${summary.reviewRejectType}` : summary.reviewAnswer;
}

/** `applicantReviewed · 5cb5… · RED/FINAL`: what an event job is about, in one line. */
export function eventJobTitle(summary: EventJobSummary): string {
  return [summary.type, summary.applicantId ?? '(no applicant)', verdictOf(summary)].filter((part) => part !== null).join(' · ');
}

const MAX_CAUSE = 300;

/**
 * An error's cause in one line: its first line, without a stack, at most 300
 * characters. A PostgreSQL error's statement context (pg's `where`) is never part of it.
 */
export function oneLineCause(message: string | null | undefined): string {
  const text = message ?? '';
  // Prisma wraps a database error in lines of its own: the database's message is the cause.
  const prisma = /Raw query failed\. Code: `[^`]*`\. Message: `([^`]*)`/.exec(text);
  const first = prisma?.[1] ?? text.split('\n').find((line) => line.trim() !== '' && !/^\w*Error:\s*$/.test(line.trim())) ?? '';
  const line = first.trim();
  return line.length > MAX_CAUSE ? `${line.slice(0, MAX_CAUSE - 1)}…` : line;
}
