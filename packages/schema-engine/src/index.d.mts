export { createAdapterFactory } from './adapter.mjs';
export { ensureDatabase, runCliCommand } from './cli-commands.mjs';
export { applyMigrations, committedMigrations } from './migrate.mjs';
