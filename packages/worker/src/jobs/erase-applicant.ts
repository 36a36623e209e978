import { EraseJobSchema, type EraseJob, JOB_NAMES } from '@kyc/jobs';
import { recordAudit } from '@kyc/db/plain';
import { type Erasure, eraseApplicant } from '@kyc/erasure';
import type { Job } from 'bullmq';
import type { ErasureDeps } from '../erasure/deps.ts';
import type { JobDefinition } from './definition.ts';

/** An erasure Sumsub asked for (applicantDeleted, applicantPersonalDataDeleted with ERASE_ON_SUMSUB_DELETION=1). */
export const eraseApplicantJob = {
  name: JOB_NAMES.eraseApplicant,
  schema: EraseJobSchema,
  async handle(data: EraseJob, _job: Job, deps: ErasureDeps): Promise<Erasure> {
    // Sumsub deleted the person: erased even when no event of theirs was kept here.
    const erasure = await eraseApplicant(deps.sql, deps.queues, data.applicantId, data.actor, { force: true });
    if (!erasure) throw new Error('a forced erasure erased nothing');
    await recordAudit(deps.sql, {
      actor: data.actor,
      action: 'erase',
      target: data.applicantId,
      outcome: `erased ${erasure.events} events, ${erasure.jobs} jobs`,
    });
    deps.metrics.erasures.inc({ by: 'sumsub' });
    return erasure;
  },
} as const satisfies JobDefinition<typeof EraseJobSchema, Erasure, ErasureDeps>;
