import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@kyc/db';
import { entryArgs, freePort, startRedisServer } from '@kyc/test-support';
import { memoryMb } from './support/servers.ts';

/**
 * Idle RSS of `pnpm start` on the embedded database (PGlite), the zero-setup
 * path: the command package.json runs, a private redis-server, a fresh DATA_DIR.
 */
export async function idleEmbeddedStart(): Promise<number> {
  const redis = await startRedisServer({ appendonly: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-bench-embedded-'));
  const port = await freePort();
  const child = spawn(process.execPath, entryArgs('standalone'), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  try {
    const deadline = Date.now() + 120_000;
    while (
      !(await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error('pnpm start (embedded) did not become ready');
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 3000));
    return memoryMb(child.pid).rss;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await redis.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
