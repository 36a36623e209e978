export * from './applicant-jobs.ts';
export * from './erase.ts';
export * from './event-streams.ts';
export * from './index.ts';
export * from './purge.ts';
export * from './queues.ts';
