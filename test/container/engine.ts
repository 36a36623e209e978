import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT_URL } from '@kyc/test-support';

// The container engine the tests drive: the same choice as scripts/container-build
// (CONTAINER_ENGINE, else docker when its daemon answers, else podman).
export const REPO_ROOT = fileURLToPath(REPO_ROOT_URL);
export const ENGINE = pickEngine();
const version = (JSON.parse(readFileSync(new URL('package.json', REPO_ROOT_URL), 'utf8')) as { version: string }).version;
export const IMAGE = `kyc-webhooks:${version}`;

function pickEngine(): 'docker' | 'podman' {
  const chosen = process.env.CONTAINER_ENGINE;
  if (chosen === 'docker' || chosen === 'podman') return chosen;
  return spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0 ? 'docker' : 'podman';
}

export type Result = { code: number; stdout: string; stderr: string };

/** Runs a command to its end; never throws on a non-zero exit (the caller asserts). */
export function run(command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The engine's output, or an error carrying its stderr. */
export async function engine(args: string[], timeoutMs?: number): Promise<string> {
  const result = await run(ENGINE, args, {}, timeoutMs);
  if (result.code !== 0) throw new Error(`${ENGINE} ${args[0]} exited ${result.code}: ${result.stderr.slice(-2000)}`);
  return result.stdout;
}

/** `-e NAME=value` for each variable. */
export function envArgs(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
}

/**
 * Whether the container's HEALTHCHECK passes now. Podman runs health checks from
 * systemd timers, absent on this machine kind, so the check is run on demand;
 * docker runs them itself.
 */
export async function healthy(name: string): Promise<boolean> {
  if (ENGINE === 'podman') return (await run('podman', ['healthcheck', 'run', name])).code === 0;
  const status = await run('docker', ['inspect', '--format', '{{.State.Health.Status}}', name]);
  return status.stdout.trim() === 'healthy';
}

/** The exit code of a stopped container. */
export async function exitCode(name: string): Promise<number> {
  return Number((await engine(['inspect', '--format', '{{.State.ExitCode}}', name])).trim());
}

/** Resident memory of running containers, MB, by name (for docs/deploy.md's sizing). */
export async function memoryMb(names: string[]): Promise<Record<string, number>> {
  const out = await engine(['stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}', ...names]);
  const units: Record<string, number> = {
    B: 1 / 1e6,
    kB: 1e-3,
    KB: 1e-3,
    KiB: 1024 / 1e6,
    MB: 1,
    MiB: 1.048576,
    GB: 1000,
    GiB: 1073.741824,
  };
  const memory: Record<string, number> = {};
  for (const line of out.trim().split('\n')) {
    const match = /^(\S+)\s+([\d.]+)\s*([A-Za-z]+)/.exec(line);
    if (match) memory[match[1]!] = Math.round(Number(match[2]) * (units[match[3]!] ?? 1));
  }
  return memory;
}
