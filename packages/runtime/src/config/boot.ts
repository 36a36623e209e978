import { type GeneratedSecret, withDevSecrets } from './dev-secrets.ts';
import { type Config, ConfigError, loadConfig, requireDatabaseUrl } from './load-config.ts';

/**
 * Loads and validates the environment at start. A bad value ends the process with
 * a message naming it. Outside production, missing development secrets are
 * generated (and reported in `generated`, for the start banner); supplied ones
 * never are. `requireDatabase`: the separate ingest and worker processes share
 * one PostgreSQL and need DATABASE_URL.
 */
export function bootConfig(
  service: string,
  options: { requireDatabase?: boolean } = {},
  env: NodeJS.ProcessEnv = process.env,
): { config: Config; generated: GeneratedSecret[]; secretsFile: string } {
  try {
    const loaded = loadConfig(env);
    if (options.requireDatabase) requireDatabaseUrl(loaded, service);
    const booted = withDevSecrets(loaded, (message) => process.stderr.write(`${service}: ${message}\n`));
    return { config: booted.config, generated: booted.generated, secretsFile: booted.file };
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${service}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Runs `stop` once on SIGTERM/SIGINT, bounded by timeoutMs; a second signal or the
 * timeout forces the exit. Exit code 0 after a clean stop. Returns the handler, to
 * run it for a signal that arrived before it was installed.
 */
export function onShutdown(stop: () => Promise<void>, timeoutMs: number, log: (msg: string) => void): (signal: NodeJS.Signals) => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: shutting down (up to ${timeoutMs} ms)`);
    const timer = setTimeout(() => {
      log('shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return handler;
}
