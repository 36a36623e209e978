import { type Config, ConfigError, loadConfig } from './load-config.ts';
import { withDevSecrets } from './dev-secrets.ts';

/**
 * Loads and validates the environment at start. A bad value ends the process with
 * a message naming it; generated development secrets are printed once (never in
 * production, where nothing is generated).
 */
export function bootConfig(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
  extra: (config: Config) => void = () => undefined,
): { config: Config; generated: string[] } {
  try {
    const booted = withDevSecrets(loadConfig(env));
    extra(booted.config);
    return booted;
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
 * timeout forces the exit. Exit code 0 after a clean stop.
 */
export function onShutdown(stop: () => Promise<void>, timeoutMs: number, log: (msg: string) => void): void {
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
}
