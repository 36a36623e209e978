import { bootConfig, loggerOptions, onShutdown } from '@kyc/contracts';
import { pino } from 'pino';
import { startSystem } from './start-system.ts';

const { config, generated } = bootConfig('kyc-webhooks');
const log = pino(loggerOptions(config.LOG_LEVEL, 'kyc-webhooks'));
try {
  const system = await startSystem(config, log);
  const lines = [
    `webhook URL:  POST ${system.url}/webhooks/sumsub`,
    `API base:     ${system.url}/applicants/:applicantId`,
    `health:       ${system.url}/readyz`,
    ...generated.map((g) => `dev secret:   ${g}   (kept in ${config.DATA_DIR}/dev-secrets.json)`),
  ];
  process.stdout.write(`\nkyc-webhooks is running\n  ${lines.join('\n  ')}\n\n`);
  onShutdown(system.stop, config.SHUTDOWN_TIMEOUT_MS, (msg) => log.info(msg));
} catch (error) {
  log.fatal({ err: error instanceof Error ? error.message : String(error) }, 'start failed');
  process.exit(1);
}
