import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Prisma's CLI would download a native schema engine from a host that air-gapped
// machines (and this project's CI) cannot reach. The wasm engine runner stands in
// for it; see packages/schema-engine/README.md.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, 'packages', 'schema-engine', 'src', 'bin.mjs');

export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/kyc_webhooks',
    ...(process.env.SHADOW_DATABASE_URL ? { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL } : {}),
  },
});
