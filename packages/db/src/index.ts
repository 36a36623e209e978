export * from './applicant-merge.ts';
export * from './apply-event.ts';
export * from './client.ts';
export type { Applicant, Event } from './generated/client.ts';
export * from './migrations.ts';
export * from './queries.ts';
export * from './applicant-row.ts';
export * from './sanitize.ts';
