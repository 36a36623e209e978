import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '@kyc/db';

/** The production entry points, as `pnpm start:*` runs them: plain node on the build. */
export const ENTRY_POINTS = {
  ingest: 'packages/ingest/dist/main.js',
  worker: 'packages/worker/dist/main.js',
  standalone: 'packages/standalone/dist/main.js',
} as const;
export type EntryPoint = keyof typeof ENTRY_POINTS;

/** Runs a production entry point as its own process (to be killed or stopped). */
export function spawnEntryPoint(entry: EntryPoint, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [ENTRY_POINTS[entry]], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** `pnpm start:worker`'s entry point as a real process. */
export function spawnWorkerProcess(env: Record<string, string>): ChildProcess {
  return spawnEntryPoint('worker', env);
}

export async function killProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}
