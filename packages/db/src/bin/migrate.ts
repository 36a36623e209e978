// `pnpm migrate:deploy`: what `prisma migrate deploy` does (with the offline wasm
// engine), then the SQL functions the merge lives in (packages/db/sql). Run it
// before starting ingest and workers against a new or upgraded database.
import { migratePostgres } from '../migrate.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('migrate: DATABASE_URL is required (postgresql://user:password@host:5432/database)\n');
  process.exit(2);
}
try {
  const applied = await migratePostgres(url, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'no pending migrations\n');
} catch (error) {
  process.stderr.write(`migrate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
