import { EventJobSchema, isParseFailure, JOB_NAMES, parseWebhook, type ParsedWebhook } from '@kyc/contracts';
import { type ApplyOutcome, applyEvent, type Db } from '@kyc/db';
import { UnrecoverableError } from 'bullmq';
import type { ProcessorDefinition } from './contracts.ts';

export class ContractViolation extends UnrecoverableError {
  constructor(message: string) {
    super(`payload violates the contract: ${message}`);
    this.name = 'ContractViolation';
  }
}

/** Re-reads the raw body through the same contract intake used; failing it is permanent. */
export function parseJobEvent(rawBody: string, expectedEventId: string): ParsedWebhook {
  const parsed = parseWebhook(rawBody);
  if (isParseFailure(parsed)) throw new ContractViolation(parsed.message);
  if (parsed.eventId !== expectedEventId) throw new ContractViolation(`event id ${parsed.eventId} does not match job ${expectedEventId}`);
  return parsed;
}

/** What a finished job reports: its outcome and the ids its log line needs. */
export type AppliedJob = { outcome: ApplyOutcome; eventId: string; type: string; applicantId: string };

export function applyEventProcessor(db: Db): ProcessorDefinition<typeof EventJobSchema, AppliedJob> {
  return {
    name: JOB_NAMES.applyEvent,
    schema: EventJobSchema,
    async handle(data, job) {
      const event = parseJobEvent(data.rawBody, data.eventId);
      const outcome = await applyEvent(db, { event, receivedAt: new Date(data.receivedAt), attempts: job.attemptsMade + 1 });
      return { outcome, eventId: event.eventId, type: event.payload.type, applicantId: event.payload.applicantId };
    },
  };
}
