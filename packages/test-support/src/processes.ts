import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@kyc/db';

/** The production entry points, as `pnpm start:*` runs them: plain node on the build. */
export const ENTRY_POINTS = {
  ingest: 'packages/ingest/dist/main.js',
  api: 'packages/api/dist/main.js',
  worker: 'packages/worker/dist/main.js',
  standalone: 'packages/standalone/dist/main.js',
} as const;
export type EntryPoint = keyof typeof ENTRY_POINTS;

const SCRIPTS: Record<EntryPoint, string> = { ingest: 'start:ingest', api: 'start:api', worker: 'start:worker', standalone: 'start' };

/**
 * The node arguments of an entry point exactly as the package.json script runs it
 * (its heap flags, then the file), read from package.json: tests and benchmarks run
 * the command production runs, with no second copy of its flags.
 */
export function entryArgs(entry: EntryPoint): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const script = scripts[SCRIPTS[entry]] ?? '';
  const command = script.slice(script.lastIndexOf('node ')).trim().split(/\s+/).slice(1);
  if (command[command.length - 1] !== ENTRY_POINTS[entry]) {
    throw new Error(`package.json "${SCRIPTS[entry]}" does not end in node … ${ENTRY_POINTS[entry]}: ${script}`);
  }
  return command;
}

/** Runs a production entry point as its own process (to be killed or stopped). */
export function spawnEntryPoint(entry: EntryPoint, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, entryArgs(entry), {
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
