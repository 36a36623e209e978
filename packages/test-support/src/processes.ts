import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '@kyc/db';

/** Runs one of the production entry points as its own process (to be killed or stopped). */
export function spawnEntryPoint(entry: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** `pnpm start:worker`'s entry point as a real process. */
export function spawnWorkerProcess(env: Record<string, string>): ChildProcess {
  return spawnEntryPoint('packages/worker/src/main.ts', env);
}

export async function killProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}
