import {
  type EventJob,
  EventJobSchema,
  futureTimeError,
  isParseFailure,
  JOB_NAMES,
  type ParsedWebhook,
  parseWebhook,
  RECONCILE_DIGEST_ALGORITHM,
  SUMSUB_DELETION_EVENT_TYPES,
  tracing,
  verifyReconciled,
  verifySignature,
} from '@kyc/contracts';
import type { Applied, ApplyOutcome, LedgerEvent, Sql } from '@kyc/db/plain';
import type { Job } from 'bullmq';
import { ContractViolation, VerificationFailed } from '../errors.ts';
import type { JobDefinition } from './definition.ts';

export type ApplyEventDeps = {
  /** Everything but the apply statement (dead letters are recorded through it). */
  sql: Sql;
  /** Applies one event, batched with the other jobs' (apply-batcher.ts); resolves after its commit. */
  apply: (event: LedgerEvent) => Promise<Applied>;
  /** Current and retired webhook secrets: stored events signed with a retired one stay replayable. */
  secrets: readonly string[];
  /** SUMSUB_SECRET_KEY, which signs events read back from Sumsub's API (source "reconcile"); unset: those cannot be verified. */
  reconcileKey?: string | undefined;
  maxClockSkewMs: number;
  /** Queues the fetch of document-level results for a RED review (when the Sumsub API is configured). */
  requestDocuments?: ((applicantId: string, eventId: string) => Promise<void>) | undefined;
  /** Queues an erasure; set when ERASE_ON_SUMSUB_DELETION=1 (Sumsub's deletion events erase the applicant here). */
  requestErasure?: ((applicantId: string, actor: string) => Promise<void>) | undefined;
};

/** What a finished job reports: its outcome and the ids its log line needs. */
export type AppliedJob = { outcome: ApplyOutcome; eventId: string; type: string; applicantId: string | undefined };

/**
 * Verifies the signature the body arrived with, against every configured secret.
 * The job's data is not trusted: anyone who can write to Redis or use the
 * dashboard could have added it.
 */
export function verifyJob(data: EventJob, keys: Pick<ApplyEventDeps, 'secrets' | 'reconcileKey'>): void {
  if (data.source === 'reconcile') {
    if (!keys.reconcileKey) throw new VerificationFailed('a reconcile event, and no SUMSUB_SECRET_KEY to verify it with');
    if (data.digestAlgorithm !== RECONCILE_DIGEST_ALGORITHM || !verifyReconciled(data.rawBody, data.digest, keys.reconcileKey)) {
      throw new VerificationFailed('the reconcile event is not signed with the key derived from SUMSUB_SECRET_KEY');
    }
    return;
  }
  const check = verifySignature(Buffer.from(data.rawBody, 'utf8'), data.digest, data.digestAlgorithm, keys.secrets);
  if (!check.ok) throw new VerificationFailed(check.message);
}

/** Re-reads the raw body through the contract intake used; failing it is permanent. */
export function parseJobEvent(data: EventJob, maxClockSkewMs: number, now = Date.now()): ParsedWebhook {
  const parsed = parseWebhook(data.rawBody);
  if (isParseFailure(parsed)) throw new ContractViolation(parsed.message);
  if (parsed.eventId !== data.eventId) throw new ContractViolation(`event id ${parsed.eventId} does not match job ${data.eventId}`);
  const future = futureTimeError(parsed.eventAt, now, maxClockSkewMs);
  if (future) throw new ContractViolation(future);
  return parsed;
}

/** The event as the ledger stores it. */
export function ledgerEvent(parsed: ParsedWebhook, data: EventJob, attempts: number): LedgerEvent {
  return {
    ...parsed,
    rawBody: data.rawBody,
    digest: data.digest,
    digestAlgorithm: data.digestAlgorithm,
    receivedAt: data.receivedAt,
    attempts,
    source: data.source,
  };
}

/** Verify, parse, apply: one Sumsub event into its applicant's record, exactly once. */
export const applyEventJob = {
  name: JOB_NAMES.applyEvent,
  schema: EventJobSchema,
  async handle(data: EventJob, job: Job, deps: ApplyEventDeps): Promise<AppliedJob> {
    verifyJob(data, deps);
    const parsed = parseJobEvent(data, deps.maxClockSkewMs);
    // With tracing on, the outbox row keeps this job's trace context: the notification continues the trace.
    const event = { ...ledgerEvent(parsed, data, job.attemptsMade + 1), traceContext: tracing()?.traceparent() };
    const { outcome, wantsDocuments } = await deps.apply(event);
    // After the commit, and again if this job runs twice (a duplicate still wants them): the job id is the event's.
    const applicantId = parsed.payload.applicantId;
    if (wantsDocuments && deps.requestDocuments && applicantId) await deps.requestDocuments(applicantId, parsed.eventId);
    // Also for a duplicate: the erasure may not have been queued when this job first ran.
    if (deps.requestErasure && applicantId && outcome !== 'erased' && SUMSUB_DELETION_EVENT_TYPES.has(parsed.payload.type)) {
      await deps.requestErasure(applicantId, `sumsub:${parsed.payload.type}`);
    }
    return { outcome, eventId: parsed.eventId, type: parsed.payload.type, applicantId: parsed.payload.applicantId };
  },
} as const satisfies JobDefinition<typeof EventJobSchema, AppliedJob, ApplyEventDeps>;
