import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Db } from './client.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations/', import.meta.url));

const PRISMA_CLI = createRequire(import.meta.url).resolve('prisma/build/index.js');

export async function committedMigrations(dir = MIGRATIONS_DIR): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** Names of committed migrations the database has not finished applying. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const committed = await committedMigrations();
  let applied: { migration_name: string }[];
  try {
    applied = await db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  } catch (error) {
    if (/_prisma_migrations/.test(String(error))) return committed;
    throw error;
  }
  const done = new Set(applied.map((m) => m.migration_name));
  return committed.filter((name) => !done.has(name));
}

/** Applies pending migrations with the Prisma CLI (through the offline wasm engine). */
export function migrateDeploy(databaseUrl: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PRISMA_CLI, 'migrate', 'deploy'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code) => {
      for (const line of output.split('\n').filter((l) => l.trim())) log(line);
      if (code === 0) resolve();
      else reject(new Error(`prisma migrate deploy exited with ${code}:\n${output.trim()}`));
    });
  });
}
