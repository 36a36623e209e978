import { type ChildProcess, spawn } from 'node:child_process';
import { type Config, QUEUES } from '@kyc/contracts';
import { createDb, type Db, postgresAdapter, REPO_ROOT } from '@kyc/db';
import { startWorker, type WorkerRuntime } from '@kyc/worker';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { expect } from 'vitest';

/** n independent in-process workers, each with its own connections, as n processes would have. */
export function startTestWorkers(config: Config & { DATABASE_URL: string }, n: number, registry = new Registry()) {
  const runtimes: { runtime: WorkerRuntime; db: Db }[] = [];
  for (let i = 0; i < n; i++) {
    const db = createDb(postgresAdapter(config.DATABASE_URL, config.WORKER_CONCURRENCY + 1));
    runtimes.push({ runtime: startWorker(config, db, pino({ level: 'silent' }), registry), db });
  }
  return {
    async stop() {
      for (const { runtime, db } of runtimes) {
        await runtime.stop();
        await db.$disconnect();
      }
    },
  };
}

/** Starts `pnpm start:worker`'s entry point as a real process (to be killed). */
export function spawnWorkerProcess(env: Record<string, string>): ChildProcess {
  return spawnEntryPoint('packages/worker/src/main.ts', env);
}

/** Runs one of the production entry points as its own process. */
export function spawnEntryPoint(entry: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

export async function killProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

export function queueHandle(config: Config) {
  const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  connection.on('error', () => undefined);
  const queue = new Queue(QUEUES.sumsubEvents, { connection, prefix: config.QUEUE_PREFIX });
  queue.on('error', () => undefined);
  return {
    queue,
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

/** Waits until nothing is waiting, active or delayed; fails the test after timeoutMs. */
export async function drain(queue: Queue, timeoutMs = 60_000): Promise<{ completed: number; failed: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed');
    const open =
      (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0);
    if (open === 0) return { completed: counts.completed ?? 0, failed: counts.failed ?? 0 };
    expect(Date.now(), `queue still has ${open} open jobs`).toBeLessThan(deadline);
    await new Promise((r) => setTimeout(r, 100));
  }
}
