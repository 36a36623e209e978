export * from './erasure-jobs.ts';
export * from './event-queues.ts';
export * from './job-summary.ts';
export * from './notification-jobs.ts';
export * from './open-queue.ts';
export * from './queues.ts';
export * from './shards.ts';
export * from './sumsub-api-jobs.ts';
