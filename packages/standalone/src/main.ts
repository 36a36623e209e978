import {
  bootConfig,
  type GeneratedSecret,
  loggerOptions,
  onShutdown,
  startTracingIfConfigured,
  StoppedWhileWaiting,
  sumsubAccounts,
  sumsubApiStatus,
  tracing,
} from '@kyc/runtime';
import { pino } from 'pino';

// Tracing starts before pg is loaded (its instrumentation patches it on load);
// the worker thread starts its own.
await startTracingIfConfigured('kyc-webhooks', () => import('@kyc/tracing'));
const { RedisServerMissingError } = await import('./local-redis.ts');
const { startSystem } = await import('./start-system.ts');

/**
 * Only what this start generated itself is printed, with where it is kept; a
 * supplied secret or token is never echoed, in any mode.
 */
function credentialLines(generated: readonly GeneratedSecret[], secretsFile: string): string[] {
  if (generated.length === 0) return ['credentials:   as configured (supplied values are never printed)'];
  return [
    ...generated.map(({ name, value }) => `credential:    ${name}=${value}`),
    `               (generated for development, kept in ${secretsFile})`,
  ];
}

const { config, generated, secretsFile } = bootConfig('kyc-webhooks');
const log = pino(loggerOptions(config.LOG_LEVEL, 'kyc-webhooks'));
// A signal while Redis or the database is awaited stops at once: nothing runs yet.
const starting = new AbortController();
const abort = () => starting.abort();
process.once('SIGINT', abort).once('SIGTERM', abort);
try {
  const system = await startSystem(config, log, starting.signal);
  process.off('SIGINT', abort).off('SIGTERM', abort);
  if (starting.signal.aborted) {
    // Signalled while the last parts were starting: stop what started, say nothing runs.
    await system.stop();
    process.exit(0);
  }
  const sumsub = sumsubApiStatus(config.sumsubApi, config.production);
  if (sumsub.warning) log.warn(sumsub.warning);
  // With SUMSUB_ACCOUNTS, one URL per account (the default one only if it is configured).
  const accounts = config.namedAccounts.length === 0 ? [] : [...sumsubAccounts(config).keys()];
  const webhookLines =
    accounts.length === 0
      ? [`webhook URL:   POST ${system.url}/webhooks/sumsub`]
      : accounts.map((name) => `webhook URL:   POST ${system.url}/webhooks/sumsub/${name}   (account ${name})`);
  const lines = [
    ...webhookLines,
    `API base:      ${system.url}/applicants/:applicantId`,
    `dashboard:     ${system.dashboard}   (user: any, password: the admin token)`,
    `API docs:      ${system.url}/docs`,
    `metrics:       ${system.url}/metrics   (admin token)`,
    `health:        ${system.url}/readyz`,
    `database:      ${system.database}`,
    `redis:         ${system.redis}`,
    `sumsub API:    ${sumsub.line}`,
    ...credentialLines(generated, secretsFile),
  ];
  process.stdout.write(`\nkyc-webhooks is running\n  ${lines.join('\n  ')}\n\n`);
  const stop = async () => {
    await system.stop();
    await tracing()?.shutdown(); // exports the last spans
  };
  onShutdown(stop, config.SHUTDOWN_TIMEOUT_MS, (msg) => log.info(msg));
} catch (error) {
  if (error instanceof StoppedWhileWaiting) {
    log.info(error.message);
    process.exit(0);
  }
  if (error instanceof RedisServerMissingError) {
    process.stderr.write(`\n${error.message}\n\n`);
  } else {
    log.fatal({ err: error instanceof Error ? error.message : String(error) }, 'start failed');
  }
  process.exit(1);
}
