import type { Static, TSchema } from '@sinclair/typebox';
import type { Job } from 'bullmq';

/** A job handler: receives data already validated against its schema. */
export type JobHandler<S extends TSchema, R> = (data: Static<S>, job: Job) => Promise<R>;

export type ProcessorDefinition<S extends TSchema, R> = { name: string; schema: S; handle: JobHandler<S, R> };

/** A definition with its data type erased, so definitions of different schemas share one registry. */
export type RegisteredProcessor = { name: string; schema: TSchema; handle: (data: unknown, job: Job) => Promise<unknown> };

/** Erases the data type. Sound because the registry checks data against `schema` before calling handle. */
export function registerProcessor<S extends TSchema, R>(definition: ProcessorDefinition<S, R>): RegisteredProcessor {
  return { name: definition.name, schema: definition.schema, handle: (data, job) => definition.handle(data, job) };
}
