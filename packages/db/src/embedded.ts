import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

/**
 * An embedded PostgreSQL (PGlite, WebAssembly) in a data directory, for running
 * with nothing installed. One process at a time may open a directory.
 */
export async function openEmbeddedPostgres(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir });
  const factory = new PrismaPGlite(pglite);
  const connect = factory.connect.bind(factory);
  // The adapter's executeScript() does not await exec(), so a failing migration
  // would be recorded as applied; this one awaits and reports.
  factory.connect = async () => {
    const adapter = await connect();
    const onError = (adapter as unknown as { onError: (e: unknown) => never }).onError.bind(adapter);
    adapter.executeScript = async (script: string) => {
      try {
        await pglite.exec(script);
      } catch (error) {
        onError(error);
      }
    };
    return adapter;
  };
  return {
    factory: factory as SqlMigrationAwareDriverAdapterFactory,
    async close() {
      await pglite.close();
    },
  };
}
