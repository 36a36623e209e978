import { bootConfig, type Config, loggerOptions, onShutdown } from '@kyc/contracts';
import { pino } from 'pino';
import { RedisServerMissingError } from './local-redis.ts';
import { startSystem } from './start-system.ts';

/** The secret and tokens in use, for a developer to copy; never printed in production. */
function credentialLines(config: Config, generated: string[]): string[] {
  if (config.production) return ['credentials:   from the environment (not printed in production)'];
  const mark = (name: string) =>
    generated.some((g) => g.startsWith(`${name}=`)) ? `   (generated, kept in ${config.DATA_DIR}/dev-secrets.json)` : '';
  return [
    `SUMSUB_WEBHOOK_SECRET=${config.webhookSecrets[0] ?? ''}${mark('SUMSUB_WEBHOOK_SECRET')}`,
    `API_READ_TOKEN=${config.API_READ_TOKEN ?? ''}${mark('API_READ_TOKEN')}`,
    `API_ADMIN_TOKEN=${config.API_ADMIN_TOKEN ?? ''}${mark('API_ADMIN_TOKEN')}`,
  ].map((line) => `credential:    ${line}`);
}

const { config, generated } = bootConfig('kyc-webhooks');
const log = pino(loggerOptions(config.LOG_LEVEL, 'kyc-webhooks'));
try {
  const system = await startSystem(config, log);
  const lines = [
    `webhook URL:   POST ${system.url}/webhooks/sumsub`,
    `API base:      ${system.url}/applicants/:applicantId`,
    `dashboard:     ${system.dashboard}   (user: any, password: the admin token)`,
    `API docs:      ${system.url}/docs`,
    `metrics:       ${system.url}/metrics   (admin token)`,
    `health:        ${system.url}/readyz`,
    `database:      ${system.database}`,
    `redis:         ${system.redis}`,
    ...credentialLines(config, generated),
  ];
  process.stdout.write(`\nkyc-webhooks is running\n  ${lines.join('\n  ')}\n\n`);
  onShutdown(system.stop, config.SHUTDOWN_TIMEOUT_MS, (msg) => log.info(msg));
} catch (error) {
  if (error instanceof RedisServerMissingError) {
    process.stderr.write(`\n${error.message}\n\n`);
  } else {
    log.fatal({ err: error instanceof Error ? error.message : String(error) }, 'start failed');
  }
  process.exit(1);
}
