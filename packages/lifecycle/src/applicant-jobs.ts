import type { Job, JobType, Queue } from 'bullmq';
import { type LifecycleQueues } from './queues.ts';

// Finding an applicant's jobs in Redis, in every state. Jobs are matched by what
// each queue's jobs carry: the raw body (events), a delivery id (notifications),
// the applicant id (Sumsub API calls).

const STATES: JobType[] = ['waiting', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed', 'active'];
const PAGE = 500;

export type Matcher = (job: Job) => boolean;

function applicantOfRawBody(job: Job): string | undefined {
  const raw = (job.data as { rawBody?: unknown } | undefined)?.rawBody;
  if (typeof raw !== 'string') return undefined;
  try {
    const id = (JSON.parse(raw) as { applicantId?: unknown }).applicantId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

export function matchers(queues: LifecycleQueues, applicantId: string, deliveryIds: ReadonlySet<string>): [Queue, Matcher][] {
  // A cheap text test first: most jobs are someone else's.
  const byBody: Matcher = (job) =>
    typeof (job.data as { rawBody?: unknown })?.rawBody === 'string' &&
    ((job.data as { rawBody: string }).rawBody.includes(applicantId) ? applicantOfRawBody(job) === applicantId : false);
  const byDelivery: Matcher = (job) => deliveryIds.has(String((job.data as { deliveryId?: unknown })?.deliveryId));
  const byApplicant: Matcher = (job) => (job.data as { applicantId?: unknown })?.applicantId === applicantId;
  return [
    ...queues.events.map((queue): [Queue, Matcher] => [queue, byBody]),
    [queues.notifications, byDelivery],
    ...(queues.sumsubApi ? [[queues.sumsubApi, byApplicant] as [Queue, Matcher]] : []),
  ];
}

/** The applicant's jobs in one queue, with their state (active ones cannot be removed until they finish). */
export async function jobsOf(queue: Queue, match: Matcher): Promise<{ job: Job; state: JobType; active: boolean }[]> {
  const found: { job: Job; state: JobType; active: boolean }[] = [];
  for (const state of STATES) {
    for (let start = 0; ; start += PAGE) {
      const page = await queue.getJobs([state], start, start + PAGE - 1, true);
      for (const job of page) if (job && match(job)) found.push({ job, state, active: state === 'active' });
      if (page.length < PAGE) break;
    }
  }
  return found;
}
