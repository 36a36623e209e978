import { TypeCompiler } from '@sinclair/typebox/compiler';
import { describeSchemaError } from '@kyc/contracts';
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
      throw new ContractViolation(`job data ${describeSchemaError(definition.check.Errors(job.data).First())}`);
    }
    return definition.handle(job.data, job);
  };
}
