import { JOB_NAMES, reconcileJob, type ReconcileStaleJob, ReconcileStaleJobSchema } from '@kyc/jobs';
import { staleApplicants } from '@kyc/db/plain';
import type { Job } from 'bullmq';
import type { SumsubDeps } from '../sumsub/deps.ts';
import type { JobDefinition } from './definition.ts';

const PAGE = 500;

/**
 * The periodic run (RECONCILE_INTERVAL), one per Sumsub account with API
 * credentials: every applicant of that account whose review is not completed and
 * whose newest event is older than the interval gets a reconcile job. Each
 * account's scheduler makes one run at a time across all workers; the rate
 * limiter paces the calls.
 */
export const reconcileStaleJob = {
  name: JOB_NAMES.reconcileStale,
  schema: ReconcileStaleJobSchema,
  // A scheduler's run: the next one comes anyway, so few attempts and a short history.
  options: { attempts: 3, removeOnComplete: 100, removeOnFail: 100 },
  async handle(data: ReconcileStaleJob, job: Job, deps: SumsubDeps): Promise<{ queued: number }> {
    const before = new Date(Date.now() - data.staleAfterMs);
    const runId = `stale-${deps.account}-${job.id ?? Date.now()}`;
    let queued = 0;
    let after: string | undefined;
    for (;;) {
      const ids = await staleApplicants(deps.sql, before, PAGE, after, deps.account);
      await deps.enqueue(ids.map((id) => reconcileJob(id, runId, undefined, deps.account)));
      queued += ids.length;
      if (ids.length < PAGE) return { queued };
      after = ids[ids.length - 1];
    }
  },
} as const satisfies JobDefinition<typeof ReconcileStaleJobSchema, { queued: number }, SumsubDeps>;
