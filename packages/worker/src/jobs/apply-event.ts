import { accountEventId, accountOf, tracing } from '@kyc/runtime';
import { type EventJob, EventJobSchema, JOB_NAMES, SUMSUB_DELETION_EVENT_TYPES } from '@kyc/jobs';
import { futureTimeError, isParseFailure, type ParsedWebhook, parseWebhook, verifySignature } from '@kyc/sumsub-webhook';
import { RECONCILE_DIGEST_ALGORITHM, verifyReconciled } from '@kyc/sumsub-api';
import type { Applied, ApplyOutcome, LedgerEvent, Sql } from '@kyc/db/plain';
import { explainRejection, unknownCodes } from '@kyc/rejections';
import type { Job } from 'bullmq';
import { ContractViolation, VerificationFailed } from '../errors.ts';
import type { ReportUnknown } from '../rejections.ts';
import type { JobDefinition } from './definition.ts';

export type ApplyEventDeps = {
  /** Everything but the apply statement (dead letters are recorded through it). */
  sql: Sql;
  /** Applies one event, batched with the other jobs' (apply-batcher.ts); resolves after its commit. */
  apply: (event: LedgerEvent) => Promise<Applied>;
  /**
   * Per account: its current and retired webhook secrets (stored events signed with
   * a retired one stay replayable), and its API secret key, which signs the events
   * read back from Sumsub's API (source "reconcile"; unset: those cannot be verified).
   */
  keys: ReadonlyMap<string, AccountKeys>;
  maxClockSkewMs: number;
  /** Queues the fetch of document-level results for a RED review (when the account has Sumsub API credentials). */
  requestDocuments?: ((applicantId: string, eventId: string, account: string) => Promise<void>) | undefined;
  /** Counts and logs rejection codes the catalogue does not know (once per event stored). */
  reportUnknown?: ReportUnknown | undefined;
  /** Queues an erasure; set when ERASE_ON_SUMSUB_DELETION=1 (Sumsub's deletion events erase the applicant here). */
  requestErasure?: ((applicantId: string, actor: string) => Promise<void>) | undefined;
};

/** One account's verification keys. */
export type AccountKeys = { secrets: readonly string[]; reconcileKey: string | undefined };

/** What a finished job reports: its outcome and the ids its log line needs. */
export type AppliedJob = { outcome: ApplyOutcome; eventId: string; type: string; applicantId: string | undefined; account: string };

/**
 * Verifies the signature the body arrived with, against the secrets of the
 * account the job names, and only those: a body signed by another account fails
 * here whatever the job says. The job's data is not trusted: anyone who can write
 * to Redis or use the dashboard could have added it.
 */
export function verifyJob(data: EventJob, deps: Pick<ApplyEventDeps, 'keys'>): void {
  const account = accountOf(data.account);
  const keys = deps.keys.get(account);
  if (!keys) throw new VerificationFailed(`the job names the Sumsub account ${account}, which is not configured`);
  if (data.source === 'reconcile') {
    if (!keys.reconcileKey)
      throw new VerificationFailed(`a reconcile event, and no secret key of the account ${account} to verify it with`);
    if (data.digestAlgorithm !== RECONCILE_DIGEST_ALGORITHM || !verifyReconciled(data.rawBody, data.digest, keys.reconcileKey)) {
      throw new VerificationFailed(`the reconcile event is not signed with the key derived from the account ${account}'s secret key`);
    }
    return;
  }
  const check = verifySignature(Buffer.from(data.rawBody, 'utf8'), data.digest, data.digestAlgorithm, keys.secrets);
  if (!check.ok) throw new VerificationFailed(check.message);
}

/** Re-reads the raw body through the contract intake used; failing it is permanent. */
export function parseJobEvent(data: EventJob, maxClockSkewMs: number, now = Date.now()): ParsedWebhook {
  const content = parseWebhook(data.rawBody);
  if (isParseFailure(content)) throw new ContractViolation(content.message);
  const parsed = { ...content, eventId: accountEventId(content.eventId, accountOf(data.account)) };
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
    account: accountOf(data.account),
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
    if (deps.reportUnknown && applicantId && (outcome === 'applied' || outcome === 'stale')) {
      deps.reportUnknown(unknownCodes(explainRejection(parsed.payload.reviewResult ?? {})), applicantId);
    }
    const account = accountOf(data.account);
    if (wantsDocuments && deps.requestDocuments && applicantId) await deps.requestDocuments(applicantId, parsed.eventId, account);
    // Also for a duplicate: the erasure may not have been queued when this job first ran.
    // Not for an event of another account's applicant: it never acts on that applicant.
    const acts = outcome !== 'erased' && outcome !== 'wrong_account';
    if (deps.requestErasure && applicantId && acts && SUMSUB_DELETION_EVENT_TYPES.has(parsed.payload.type)) {
      await deps.requestErasure(applicantId, `sumsub:${parsed.payload.type}`);
    }
    return { outcome, eventId: parsed.eventId, type: parsed.payload.type, applicantId: parsed.payload.applicantId, account };
  },
} as const satisfies JobDefinition<typeof EventJobSchema, AppliedJob, ApplyEventDeps>;
