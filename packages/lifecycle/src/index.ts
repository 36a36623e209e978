export * from './erase.ts';
export * from './purge.ts';
export * from './queues.ts';
export * from './applicant-jobs.ts';
