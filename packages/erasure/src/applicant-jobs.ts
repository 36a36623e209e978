import type { Job, JobType, Queue } from 'bullmq';
import { type ErasureQueues } from './queues.ts';

// Finding an applicant's jobs in Redis, in every state. Jobs are matched by what
// each queue's jobs carry, parsed, never by comparing raw text (JSON can spell
// one id many ways, e.g. with \u escapes): the event id (an event job's id is
// its event's) or the applicant id of the parsed raw body (events), a delivery id
// (notifications), the applicant id (Sumsub API calls).

const STATES: JobType[] = ['waiting', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed', 'active'];
const PAGE = 500;

export type Matcher = (job: Job) => boolean;

/** What an applicant's jobs are known by: the applicant id, and the ids the database gave back. */
export type ApplicantKeys = { applicantId: string; eventIds: ReadonlySet<string>; deliveryIds: ReadonlySet<string> };

/** The applicant id of an event job's raw body, as the worker would parse it. */
export function applicantOfEventJob(job: Job): string | undefined {
  const raw = (job.data as { rawBody?: unknown } | undefined)?.rawBody;
  if (typeof raw !== 'string') return undefined;
  try {
    const id = (JSON.parse(raw) as { applicantId?: unknown } | null)?.applicantId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

export function matchers(queues: Omit<ErasureQueues, 'redis'>, keys: ApplicantKeys): [Queue, Matcher][] {
  const byEvent: Matcher = (job) => (job.id !== undefined && keys.eventIds.has(job.id)) || applicantOfEventJob(job) === keys.applicantId;
  const byDelivery: Matcher = (job) => keys.deliveryIds.has(String((job.data as { deliveryId?: unknown })?.deliveryId));
  const byApplicant: Matcher = (job) => (job.data as { applicantId?: unknown })?.applicantId === keys.applicantId;
  return [
    ...queues.events.map((queue): [Queue, Matcher] => [queue, byEvent]),
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

/** Whether any queue holds a job of the applicant (an id the database has not seen may still be waiting in Redis). */
export async function hasJobs(queues: ErasureQueues, applicantId: string): Promise<boolean> {
  const keys = { applicantId, eventIds: new Set<string>(), deliveryIds: new Set<string>() };
  for (const [queue, match] of matchers(queues, keys)) if ((await jobsOf(queue, match)).length > 0) return true;
  return false;
}
