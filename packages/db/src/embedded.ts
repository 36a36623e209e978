import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

/**
 * PGlite's default shared_buffers (128 MB) is memory the process keeps once touched;
 * the zero-setup default serves one developer's traffic (idle RSS of an open
 * database: 326 MB at the default, 160 MB at 16 MB).
 */
const EMBEDDED_SETTINGS = ['shared_buffers=8MB', 'maintenance_work_mem=8MB'];

/**
 * Creates a new data directory (initdb) in a short-lived process of its own:
 * initdb grows PGlite's WebAssembly memory to about 650 MB, which a process never
 * returns (a worker thread's ends, but its pages stay in the process's RSS).
 */
async function createDataDirApart(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)});
const db = await PGlite.create({ dataDir: process.argv[1] });
await db.close();`;
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script, dataDir], (error, _stdout, stderr) =>
      error ? reject(new Error(`creating the embedded database in ${dataDir} failed: ${stderr.trim() || error.message}`)) : resolve(),
    );
  });
}

/**
 * An embedded PostgreSQL (PGlite, WebAssembly) in a data directory, for running
 * with nothing installed. One process at a time may open a directory.
 */
export async function openEmbeddedPostgres(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  await createDataDirApart(dataDir);
  const pglite = await PGlite.create({ dataDir, postgresqlconf: EMBEDDED_SETTINGS });
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
