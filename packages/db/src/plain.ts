// @kyc/db/plain: the database over plain SQL (the Sql interface, pg), without
// loading Prisma's client or the schema engine: a Prisma client costs a process
// about 75 MB of RSS once it has run a query, which neither the ingest nor a
// worker on PostgreSQL needs to pay.
export * from './apply-events.ts';
export * from './clarifications.ts';
export * from './decisions.ts';
export * from './documents.ts';
export * from './endpoints.ts';
export * from './erasure.ts';
export * from './migrations.ts';
export * from './notifications.ts';
export * from './queries.ts';
export * from './readiness.ts';
export * from './sql.ts';
export * from './replica.ts';
