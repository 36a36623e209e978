import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { DeliveryView } from '@kyc/db/plain';
import type { Job, Queue } from 'bullmq';
import {
  EMPTY_CONTEXT,
  failureCause,
  type JobContext,
  jobFields,
  jobResult,
  jobTitle,
  QUEUE_DESCRIPTIONS,
  QUEUE_KIND_OF,
} from '../../services/job-view.ts';

/** Looks up the deliveries behind a page of notification jobs. */
export type DeliveryLookup = (ids: readonly string[]) => Promise<ReadonlyMap<string, DeliveryView>>;

export type DashboardQueue = { queue: Queue; shard?: string | undefined };

/** The dashboard's key for a queue (its URLs use it): shards share a queue name, a prefix tells them apart. */
export const boardPrefix = ({ shard }: DashboardQueue) => (shard === undefined ? '' : `shard-${shard}-`);
export const boardName = (queue: DashboardQueue) => `${boardPrefix(queue)}${queue.queue.name}`;
/** The queue as the dashboard shows it. */
export const boardLabel = ({ queue, shard }: DashboardQueue) => (shard === undefined ? queue.name : `${queue.name} (shard ${shard})`);

// The context a page of jobs was read with travels with each job's data to the
// formatters (bull-board calls them synchronously, one job at a time).
const CONTEXT = Symbol('job context');
type WithContext = Record<string | symbol, unknown> & { [CONTEXT]?: JobContext };

const contextOf = (data: unknown): JobContext => (data as WithContext | null)?.[CONTEXT] ?? EMPTY_CONTEXT;

/**
 * bull-board's BullMQ adapter, reading like an operator would: job titles and
 * data through bull-board's formatters (job-view.ts), the failure's cause in one
 * line without the stack, and the database looked up once per page for what a
 * job carries only as an id.
 *
 * Actions the dashboard refuses (queues.ts) are hidden where bull-board 9 lets an
 * adapter hide them: retrying a completed job (retry re-runs failed jobs; a
 * completed event is replayed with pnpm cli replay) and setting a rate limit.
 * The rest of its per-job and per-queue actions (add, duplicate, edit, delete a
 * job; pause, empty, concurrency) bull-board shows unless the queue is
 * readOnlyMode, which also hides retry; those stay visible and their refusal
 * says what the dashboard allows.
 */
export class ReadableQueueAdapter extends BullMQAdapter {
  readonly #deliveries: DeliveryLookup;

  constructor(board: DashboardQueue, deliveries: DeliveryLookup) {
    const kind = QUEUE_KIND_OF[board.queue.name] ?? 'lifecycle';
    // BaseAdapter reads allowCompletedRetries; BullMQAdapter's option type leaves it out.
    const options = {
      allowRetries: true,
      allowCompletedRetries: false,
      description: QUEUE_DESCRIPTIONS[kind],
      ...(board.shard === undefined ? {} : { prefix: boardPrefix(board), displayName: boardLabel(board) }),
    };
    super(board.queue, options);
    this.#deliveries = deliveries;
    this.setFormatter('name', (job: { name: string; data: unknown }) => jobTitle(kind, job.name, job.data, contextOf(job.data)));
    this.setFormatter('data', (data: unknown) => jobFields(kind, data, contextOf(data)));
    this.setFormatter('returnValue', (value: unknown) => jobResult(kind, value));
  }

  // The UI offers "Set rate limit" only when the adapter supports it; the dashboard refuses it.
  override get supportsGlobalRateLimit(): boolean {
    return false;
  }

  override async getJob(id: string): Promise<Job | undefined> {
    const job = await super.getJob(id);
    if (job) await this.#present([job]);
    return job;
  }

  override async getJobs(...args: Parameters<BullMQAdapter['getJobs']>): Promise<Job[]> {
    const jobs = await super.getJobs(...args);
    await this.#present(jobs);
    return jobs;
  }

  /** What bull-board serialises of each job: data with its context, the cause in one line, no stack. */
  async #present(jobs: readonly Job[]): Promise<void> {
    const ids = jobs.flatMap((job) => {
      const id = (job.data as { deliveryId?: unknown } | undefined)?.deliveryId;
      return typeof id === 'string' ? [id] : [];
    });
    const context: JobContext = { deliveries: ids.length > 0 ? await this.#deliveries(ids).catch(() => new Map()) : new Map() };
    for (const job of jobs) {
      const original = job.toJSON.bind(job);
      Object.defineProperty(job, 'toJSON', {
        configurable: true,
        value: () => {
          const json = original();
          const raw: unknown = json.data;
          const data: unknown = typeof raw === 'object' && raw !== null ? { ...raw, [CONTEXT]: context } : raw;
          return { ...json, data, failedReason: failureCause(json.failedReason) ?? '', stacktrace: [] };
        },
      });
    }
  }
}
