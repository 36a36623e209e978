import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Job } from 'bullmq';
import { ContractViolation } from '../errors.ts';
import type { JobDefinition } from './definition.ts';

/**
 * A definition of any schema and result, as a queue's list holds them. `data: never`:
 * each handler's own data type is tied to its schema where it is defined (`satisfies
 * JobDefinition<…>`); here it is called only with data its compiled schema accepted.
 */
export type AnyJobDefinition<D> = Omit<JobDefinition<TSchema, unknown, D>, 'handle'> & {
  handle: (data: never, job: Job, deps: D, token?: string) => Promise<unknown>;
};

/** What a job runs with, made once its data has been checked (from it: a Sumsub job's account). */
export type DepsFor<D> = (data: unknown, job: Job) => D | Promise<D>;

/**
 * The one BullMQ processor every worker runs: finds the job's definition by name,
 * checks its data against the definition's compiled schema where the job is
 * taken (anyone who can write to Redis or use the dashboard can add a job), then
 * calls its handler. An unknown name or data that does not match fails the job
 * for good (ContractViolation is an UnrecoverableError): retrying cannot help.
 */
/** A BullMQ processor: the job and the worker's lock on it. */
export type Dispatch = (job: Job, token?: string) => Promise<unknown>;

export function dispatcher<D>(definitions: readonly AnyJobDefinition<D>[], depsFor: DepsFor<D>): Dispatch {
  const byName = new Map(definitions.map((d) => [d.name, { definition: d, check: TypeCompiler.Compile(d.schema) }] as const));
  if (byName.size !== definitions.length) throw new Error('two job definitions share a name');
  return async (job, token) => {
    const entry = byName.get(job.name);
    if (!entry) throw new ContractViolation(`no handler for job name ${job.name}`);
    if (!entry.check.Check(job.data)) throw new ContractViolation(`job data does not match the ${job.name} schema`);
    const data: unknown = job.data;
    return entry.definition.handle(data as never, job, await depsFor(data, job), token);
  };
}
