import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Job } from 'bullmq';
import type { RegisteredProcessor } from './contracts.ts';
import { ContractViolation } from './apply-event.ts';

/**
 * Dispatches a job to its handler by name after validating job.data against the
 * handler's schema. Unknown names and invalid data are permanent failures.
 */
export function createProcessorRegistry(definitions: readonly RegisteredProcessor[]) {
  const handlers = new Map(definitions.map((d) => [d.name, { ...d, check: TypeCompiler.Compile(d.schema) }]));
  return async (job: Job): Promise<unknown> => {
    const definition = handlers.get(job.name);
    if (!definition) throw new ContractViolation(`no handler for job name ${job.name}`);
    if (!definition.check.Check(job.data)) {
      const first = definition.check.Errors(job.data).First();
      throw new ContractViolation(`job data ${first?.path ?? ''}: ${first?.message ?? 'invalid'}`);
    }
    return definition.handle(job.data, job);
  };
}
