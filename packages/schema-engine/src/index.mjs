// @kyc/schema-engine: Prisma's schema engine without a binary download. See README.md.
export { createAdapterFactory } from './adapter.mjs';
export { ensureDatabase, runCliCommand } from './cli-commands.mjs';
export { applyMigrations, committedMigrations } from './migrate.mjs';
