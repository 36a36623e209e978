import { deliveryJobId } from '@kyc/jobs';
import type { Job, JobType, Queue } from 'bullmq';
import { type ErasureQueues } from './queues.ts';

// Finding an applicant's jobs in Redis, in every state, by the ids the database
// already knows wherever it knows them, never by reading every job kept:
// - an event job's id is its event's id, and every event that ran is in
//   PostgreSQL. Only the jobs it has not recorded are looked for by body: those
//   not run yet (the pending states) and dead letters the worker could not record
//   (the failed set). The completed set, the bulk of what retention keeps, is
//   never read.
// - a delivery's jobs are named by its id and generation (the database's).
// - a Sumsub API call's id is random by design (an erased person's id must not be
//   in a job id), so that small queue is still read, by its jobs' applicantId.
// A body is matched parsed, never as raw text (JSON can spell one id many ways,
// e.g. with \u escapes).

const STATES: JobType[] = ['waiting', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed', 'active'];
/** Where an event job PostgreSQL has not recorded can be. */
const UNRECORDED_STATES: JobType[] = ['waiting', 'delayed', 'prioritized', 'waiting-children', 'active', 'failed'];
const PAGE = 500;

export type Matcher = (job: Job) => boolean;

/** What an applicant's jobs are known by: the applicant id, and the ids the database gave back. */
export type ApplicantKeys = { applicantId: string; eventIds: ReadonlySet<string>; deliveryIds: ReadonlySet<string> };

/** The ids the database holds for an applicant's jobs: event ids, and each delivery's id with its last generation. */
export type KnownJobIds = {
  applicantId: string;
  eventIds: readonly string[];
  deliveries: readonly { deliveryId: string; generation: number }[];
};

/** A job found, and whether it is running (it cannot be removed until it finishes). */
export type FoundJob = { job: Job; active: boolean };

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

const byApplicantField =
  (applicantId: string): Matcher =>
  (job) =>
    (job.data as { applicantId?: unknown } | undefined)?.applicantId === applicantId;

/** Matchers for a scan of every queue (the jobs-by-applicant listing). */
export function matchers(queues: Omit<ErasureQueues, 'redis'>, keys: ApplicantKeys): [Queue, Matcher][] {
  const byEvent: Matcher = (job) => (job.id !== undefined && keys.eventIds.has(job.id)) || applicantOfEventJob(job) === keys.applicantId;
  const byDelivery: Matcher = (job) => keys.deliveryIds.has(String((job.data as { deliveryId?: unknown })?.deliveryId));
  return [
    ...queues.events.map((queue): [Queue, Matcher] => [queue, byEvent]),
    [queues.notifications, byDelivery],
    ...(queues.sumsubApi ? [[queues.sumsubApi, byApplicantField(keys.applicantId)] as [Queue, Matcher]] : []),
  ];
}

/** The matching jobs of one queue in `states`, with their state. */
export async function jobsOf(queue: Queue, match: Matcher, states: readonly JobType[] = STATES) {
  const found: { job: Job; state: JobType; active: boolean }[] = [];
  for (const state of states) {
    for (let start = 0; ; start += PAGE) {
      const page = await queue.getJobs([state], start, start + PAGE - 1, true);
      for (const job of page) if (job && match(job)) found.push({ job, state, active: state === 'active' });
      if (page.length < PAGE) break;
    }
  }
  return found;
}

/** The jobs of one queue with these ids, in whatever state. */
async function jobsById(queue: Queue, ids: readonly string[]): Promise<FoundJob[]> {
  const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
  return Promise.all(
    jobs.filter((job): job is Job => job !== undefined).map(async (job) => ({ job, active: (await job.getState()) === 'active' })),
  );
}

const unique = (found: readonly FoundJob[]): FoundJob[] => [...new Map(found.map((f) => [String(f.job.id), f])).values()];

/** Every job id a delivery has had: one per generation (a replay of a given-up delivery is a new job). */
const deliveryJobIds = (deliveries: KnownJobIds['deliveries']) =>
  deliveries.flatMap(({ deliveryId, generation }) =>
    Array.from({ length: generation + 1 }, (_, g) => deliveryJobId({ deliveryId, generation: g })),
  );

/** An event shard's jobs of the applicant: by event id, and by body where PostgreSQL has not recorded them. */
async function eventJobsOf(queue: Queue, known: KnownJobIds): Promise<FoundJob[]> {
  const unrecorded = await jobsOf(queue, (job) => applicantOfEventJob(job) === known.applicantId, UNRECORDED_STATES);
  return unique([...(await jobsById(queue, known.eventIds)), ...unrecorded]);
}

/** The applicant's jobs, queue by queue: looked up by the ids the database knows, read only where it cannot know them. */
export async function applicantJobs(queues: ErasureQueues, known: KnownJobIds): Promise<[Queue, FoundJob[]][]> {
  const found: [Queue, FoundJob[]][] = [];
  for (const queue of queues.events) found.push([queue, await eventJobsOf(queue, known)]);
  found.push([queues.notifications, await jobsById(queues.notifications, deliveryJobIds(known.deliveries))]);
  if (queues.sumsubApi) found.push([queues.sumsubApi, await jobsOf(queues.sumsubApi, byApplicantField(known.applicantId))]);
  return found;
}

/** Whether any queue holds a job of an applicant the database does not know (its events may be waiting in Redis). */
export async function hasJobs(queues: ErasureQueues, applicantId: string): Promise<boolean> {
  const known: KnownJobIds = { applicantId, eventIds: [], deliveries: [] };
  for (const [, found] of await applicantJobs(queues, known)) if (found.length > 0) return true;
  return false;
}
