// @kyc/db/read: what the ingest needs, without loading Prisma's client or the
// schema engine (both cost memory a process that only reads should not pay).
export * from './documents.ts';
export * from './endpoints.ts';
export * from './lifecycle.ts';
export * from './migrations.ts';
export * from './notifications.ts';
export * from './queries.ts';
export * from './readiness.ts';
export * from './sql.ts';
