// The committed migrations, by directory name. Its own module (the package's
// "./migrations" export) so a process that only checks which migrations are
// applied, such as the ingest, does not load the schema engine's WebAssembly.
import { readdir } from 'node:fs/promises';

/** Names of the migration directories, oldest first. @param {string} dir */
export async function committedMigrations(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
