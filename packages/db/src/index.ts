export * from './apply-events.ts';
export * from './client.ts';
export * from './embedded.ts';
export type { Applicant, Endpoint, Erasure, Event, Notification } from './generated/client.ts';
export * from './migrate.ts';
export * from './migrations.ts';
export * from './paths.ts';
export * from './queries.ts';
export * from './sql-functions.ts';
