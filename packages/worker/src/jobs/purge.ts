import { JOB_NAMES, type PurgeJob, PurgeJobSchema } from '@kyc/jobs';
import { recordAudit } from '@kyc/db/plain';
import { horizonOf, type Purged, purge } from '@kyc/erasure';
import type { Job } from 'bullmq';
import type { ErasureDeps } from '../erasure/deps.ts';
import type { JobDefinition } from './definition.ts';

/** The retention pass PAYLOAD_RETENTION_DAYS schedules (hourly, one at a time for the deployment). */
export const purgeJob = {
  name: JOB_NAMES.purge,
  schema: PurgeJobSchema,
  // A scheduler's run: the next one comes within the hour, so few attempts and a short history.
  options: { attempts: 3, removeOnComplete: 100, removeOnFail: 100 },
  async handle(data: PurgeJob, _job: Job, deps: ErasureDeps): Promise<Purged> {
    const purged = await purge(deps.sql, deps.queues, horizonOf(data.retentionDays));
    await recordAudit(deps.sql, {
      actor: 'scheduler',
      action: 'purge',
      target: `older than ${data.retentionDays} days`,
      outcome: `stripped ${purged.events} events, ${purged.notifications} notifications; removed ${purged.jobs} jobs`,
    });
    deps.metrics.purged.inc({ what: 'events' }, purged.events);
    deps.metrics.purged.inc({ what: 'notifications' }, purged.notifications);
    deps.metrics.purged.inc({ what: 'jobs' }, purged.jobs);
    return purged;
  },
} as const satisfies JobDefinition<typeof PurgeJobSchema, Purged, ErasureDeps>;
