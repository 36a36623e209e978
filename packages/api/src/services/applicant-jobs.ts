import { applicantDeliveryIds, deliveryViews, listApplicantEvents, type Sql } from '@kyc/db/plain';
import { jobsOf, type Matcher, matchers } from '@kyc/erasure';
import type { Static } from '@sinclair/typebox';
import type { Job, Queue } from 'bullmq';
import { boardLabel, boardName, type DashboardQueue } from '../routes/admin/dashboard-adapter.ts';
import { DASHBOARD_PATH } from '../routes/admin/queues.ts';
import type { ApplicantJob } from '../schemas/jobs.ts';
import { failureCause, type JobContext, jobTitle, QUEUE_KIND_OF } from './job-view.ts';

export type ApplicantJobRow = Static<typeof ApplicantJob>;

/** Every queue the dashboard shows, by kind: where an applicant's jobs can be. */
export type ShownQueues = {
  events: readonly DashboardQueue[];
  notifications: Queue;
  sumsubApi?: Queue | undefined;
  lifecycle?: Queue | undefined;
};

export const shownQueues = (queues: ShownQueues): DashboardQueue[] => [
  ...queues.events,
  { queue: queues.notifications },
  ...(queues.sumsubApi ? [{ queue: queues.sumsubApi }] : []),
  ...(queues.lifecycle ? [{ queue: queues.lifecycle }] : []),
];

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);
const STATE_ORDER = ['failed', 'active', 'waiting', 'prioritized', 'delayed', 'waiting-children', 'completed'];

function row(board: DashboardQueue, job: Job, state: string, context: JobContext): ApplicantJobRow {
  const kind = QUEUE_KIND_OF[board.queue.name] ?? 'lifecycle';
  const jobId = String(job.id);
  return {
    queue: boardLabel(board),
    state,
    jobId,
    name: jobTitle(kind, job.name, job.data, context),
    jobName: job.name,
    attempts: job.attemptsMade,
    failureCause: state === 'failed' ? failureCause(job.failedReason) : null,
    addedAt: new Date(job.timestamp).toISOString(),
    finishedAt: iso(job.finishedOn),
    ...(kind === 'events' ? { eventId: (job.data as { eventId?: string }).eventId ?? null } : {}),
    dashboardUrl: `${DASHBOARD_PATH}/queue/${encodeURIComponent(boardName(board))}/${encodeURIComponent(jobId)}`,
  };
}

/**
 * Every job of one applicant, in every queue and state: events by their body,
 * deliveries by the applicant's delivery ids, Sumsub API calls and erasures by
 * their applicantId. A scan of each queue (as erasure does): an admin tool, not a hot path.
 */
export async function findApplicantJobs(sql: Sql, queues: ShownQueues, applicantId: string): Promise<ApplicantJobRow[]> {
  const deliveryIds = new Set(await applicantDeliveryIds(sql, applicantId));
  const eventIds = new Set((await listApplicantEvents(sql, applicantId)).map((event) => event.eventId));
  const boards = new Map(shownQueues(queues).map((board) => [board.queue, board]));
  const byApplicant: Matcher = (job) => (job.data as { applicantId?: unknown } | undefined)?.applicantId === applicantId;
  const searched: [Queue, Matcher][] = [
    ...matchers(
      { events: queues.events.map((e) => e.queue), notifications: queues.notifications, sumsubApi: queues.sumsubApi },
      { applicantId, eventIds, deliveryIds },
    ),
    ...(queues.lifecycle ? [[queues.lifecycle, byApplicant] as [Queue, Matcher]] : []),
  ];
  const context: JobContext = { deliveries: await deliveryViews(sql, [...deliveryIds]) };
  const rows: ApplicantJobRow[] = [];
  for (const [queue, match] of searched) {
    const board = boards.get(queue) ?? { queue };
    const seen = new Set<string>();
    for (const { job, state } of await jobsOf(queue, match)) {
      if (seen.has(String(job.id))) continue; // moved between states while the sets were read
      seen.add(String(job.id));
      rows.push(row(board, job, state, context));
    }
  }
  return rows.sort((a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || b.addedAt.localeCompare(a.addedAt));
}
