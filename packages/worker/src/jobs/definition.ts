import type { Static, TSchema } from '@sinclair/typebox';
import type { Job, JobsOptions } from 'bullmq';

/** One job: its name, the schema its data must satisfy, and its handler, defined together. */
export type JobDefinition<S extends TSchema, R, D> = {
  name: string;
  schema: S;
  /** Options of this job only, beyond its queue's defaults (openQueue); most jobs have none. */
  options?: JobsOptions;
  /** `token`: the worker's lock on the job (for moving it to the delayed set). */
  handle: (data: Static<S>, job: Job, deps: D, token?: string) => Promise<R>;
};
